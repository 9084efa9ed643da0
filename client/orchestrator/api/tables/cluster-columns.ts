/** Table columns of namespaces, nodes, leases, configmaps, secrets, serviceaccounts and events. */
import { age } from './age';
import { ageColumn, at, column, list, nameColumn, num, str, type Column } from './columns';

const count = (value: unknown) => (value && typeof value === 'object' ? Object.keys(value).length : 0);

function nodeStatus(o: unknown): string {
  const ready = list(at(o, 'status', 'conditions')).find((c) => at(c, 'type') === 'Ready');
  const parts = [at(ready, 'status') === 'True' ? 'Ready' : at(ready, 'status') === undefined ? 'Unknown' : 'NotReady'];
  if (at(o, 'spec', 'unschedulable') === true) parts.push('SchedulingDisabled');
  return parts.join(',');
}

function nodeRoles(o: unknown): string {
  const labels = at(o, 'metadata', 'labels');
  const roles = new Set<string>();
  if (labels && typeof labels === 'object') {
    for (const [k, v] of Object.entries(labels)) {
      if (k.startsWith('node-role.kubernetes.io/')) roles.add(k.slice('node-role.kubernetes.io/'.length));
      else if (k === 'kubernetes.io/role') roles.add(String(v));
    }
  }
  return roles.size > 0 ? [...roles].sort().join(',') : '<none>';
}

const address = (o: unknown, type: string) =>
  str(
    at(
      list(at(o, 'status', 'addresses')).find((a) => at(a, 'type') === type),
      'address',
    ),
  );

export const namespaceColumns: Column[] = [
  nameColumn(),
  column('Status', (o) => str(at(o, 'status', 'phase'), 'Active'), { description: 'The status of the namespace' }),
  ageColumn(),
];

export const nodeColumns: Column[] = [
  nameColumn(),
  column('Status', nodeStatus),
  column('Roles', nodeRoles),
  ageColumn(),
  column('Version', (o) => str(at(o, 'status', 'nodeInfo', 'kubeletVersion'), '')),
  column('Internal-IP', (o) => address(o, 'InternalIP'), { priority: 1 }),
  column('External-IP', (o) => address(o, 'ExternalIP'), { priority: 1 }),
  column('OS-Image', (o) => str(at(o, 'status', 'nodeInfo', 'osImage'), '<unknown>'), { priority: 1 }),
  column('Kernel-Version', (o) => str(at(o, 'status', 'nodeInfo', 'kernelVersion'), '<unknown>'), { priority: 1 }),
  column('Container-Runtime', (o) => str(at(o, 'status', 'nodeInfo', 'containerRuntimeVersion'), '<unknown>'), {
    priority: 1,
  }),
];

export const leaseColumns: Column[] = [
  nameColumn(),
  column('Holder', (o) => str(at(o, 'spec', 'holderIdentity'), '')),
  ageColumn(),
];

export const configMapColumns: Column[] = [
  nameColumn(),
  column('Data', (o) => count(at(o, 'data')) + count(at(o, 'binaryData')), { type: 'integer' }),
  ageColumn(),
];

export const secretColumns: Column[] = [
  nameColumn(),
  column('Type', (o) => str(at(o, 'type'), 'Opaque')),
  column('Data', (o) => count(at(o, 'data')), { type: 'integer' }),
  ageColumn(),
];

export const serviceAccountColumns: Column[] = [
  nameColumn(),
  column('Secrets', (o) => list(at(o, 'secrets')).length, { type: 'integer' }),
  ageColumn(),
];

function lastSeen(o: unknown, now: number): string {
  const when = at(o, 'lastTimestamp') ?? at(o, 'eventTime') ?? at(o, 'metadata', 'creationTimestamp');
  return age(when, now);
}

export const eventColumns: Column[] = [
  column('Last Seen', lastSeen),
  column('Type', (o) => str(at(o, 'type'), '')),
  column('Reason', (o) => str(at(o, 'reason'), '')),
  column(
    'Object',
    (o) => `${str(at(o, 'involvedObject', 'kind'), '').toLowerCase()}/${str(at(o, 'involvedObject', 'name'), '')}`,
  ),
  column('Subobject', (o) => str(at(o, 'involvedObject', 'fieldPath'), ''), { priority: 1 }),
  column(
    'Source',
    (o) => {
      const component = str(at(o, 'source', 'component'), '') || str(at(o, 'reportingComponent'), '');
      const host = str(at(o, 'source', 'host'), '');
      return host ? `${component}, ${host}` : component;
    },
    { priority: 1 },
  ),
  column('Message', (o) => str(at(o, 'message'), '').trim()),
  column('First Seen', (o, now) => age(at(o, 'firstTimestamp') ?? at(o, 'metadata', 'creationTimestamp'), now), {
    priority: 1,
  }),
  column('Count', (o) => Math.max(1, num(at(o, 'count'))), { priority: 1, type: 'integer' }),
  column('Name', (o) => str(at(o, 'metadata', 'name'), ''), { priority: 1 }),
];

export const defaultColumns: Column[] = [nameColumn(), ageColumn()];
