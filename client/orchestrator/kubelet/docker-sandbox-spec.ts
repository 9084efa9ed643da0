/**
 * A pod sandbox as a Docker container: the create body of the `kw-infra
 * pause` container that holds the pod's network namespace and IP on the
 * cluster network (hostname and DNS aliases, the DNS search list, hostPorts
 * published on 127.0.0.1) and first prepares the pod's named volumes
 * (named-volumes.ts), and the sandbox status read back from it.
 */
import { isObject, type JsonObject } from '../store/object';
import type { ContainerInfo, CreateBody } from './docker-engine-types';
import { LABEL, namePart } from './docker-labels';
import { INFRA_BINARY } from './infra/infra-image';
import { sandboxVolumePrep } from './named-volumes';
import type { PodSandboxConfig, PodSandboxStatus } from './runtime';

export interface SandboxPlace {
  /** The cluster's and node's labels, put on everything the runtime makes. */
  labels: Readonly<Record<string, string>>;
  network: string;
  image: string;
  /** Makes the container name unique. */
  suffix: string;
  clusterId: string;
}

const DNS_LABEL = /^[a-z0-9]([-a-z0-9]{0,61}[a-z0-9])?$/;

/**
 * A pod with a subdomain (a StatefulSet's pods name their governing Service)
 * is `<hostname>.<subdomain>.<namespace>.svc.cluster.local`, and shorter
 * forms through the DNS search list: network aliases, as Services have.
 */
export function subdomainAliases(hostname: string, subdomain: unknown, namespace: string): string[] {
  if (typeof subdomain !== 'string' || !DNS_LABEL.test(subdomain)) return [];
  const base = `${hostname}.${subdomain}.${namespace}`;
  return [base, `${base}.svc`, `${base}.svc.cluster.local`];
}

export function sandboxCreateBody(config: PodSandboxConfig, place: SandboxPlace): CreateBody {
  const hostname = config.hostname.slice(0, 63);
  const aliases = subdomainAliases(hostname, config.podSpec.subdomain, config.namespace);
  const publish = hostPorts(config.podSpec);
  const volumes = sandboxVolumePrep(
    { clusterId: place.clusterId, podUid: config.podUid, namespace: config.namespace },
    config.podSpec,
  );
  return {
    name: `kw_POD_${namePart(config.name)}_${namePart(config.namespace)}_${config.podUid.slice(0, 8)}_${place.suffix}`,
    Image: place.image,
    Cmd: [INFRA_BINARY, 'pause', ...volumes.args],
    Hostname: hostname,
    ...(aliases.length > 0 ? { Domainname: aliases[aliases.length - 1]!.slice(hostname.length + 1) } : {}),
    Labels: {
      ...place.labels,
      [LABEL.role]: 'sandbox',
      [LABEL.podUid]: config.podUid,
      [LABEL.podName]: config.name,
      [LABEL.namespace]: config.namespace,
    },
    ExposedPorts: Object.fromEntries(Object.keys(publish).map((k) => [k, {}])),
    HostConfig: {
      NetworkMode: place.network,
      PortBindings: publish,
      Mounts: volumes.mounts,
      DnsSearch: [`${config.namespace}.svc.cluster.local`, 'svc.cluster.local', 'cluster.local'],
      RestartPolicy: { Name: 'no' },
    },
    NetworkingConfig: { EndpointsConfig: { [place.network]: { Aliases: [hostname, ...aliases] } } },
  };
}

export function sandboxStatus(info: ContainerInfo, network: string): PodSandboxStatus {
  return {
    id: info.id,
    podUid: info.labels[LABEL.podUid] ?? '',
    state: info.running ? 'ready' : 'notready',
    ip: info.ips[network] ?? '',
    createdAt: info.createdAt,
  };
}

/** `hostPort`s of the pod's containers, published on 127.0.0.1 by the sandbox. */
function hostPorts(podSpec: Readonly<JsonObject>): Record<string, { HostIp: string; HostPort: string }[]> {
  const out: Record<string, { HostIp: string; HostPort: string }[]> = {};
  const containers = Array.isArray(podSpec.containers) ? podSpec.containers.filter(isObject) : [];
  for (const c of containers) {
    for (const p of Array.isArray(c.ports) ? c.ports.filter(isObject) : []) {
      if (typeof p.hostPort !== 'number' || typeof p.containerPort !== 'number') continue;
      const proto = typeof p.protocol === 'string' ? p.protocol.toLowerCase() : 'tcp';
      out[`${p.containerPort}/${proto}`] = [{ HostIp: '127.0.0.1', HostPort: String(p.hostPort) }];
    }
  }
  return out;
}
