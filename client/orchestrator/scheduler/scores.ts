/**
 * Scoring of the nodes that passed the filters, each plugin 0-100 times its
 * weight as kube-scheduler's defaults: TaintToleration (3, fewer untolerated
 * PreferNoSchedule taints), NodeAffinity (2, preferred terms), spreading a
 * workload's replicas (2, fewer siblings), NodeResourcesFit LeastAllocated (1).
 */
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { matchesTerm, taintsOf, tolerates } from '../machinery/node-fit';
import type { NodeInfo } from './node-info';
import type { PodRequests } from './pod-requests';

function leastAllocated(requests: PodRequests, info: NodeInfo): number {
  const part = (used: number, capacity: number) =>
    capacity <= 0 || used > capacity ? 0 : ((capacity - used) * 100) / capacity;
  return (
    (part(info.scoreMilliCpu + requests.scoreMilliCpu, info.allocatable.milliCpu) +
      part(info.scoreMemory + requests.scoreMemory, info.allocatable.memory)) /
    2
  );
}

function preferredAffinity(spec: JsonObject, node: Stored): number {
  const affinity =
    isObject(spec.affinity) && isObject(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : undefined;
  const preferred = affinity?.preferredDuringSchedulingIgnoredDuringExecution;
  if (!Array.isArray(preferred)) return 0;
  let sum = 0;
  for (const p of preferred.filter(isObject)) {
    if (isObject(p.preference) && matchesTerm(p.preference, node)) sum += typeof p.weight === 'number' ? p.weight : 0;
  }
  return sum;
}

/** Scores for each candidate, highest best. */
export function scoreNodes(pod: Stored, requests: PodRequests, candidates: readonly NodeInfo[]): number[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations.filter(isObject) : [];
  const raw = candidates.map((info) => ({
    taints: taintsOf(info.node).filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(tolerations, t)).length,
    affinity: preferredAffinity(spec, info.node),
    siblings: requests.owner === '' ? 0 : (info.podsByOwner.get(requests.owner) ?? 0),
  }));
  const maxTaints = Math.max(0, ...raw.map((r) => r.taints));
  const maxAffinity = Math.max(0, ...raw.map((r) => r.affinity));
  const maxSiblings = Math.max(0, ...raw.map((r) => r.siblings));
  return candidates.map((info, i) => {
    const r = raw[i]!;
    const taint = maxTaints === 0 ? 100 : (100 * (maxTaints - r.taints)) / maxTaints;
    const affinity = maxAffinity === 0 ? 0 : (100 * r.affinity) / maxAffinity;
    const spread = maxSiblings === 0 ? 100 : (100 * (maxSiblings - r.siblings)) / maxSiblings;
    return 3 * taint + 2 * affinity + 2 * spread + leastAllocated(requests, info);
  });
}
