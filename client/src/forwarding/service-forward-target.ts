/**
 * Where a port-forward to a Service goes, as `kubectl port-forward svc/NAME`
 * does it: a ready pod behind the Service (its Endpoints) and the pod port
 * the Service port targets. No `vscode` here.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ForwardTarget } from './port-forward-listener.js';

interface ServicePort {
  name?: string;
  port: number;
  targetPort?: number | string;
}

interface EndpointSubset {
  addresses?: { targetRef?: { kind?: string; name?: string } }[];
  ports?: { name?: string; port: number }[];
}

/** The Service's ports (`spec.ports`). */
export function servicePorts(service: KubeObject): ServicePort[] {
  return (service.spec as { ports?: ServicePort[] } | undefined)?.ports ?? [];
}

/** A ready pod of the Service and the pod port behind `servicePort`; throws when no pod is ready. */
export async function serviceForwardTarget(
  conn: ClusterConnection,
  namespace: string,
  service: string,
  servicePort: number,
): Promise<ForwardTarget> {
  const svc = await conn.reader.get({ apiVersion: 'v1', kind: 'Service', namespace, name: service });
  if (!svc) throw new Error(`service ${namespace}/${service} is gone`);
  const port = servicePorts(svc).find((p) => p.port === servicePort);
  if (!port) throw new Error(`service ${namespace}/${service} has no port ${servicePort}`);
  const endpoints = await conn.reader.get({ apiVersion: 'v1', kind: 'Endpoints', namespace, name: service });
  for (const subset of (endpoints?.subsets as EndpointSubset[] | undefined) ?? []) {
    const target =
      subset.ports?.length === 1 && port.name === undefined
        ? subset.ports[0]
        : subset.ports?.find((p) => p.name === port.name);
    const pod = subset.addresses?.find((a) => a.targetRef?.kind === 'Pod')?.targetRef?.name;
    if (target && pod) return { namespace, pod, port: target.port };
  }
  throw new Error(`service ${namespace}/${service} has no ready pod for port ${servicePort}`);
}
