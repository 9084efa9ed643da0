/** Table columns of services, endpoints, endpointslices, ingresses and ingressclasses. */
import { ageColumn, at, column, joinLimited, list, nameColumn, str, type Column } from './columns';
import { selectorText } from './template-columns';

function servicePorts(o: unknown): string {
  const ports = list(at(o, 'spec', 'ports')).map((p) => {
    const node = at(p, 'nodePort');
    const protocol = str(at(p, 'protocol'), 'TCP');
    return `${String(at(p, 'port'))}${node ? `:${JSON.stringify(node)}` : ''}/${protocol}`;
  });
  return ports.length > 0 ? ports.join(',') : '<none>';
}

function externalIp(o: unknown): string {
  const type = str(at(o, 'spec', 'type'), 'ClusterIP');
  const external = list(at(o, 'spec', 'externalIPs')).map(String);
  if (type === 'ExternalName') return str(at(o, 'spec', 'externalName'));
  if (type === 'LoadBalancer') {
    const ingress = list(at(o, 'status', 'loadBalancer', 'ingress')).map(
      (i) => str(at(i, 'ip'), '') || str(at(i, 'hostname'), ''),
    );
    const all = [...ingress, ...external].filter(Boolean);
    return all.length > 0 ? all.join(',') : '<pending>';
  }
  return external.length > 0 ? external.join(',') : '<none>';
}

export const serviceColumns: Column[] = [
  nameColumn(),
  column('Type', (o) => str(at(o, 'spec', 'type'), 'ClusterIP')),
  column('Cluster-IP', (o) => str(at(o, 'spec', 'clusterIP'))),
  column('External-IP', externalIp),
  column('Port(s)', servicePorts),
  ageColumn(),
  column('Selector', (o) => selectorText({ matchLabels: at(o, 'spec', 'selector') }), { priority: 1 }),
];

export const endpointsColumns: Column[] = [
  nameColumn(),
  column('Endpoints', (o) => {
    const out: string[] = [];
    for (const subset of list(at(o, 'subsets'))) {
      const ports = list(at(subset, 'ports'));
      for (const address of list(at(subset, 'addresses'))) {
        const ip = str(at(address, 'ip'), '');
        if (ports.length === 0) out.push(ip);
        for (const p of ports) out.push(`${ip}:${String(at(p, 'port'))}`);
      }
    }
    return joinLimited(out);
  }),
  ageColumn(),
];

export const endpointSliceColumns: Column[] = [
  nameColumn(),
  column('AddressType', (o) => str(at(o, 'addressType'))),
  column('Ports', (o) => joinLimited(list(at(o, 'ports')).map((p) => str(at(p, 'port'), 'unset')))),
  column('Endpoints', (o) =>
    joinLimited(list(at(o, 'endpoints')).flatMap((e) => list(at(e, 'addresses')).map(String))),
  ),
  ageColumn(),
];

export const ingressColumns: Column[] = [
  nameColumn(),
  column('Class', (o) => str(at(o, 'spec', 'ingressClassName'))),
  column('Hosts', (o) => {
    const hosts = list(at(o, 'spec', 'rules')).map((r) => str(at(r, 'host'), ''));
    if (hosts.length === 0) return '*';
    return joinLimited(
      hosts.map((h) => h || '*'),
      4,
    );
  }),
  column('Address', (o) =>
    list(at(o, 'status', 'loadBalancer', 'ingress'))
      .map((i) => str(at(i, 'ip'), '') || str(at(i, 'hostname'), ''))
      .join(','),
  ),
  column('Ports', (o) => (list(at(o, 'spec', 'tls')).length > 0 ? '80, 443' : '80')),
  ageColumn(),
];

export const ingressClassColumns: Column[] = [
  nameColumn(),
  column('Controller', (o) => str(at(o, 'spec', 'controller'))),
  column('Parameters', (o) => {
    const p = at(o, 'spec', 'parameters');
    return p ? `${str(at(p, 'kind'), '')}/${str(at(p, 'name'), '')}` : '<none>';
  }),
  ageColumn(),
];
