/**
 * The steps of a Deployment rollout, as Kubernetes' deployment controller
 * takes them: how far the new ReplicaSet may grow (maxSurge), how far the
 * old ones may shrink (maxUnavailable, unhealthy and oldest first), and the
 * Recreate strategy. Each returns the replica counts to write; the
 * controller writes them.
 */
import type { Stored } from '../store/object-store';
import { availableOf, byCreation, replicasOf, specReplicasOf, surgeAndUnavailable } from './deployment-util';

export type ScalePlan = Map<Stored, number>;

/** New ReplicaSet size for a rolling update: up to replicas + maxSurge pods in all. */
export function newReplicaSetSize(deploy: Stored, newRS: Stored | undefined, all: readonly Stored[]): number {
  const replicas = replicasOf(deploy);
  const current = newRS ? specReplicasOf(newRS) : 0;
  if (current >= replicas) return replicas;
  const [surge] = surgeAndUnavailable(deploy);
  const total = all.reduce((n, rs) => n + specReplicasOf(rs), 0);
  const maxTotal = replicas + surge;
  if (total >= maxTotal) return current;
  return current + Math.min(maxTotal - total, replicas - current);
}

/** Old ReplicaSet sizes for a rolling update: never below replicas - maxUnavailable available pods. */
export function scaleDownOld(deploy: Stored, newRS: Stored | undefined, old: readonly Stored[]): ScalePlan {
  const plan: ScalePlan = new Map();
  const oldTotal = old.reduce((n, rs) => n + specReplicasOf(rs), 0);
  if (oldTotal === 0) return plan;
  const all = newRS ? [...old, newRS] : [...old];
  const allPods = all.reduce((n, rs) => n + specReplicasOf(rs), 0);
  const [, maxUnavailable] = surgeAndUnavailable(deploy);
  const minAvailable = replicasOf(deploy) - maxUnavailable;
  const newUnavailable = newRS ? specReplicasOf(newRS) - availableOf(newRS) : 0;
  let maxScaledDown = allPods - minAvailable - newUnavailable;
  if (maxScaledDown <= 0) return plan;
  const sorted = [...old].sort(byCreation);
  const size = new Map(sorted.map((rs) => [rs, specReplicasOf(rs)]));
  // First the pods that are not available anyway.
  for (const rs of sorted) {
    if (maxScaledDown <= 0) break;
    const unhealthy = size.get(rs)! - Math.min(availableOf(rs), size.get(rs)!);
    const cut = Math.min(unhealthy, maxScaledDown);
    if (cut <= 0) continue;
    size.set(rs, size.get(rs)! - cut);
    maxScaledDown -= cut;
  }
  // Then available ones, as far as minAvailable allows.
  const available = all.reduce((n, rs) => n + Math.min(availableOf(rs), size.get(rs) ?? specReplicasOf(rs)), 0);
  let allowed = available - minAvailable;
  for (const rs of sorted) {
    if (allowed <= 0) break;
    const cut = Math.min(size.get(rs)!, allowed);
    if (cut <= 0) continue;
    size.set(rs, size.get(rs)! - cut);
    allowed -= cut;
  }
  for (const rs of sorted) if (size.get(rs) !== specReplicasOf(rs)) plan.set(rs, size.get(rs)!);
  return plan;
}
