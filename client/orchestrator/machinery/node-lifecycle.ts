/**
 * What the node lifecycle and taint-eviction controllers share: the taints a
 * node's health puts on it, the pod index by node, and how long a pod
 * tolerates a node's NoExecute taints.
 */
import { NOT_READY_TAINT, UNREACHABLE_TAINT } from '../api/admission/default-toleration-seconds';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { IndexFunc } from './informer';
import { tolerates, type Taint } from './node-fit';
import { nodeNameOf } from './pod-state';

export { NOT_READY_TAINT, UNREACHABLE_TAINT };

/** The kubelets' heartbeat Leases: `kube-node-lease/<node>`. */
export const LEASES = 'coordination.k8s.io/leases';
export const NODE_LEASE_NAMESPACE = 'kube-node-lease';

/** The pod informer's index by `spec.nodeName` (unbound pods are not indexed). */
export const BY_NODE = 'nodeName';
export const byNodeName: IndexFunc = (pod) => {
  const node = nodeNameOf(pod);
  return node === '' ? [] : [node];
};

/** The taint keys the node lifecycle controller owns: it adds and removes them, and no others. */
export const HEALTH_TAINT_KEYS: ReadonlySet<string> = new Set([NOT_READY_TAINT, UNREACHABLE_TAINT]);

/** A NoExecute taint with the time it was added (ms since the epoch; undefined when missing or unreadable). */
export interface TimedTaint extends Taint {
  timeAdded?: string;
}

export function timeAddedMs(taint: TimedTaint): number | undefined {
  if (typeof taint.timeAdded !== 'string') return undefined;
  const ms = Date.parse(taint.timeAdded);
  return Number.isNaN(ms) ? undefined : ms;
}

/**
 * How long a pod may stay on a node with these NoExecute taints, as Kubernetes' taint manager decides:
 * `undefined` when some taint is not tolerated (evict now), `Infinity` when every matching toleration
 * has no tolerationSeconds, else the shortest tolerationSeconds (negative counts as 0) in ms.
 */
export function tolerationWindowMs(tolerations: readonly JsonObject[], taints: readonly Taint[]): number | undefined {
  let min = Infinity;
  for (const taint of taints) {
    const matching = tolerations.filter((t) => tolerates([t], taint));
    if (matching.length === 0) return undefined;
    for (const t of matching) {
      const seconds = t.tolerationSeconds;
      if (typeof seconds !== 'number' || !Number.isFinite(seconds)) continue;
      min = Math.min(min, Math.max(0, Math.floor(seconds)) * 1000);
    }
  }
  return min;
}

/** The Ready condition's status of a node (`True`, `False`, `Unknown`), undefined without one. */
export function nodeReadyStatus(node: Stored): string | undefined {
  const status = isObject(node.status) ? node.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  const ready = conditions.find((c) => c.type === 'Ready');
  return typeof ready?.status === 'string' ? ready.status : undefined;
}

export function podTolerations(pod: Stored): JsonObject[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  return Array.isArray(spec.tolerations) ? spec.tolerations.filter(isObject) : [];
}
