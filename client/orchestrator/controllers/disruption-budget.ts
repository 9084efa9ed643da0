/**
 * The arithmetic of a PodDisruptionBudget, as Kubernetes' disruption
 * controller does it: expected pods and desired healthy from `minAvailable`
 * or `maxUnavailable` (integers count matching pods; percentages and
 * `maxUnavailable` scale the pods' controllers' `replicas`, rounding up),
 * healthy = ready, not deleting and not recently evicted, allowed = healthy -
 * desired (never below 0, 0 with no expected pods).
 */
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { isPodReady } from '../machinery/pod-state';

/** How long an eviction counts a pod as gone before the pod shows its deletion (Kubernetes' DeletionTimeout). */
export const DELETION_TIMEOUT_MS = 2 * 60 * 1000;

export interface BudgetNumbers {
  expectedPods: number;
  desiredHealthy: number;
  currentHealthy: number;
  disruptionsAllowed: number;
  /** Evicted pods not yet seen deleting, with their eviction times. */
  disruptedPods: Record<string, string>;
  /** When the earliest of those evictions times out, to look again then. */
  recheckAt?: number;
}

/** An IntOrString: a whole number, or `N%` (a percentage of `total`, rounded up). Throws on anything else. */
export function scaledValue(value: unknown, total: number, field: string): number {
  if (typeof value === 'number') {
    if (!Number.isSafeInteger(value) || value < 0) throw new Error(`${field}: invalid value ${value}`);
    return value;
  }
  if (typeof value === 'string') {
    const m = /^(\d{1,9})%$/.exec(value);
    if (!m) throw new Error(`invalid value for IntOrString: invalid value ${JSON.stringify(value)}`);
    return Math.ceil((Number(m[1]) * total) / 100);
  }
  throw new Error(`${field}: invalid value ${JSON.stringify(value)}`);
}

/** The budget's numbers from its matching pods; `expectedScale` sums their controllers' replicas (it throws when a pod has none). */
export function budgetNumbers(
  pdb: Stored,
  pods: readonly Stored[],
  expectedScale: () => number,
  now: number,
): BudgetNumbers {
  const spec = isObject(pdb.spec) ? pdb.spec : {};
  let expectedPods = 0;
  let desiredHealthy = 0;
  if (spec.maxUnavailable !== undefined && spec.maxUnavailable !== null) {
    expectedPods = expectedScale();
    const maxUnavailable = scaledValue(spec.maxUnavailable, expectedPods, 'maxUnavailable');
    desiredHealthy = Math.max(0, expectedPods - maxUnavailable);
  } else if (typeof spec.minAvailable === 'number') {
    expectedPods = pods.length;
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods, 'minAvailable');
  } else if (spec.minAvailable !== undefined && spec.minAvailable !== null) {
    expectedPods = expectedScale();
    desiredHealthy = scaledValue(spec.minAvailable, expectedPods, 'minAvailable');
  }
  const status = isObject(pdb.status) ? pdb.status : {};
  const known = isObject(status.disruptedPods) ? status.disruptedPods : {};
  const disruptedPods: Record<string, string> = {};
  let recheckAt: number | undefined;
  let currentHealthy = 0;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp) continue;
    const evicted = Object.prototype.hasOwnProperty.call(known, name) ? known[name] : undefined;
    const at = typeof evicted === 'string' ? Date.parse(evicted) : NaN;
    if (Number.isFinite(at) && at + DELETION_TIMEOUT_MS > now) {
      Object.defineProperty(disruptedPods, name, { value: evicted, enumerable: true, writable: true });
      recheckAt = Math.min(recheckAt ?? Infinity, at + DELETION_TIMEOUT_MS);
      continue;
    }
    if (isPodReady(pod)) currentHealthy++;
  }
  let disruptionsAllowed = currentHealthy - desiredHealthy;
  if (expectedPods <= 0 || disruptionsAllowed <= 0) disruptionsAllowed = 0;
  return {
    expectedPods,
    desiredHealthy,
    currentHealthy,
    disruptionsAllowed,
    disruptedPods,
    ...(recheckAt !== undefined ? { recheckAt } : {}),
  };
}
