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

/**
 * What `scoreNodes` counts per candidate (untolerated taints, affinity, siblings), kept between calls:
 * it runs for every pod with every feasible node, and three fresh arrays a call were ~1.5 % of the
 * bytes the 10,000-pod churn allocates. Plain numbers, so a Float64Array holds them exactly.
 */
let counts = new Float64Array(0);
/** The scores `scoreNodes` answers, kept between calls for the same reason. */
let scores = new Float64Array(0);

/**
 * Scores for each candidate, highest best: the first `candidates.length` entries of an array this module
 * reuses, valid until the next call (read them at once; copy them to keep them).
 */
export function scoreNodes(pod: Stored, requests: PodRequests, candidates: readonly NodeInfo[]): Float64Array {
  const spec = isObject(pod.spec) ? pod.spec : {};
  // Called for every pod with every feasible node: plain loops, and the tolerations read only for a tainted node.
  let tolerations: JsonObject[] | undefined;
  const n = candidates.length;
  if (counts.length < 3 * n) counts = new Float64Array(3 * n);
  if (scores.length < n) scores = new Float64Array(n);
  const taints = 0;
  const affinities = n;
  const siblings = 2 * n;
  let maxTaints = 0;
  let maxAffinity = 0;
  let maxSiblings = 0;
  for (let i = 0; i < n; i++) {
    const info = candidates[i]!;
    let untolerated = 0;
    for (const t of taintsOf(info.node)) {
      if (t.effect !== 'PreferNoSchedule') continue;
      tolerations ??= Array.isArray(spec.tolerations) ? spec.tolerations.filter(isObject) : [];
      if (!tolerates(tolerations, t)) untolerated++;
    }
    const affinity = preferredAffinity(spec, info.node);
    const sibling = requests.owner === '' ? 0 : (info.podsByOwner.get(requests.owner) ?? 0);
    counts[taints + i] = untolerated;
    counts[affinities + i] = affinity;
    counts[siblings + i] = sibling;
    maxTaints = Math.max(maxTaints, untolerated);
    maxAffinity = Math.max(maxAffinity, affinity);
    maxSiblings = Math.max(maxSiblings, sibling);
  }
  for (let i = 0; i < n; i++) {
    const taint = maxTaints === 0 ? 100 : (100 * (maxTaints - counts[taints + i]!)) / maxTaints;
    const affinity = maxAffinity === 0 ? 0 : (100 * counts[affinities + i]!) / maxAffinity;
    const spread = maxSiblings === 0 ? 100 : (100 * (maxSiblings - counts[siblings + i]!)) / maxSiblings;
    scores[i] = 3 * taint + 2 * affinity + 2 * spread + leastAllocated(requests, candidates[i]!);
  }
  return scores;
}
