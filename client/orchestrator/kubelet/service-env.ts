/**
 * The Service environment variables the kubelet gives every container, as
 * Kubernetes writes them (pkg/kubelet/envvars): for each Service of the
 * pod's namespace with a cluster IP (all of them unless the pod sets
 * `enableServiceLinks: false`) and always `default/kubernetes`:
 * `NAME_SERVICE_HOST`, `NAME_SERVICE_PORT` (first port),
 * `NAME_SERVICE_PORT_<PORTNAME>` (named ports), and the Docker-link style
 * `NAME_PORT`, `NAME_PORT_<port>_<PROTO>` with `_PROTO`, `_PORT`, `_ADDR`.
 * NAME is the Service name upper-cased with '-' as '_'.
 */
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';

/** The address containers use for a Service; the cluster IP unless the runtime has a better one. */
export type ServiceHost = (service: Stored) => string | undefined;

export function envName(name: string): string {
  return name.replace(/-/g, '_').toUpperCase();
}

/** The variables of one Service, in Kubernetes' order; none when it has no cluster IP. */
export function serviceEnv(service: Stored, hostOf: ServiceHost = () => undefined): [string, string][] {
  const spec = isObject(service.spec) ? service.spec : {};
  const clusterIP = typeof spec.clusterIP === 'string' ? spec.clusterIP : '';
  if (clusterIP === '' || clusterIP === 'None') return [];
  const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
  if (ports.length === 0) return [];
  const host = hostOf(service) ?? clusterIP;
  const prefix = envName(service.metadata.name ?? '');
  const out: [string, string][] = [
    [`${prefix}_SERVICE_HOST`, host],
    [`${prefix}_SERVICE_PORT`, String(ports[0]!.port)],
  ];
  for (const p of ports)
    if (typeof p.name === 'string' && p.name !== '')
      out.push([`${prefix}_SERVICE_PORT_${envName(p.name)}`, String(p.port)]);
  const hostPort = (port: unknown) => (host.includes(':') ? `[${host}]:${String(port)}` : `${host}:${String(port)}`);
  ports.forEach((p, i) => {
    const protocol = typeof p.protocol === 'string' && p.protocol !== '' ? p.protocol : 'TCP';
    const url = `${protocol.toLowerCase()}://${hostPort(p.port)}`;
    if (i === 0) out.push([`${prefix}_PORT`, url]);
    const portPrefix = `${prefix}_PORT_${String(p.port)}_${protocol.toUpperCase()}`;
    out.push(
      [portPrefix, url],
      [`${portPrefix}_PROTO`, protocol.toLowerCase()],
      [`${portPrefix}_PORT`, String(p.port)],
      [`${portPrefix}_ADDR`, host],
    );
  });
  return out;
}

/**
 * The Service variables of a pod: the Services of its namespace (unless
 * `enableServiceLinks` is false) and `default/kubernetes`, sorted by
 * Service name so every container sees them in the same order.
 */
export function serviceLinkEnv(
  services: { inNamespace: readonly Stored[]; kubernetes?: Stored | undefined },
  enableServiceLinks: boolean,
  hostOf?: ServiceHost,
): [string, string][] {
  const byName = new Map<string, Stored>();
  if (enableServiceLinks) for (const s of services.inNamespace) byName.set(s.metadata.name ?? '', s);
  if (services.kubernetes) byName.set('kubernetes', services.kubernetes);
  return [...byName.keys()].sort().flatMap((name) => knownServiceEnv(byName.get(name)!, hostOf));
}

/**
 * Each stored Service's variables as last made, with the host they were made for: every pod started
 * reads `default/kubernetes` and its namespace's Services, and a stored object never changes (an update
 * stores a new one), so they are made again only when the Service or its host changes.
 */
const made = new WeakMap<Stored, { host: string | undefined; env: readonly [string, string][] }>();

function knownServiceEnv(service: Stored, hostOf: ServiceHost | undefined): readonly [string, string][] {
  const host = hostOf?.(service);
  const known = made.get(service);
  if (known !== undefined && known.host === host) return known.env;
  const env = serviceEnv(service, () => host);
  made.set(service, { host, env });
  return env;
}
