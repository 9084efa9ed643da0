/**
 * What a named port-forward points at, and the pod it reaches now: a Pod by name, a Service
 * through a ready pod behind it (service-forward-target.ts), or a workload (Deployment,
 * StatefulSet, DaemonSet, ReplicaSet) through the newest ready pod its selector picks, the way
 * `kubectl port-forward deployment/NAME` picks one. Resolved anew for every connection, so a
 * replaced pod (a rollout, a restart) is followed. No `vscode` here.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ForwardTarget } from './port-forward-listener.js';
import { serviceForwardTarget } from './service-forward-target.js';

export const WORKLOAD_KINDS = {
  Deployment: 'apps/v1',
  StatefulSet: 'apps/v1',
  DaemonSet: 'apps/v1',
  ReplicaSet: 'apps/v1',
} as const;

export type TargetKind = 'Pod' | 'Service' | keyof typeof WORKLOAD_KINDS;

export interface TargetRef {
  kind: TargetKind;
  namespace: string;
  name: string;
  /** The Service's port for a Service; the pod's (container) port otherwise. */
  port: number;
}

/** `deployment/web:8080`, as kubectl names it. */
export function targetText(t: TargetRef): string {
  return `${t.namespace}/${t.kind.toLowerCase()}/${t.name}:${t.port}`;
}

interface Selector {
  matchLabels?: Record<string, string>;
  matchExpressions?: { key: string; operator: string; values?: string[] }[];
}

/** A label selector as the API's `labelSelector` query; undefined when it selects nothing (empty). */
export function selectorQuery(selector: Selector | undefined): string | undefined {
  const parts = Object.entries(selector?.matchLabels ?? {}).map(([k, v]) => `${k}=${v}`);
  for (const e of selector?.matchExpressions ?? []) {
    const values = (e.values ?? []).join(',');
    if (e.operator === 'In') parts.push(`${e.key} in (${values})`);
    else if (e.operator === 'NotIn') parts.push(`${e.key} notin (${values})`);
    else if (e.operator === 'Exists') parts.push(e.key);
    else if (e.operator === 'DoesNotExist') parts.push(`!${e.key}`);
  }
  return parts.length > 0 ? parts.join(',') : undefined;
}

interface PodStatus {
  phase?: string;
  conditions?: { type?: string; status?: string }[];
}

/** Running, Ready and not being deleted. */
export function isReadyPod(pod: KubeObject): boolean {
  const status = pod.status as PodStatus | undefined;
  const meta = pod.metadata as { deletionTimestamp?: string } | undefined;
  return (
    !meta?.deletionTimestamp &&
    status?.phase === 'Running' &&
    (status.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True')
  );
}

/** The newest ready pod among `pods` (the one a rollout just made), or undefined. */
export function newestReady(pods: readonly KubeObject[]): KubeObject | undefined {
  const created = (p: KubeObject) =>
    (p.metadata as { creationTimestamp?: string } | undefined)?.creationTimestamp ?? '';
  return pods.filter(isReadyPod).sort((a, b) => created(b).localeCompare(created(a)))[0];
}

/** The pod and port a connection goes to now; throws with the reason when there is none. */
export async function resolveTarget(conn: ClusterConnection, t: TargetRef): Promise<ForwardTarget> {
  if (t.kind === 'Service') return serviceForwardTarget(conn, t.namespace, t.name, t.port);
  if (t.kind === 'Pod') {
    const pod = await conn.reader.get({ apiVersion: 'v1', kind: 'Pod', namespace: t.namespace, name: t.name });
    if (!pod) throw new Error(`pod ${t.namespace}/${t.name} does not exist`);
    if (!isReadyPod(pod)) throw new Error(`pod ${t.namespace}/${t.name} is not ready`);
    return { namespace: t.namespace, pod: t.name, port: t.port };
  }
  const apiVersion = WORKLOAD_KINDS[t.kind];
  const workload = await conn.reader.get({ apiVersion, kind: t.kind, namespace: t.namespace, name: t.name });
  if (!workload) throw new Error(`${t.kind.toLowerCase()} ${t.namespace}/${t.name} does not exist`);
  const labelSelector = selectorQuery((workload.spec as { selector?: Selector } | undefined)?.selector);
  if (!labelSelector) throw new Error(`${t.kind.toLowerCase()} ${t.namespace}/${t.name} has no selector`);
  const { items } = await conn.reader.list('v1', 'Pod', { namespace: t.namespace, labelSelector });
  const pod = newestReady(items);
  if (!pod) throw new Error(`no ready pod of ${t.kind.toLowerCase()} ${t.namespace}/${t.name}`);
  return { namespace: t.namespace, pod: (pod.metadata as { name: string }).name, port: t.port };
}
