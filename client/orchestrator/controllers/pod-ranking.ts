/**
 * Which pods a ReplicaSet deletes first when it scales down, in Kubernetes'
 * order: unassigned before assigned; Pending before Unknown before Running;
 * not ready before ready; lower pod-deletion-cost first; more siblings on the
 * same node first; more recently ready first; more restarts first; newer first.
 */
import type { Stored } from '../store/object-store';
import { isPodReady, nodeNameOf, podPhase, readySince, restartCount } from '../machinery/pod-state';

const PHASE_ORDER: Record<string, number> = { Pending: 0, Unknown: 1, Running: 2 };
export const DELETION_COST = 'controller.kubernetes.io/pod-deletion-cost';

function deletionCost(pod: Stored): number {
  const text = pod.metadata.annotations?.[DELETION_COST];
  const n = text === undefined ? 0 : Number(text);
  return Number.isInteger(n) ? n : 0;
}

/** Orders `pods` so the first ones are the ones to delete; `related` are the owner's pods (for siblings on a node). */
export function rankForDeletion(pods: readonly Stored[], related: readonly Stored[] = pods): Stored[] {
  const perNode = new Map<string, number>();
  for (const p of related) {
    const node = nodeNameOf(p);
    if (node !== '') perNode.set(node, (perNode.get(node) ?? 0) + 1);
  }
  const keyed = pods.map((pod) => ({
    pod,
    node: nodeNameOf(pod),
    phase: PHASE_ORDER[podPhase(pod)] ?? 1,
    ready: isPodReady(pod),
    cost: deletionCost(pod),
    siblings: perNode.get(nodeNameOf(pod)) ?? 0,
    readyAt: readySince(pod) ?? 0,
    restarts: restartCount(pod),
    created: Date.parse(pod.metadata.creationTimestamp ?? '') || 0,
  }));
  keyed.sort((a, b) => {
    if ((a.node === '') !== (b.node === '')) return a.node === '' ? -1 : 1;
    if (a.phase !== b.phase) return a.phase - b.phase;
    if (a.ready !== b.ready) return a.ready ? 1 : -1;
    if (a.cost !== b.cost) return a.cost - b.cost;
    if (a.siblings !== b.siblings) return b.siblings - a.siblings;
    if (a.ready && b.ready && a.readyAt !== b.readyAt) return b.readyAt - a.readyAt;
    if (a.restarts !== b.restarts) return b.restarts - a.restarts;
    if (a.created !== b.created) return b.created - a.created;
    return (a.pod.metadata.uid ?? '') < (b.pod.metadata.uid ?? '') ? -1 : 1;
  });
  return keyed.map((k) => k.pod);
}
