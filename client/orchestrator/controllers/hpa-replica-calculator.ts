/**
 * The HorizontalPodAutoscaler's replica calculation, as Kubernetes' replica
 * calculator does it (its documented algorithm):
 *
 *   desired = ceil(current * currentMetric / target), kept at `current` while
 *   the ratio is within the tolerance (10 %).
 *
 * Pods being deleted or failed are ignored; pending pods count as unready; for
 * CPU, a pod is unready while it has no Ready condition or start time, while
 * inside the CPU initialization period (5 min) it is not ready or its sample
 * predates one window after its last readiness change, and after that period
 * when it is not ready and never was (its readiness changed within the
 * initial readiness delay, 30 s, after it started). Pods without a sample are
 * "missing". A first ratio is taken over the ready pods with samples; then,
 * if there are missing pods, they are taken to use 100 % of the target when
 * scaling down and 0 % when scaling up, and unready pods 0 % when scaling up;
 * the ratio is taken again and the scale is dropped if it changes direction
 * or falls within the tolerance. All values are in milli-units.
 */
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';

export const TOLERANCE = 0.1;
export const CPU_INITIALIZATION_PERIOD_MS = 5 * 60_000;
export const INITIAL_READINESS_DELAY_MS = 30_000;

/** A pod's sample: its value and when and over what window it was taken. */
export interface PodSample {
  value: number;
  timestamp: number;
  windowMs: number;
}

export type PodSamples = Map<string, PodSample>;

export interface CalculationOptions {
  now: number;
  tolerance?: number;
  cpuInitializationPeriodMs?: number;
  initialReadinessDelayMs?: number;
}

export class ReplicaCalculationError extends Error {}

export const NO_PODS = 'no pods returned by selector while calculating replica count';
export const NO_METRICS_FOR_PODS = 'did not receive metrics for targeted pods (pods might be unready)';

function readyCondition(pod: Stored): { status: string; lastTransition: number } | undefined {
  const status = isObject(pod.status) ? pod.status : {};
  const conditions = Array.isArray(status.conditions) ? status.conditions : [];
  for (const c of conditions) {
    if (isObject(c) && c.type === 'Ready') {
      const at = typeof c.lastTransitionTime === 'string' ? Date.parse(c.lastTransitionTime) : NaN;
      return { status: String(c.status), lastTransition: Number.isFinite(at) ? at : 0 };
    }
  }
  return undefined;
}

function startTime(pod: Stored): number | undefined {
  const value = isObject(pod.status) ? pod.status.startTime : undefined;
  const at = typeof value === 'string' ? Date.parse(value) : NaN;
  return Number.isFinite(at) ? at : undefined;
}

function phase(pod: Stored): string {
  return isObject(pod.status) && typeof pod.status.phase === 'string' ? pod.status.phase : '';
}

export interface PodGroups {
  readyCount: number;
  unready: Set<string>;
  missing: Set<string>;
  ignored: Set<string>;
}

/** Sorts the target's pods as the replica calculator does (see the header); `cpu` turns on the CPU rules. */
export function groupPods(
  pods: readonly Stored[],
  samples: PodSamples,
  cpu: boolean,
  o: CalculationOptions,
): PodGroups {
  const groups: PodGroups = { readyCount: 0, unready: new Set(), missing: new Set(), ignored: new Set() };
  const initPeriod = o.cpuInitializationPeriodMs ?? CPU_INITIALIZATION_PERIOD_MS;
  const readinessDelay = o.initialReadinessDelayMs ?? INITIAL_READINESS_DELAY_MS;
  for (const pod of pods) {
    const name = pod.metadata.name ?? '';
    if (pod.metadata.deletionTimestamp || phase(pod) === 'Failed') {
      groups.ignored.add(name);
      continue;
    }
    if (phase(pod) === 'Pending') {
      groups.unready.add(name);
      continue;
    }
    const sample = samples.get(name);
    if (!sample) {
      groups.missing.add(name);
      continue;
    }
    if (cpu) {
      const ready = readyCondition(pod);
      const started = startTime(pod);
      let unready: boolean;
      if (!ready || started === undefined) unready = true;
      else if (started + initPeriod > o.now)
        unready = ready.status === 'False' || sample.timestamp < ready.lastTransition + sample.windowMs;
      else unready = ready.status === 'False' && started + readinessDelay > ready.lastTransition;
      if (unready) {
        groups.unready.add(name);
        continue;
      }
    }
    groups.readyCount++;
  }
  return groups;
}

function without(samples: PodSamples, names: Set<string>): Map<string, number> {
  const out = new Map<string, number>();
  for (const [name, s] of samples) if (!names.has(name)) out.set(name, s.value);
  return out;
}

function union(a: Set<string>, b: Set<string>): Set<string> {
  return new Set([...a, ...b]);
}

/** Utilization of `values` against the pods' requests: [ratio to target, utilization %, raw average]. */
function utilizationRatio(
  values: Map<string, number>,
  requests: Map<string, number>,
  targetUtilization: number,
): [ratio: number, utilization: number, rawAverage: number] {
  let usage = 0;
  let requested = 0;
  for (const [name, value] of values) {
    const request = requests.get(name);
    if (request === undefined) continue;
    usage += value;
    requested += request;
  }
  if (requested === 0) throw new ReplicaCalculationError('no metrics returned matched known pods');
  const utilization = Math.trunc((usage * 100) / requested);
  return [utilization / targetUtilization, utilization, Math.trunc(usage / values.size)];
}

function averageRatio(values: Map<string, number>, target: number): [ratio: number, average: number] {
  let total = 0;
  for (const v of values.values()) total += v;
  const average = Math.trunc(total / values.size);
  return [total / values.size / target, average];
}

export interface ResourceProposal {
  replicas: number;
  utilization: number;
  rawAverage: number;
}

/** Replicas for a `Resource`/`ContainerResource` metric with an `averageUtilization` target. */
export function resourceUtilizationReplicas(
  currentReplicas: number,
  targetUtilization: number,
  pods: readonly Stored[],
  samples: PodSamples,
  requests: Map<string, number>,
  cpu: boolean,
  o: CalculationOptions,
): ResourceProposal {
  const tolerance = o.tolerance ?? TOLERANCE;
  if (pods.length === 0) throw new ReplicaCalculationError(NO_PODS);
  const g = groupPods(pods, samples, cpu, o);
  const values = without(samples, union(g.ignored, g.unready));
  if (values.size === 0) throw new ReplicaCalculationError(NO_METRICS_FOR_PODS);
  const [ratio, utilization, rawAverage] = utilizationRatio(values, requests, targetUtilization);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: currentReplicas, utilization, rawAverage };
    return { replicas: Math.ceil(ratio * g.readyCount), utilization, rawAverage };
  }
  if (g.missing.size > 0) {
    // Scaling down: a missing pod uses all it requests (or the target, when the target is above 100 %).
    const fallback = Math.max(100, targetUtilization);
    for (const name of g.missing) values.set(name, ratio < 1 ? ((requests.get(name) ?? 0) * fallback) / 100 : 0);
  }
  if (scaleUpWithUnready) for (const name of g.unready) values.set(name, 0);
  const [newRatio] = utilizationRatio(values, requests, targetUtilization);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1))
    return { replicas: currentReplicas, utilization, rawAverage };
  const replicas = Math.ceil(newRatio * values.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas))
    return { replicas: currentReplicas, utilization, rawAverage };
  return { replicas, utilization, rawAverage };
}

/**
 * Replicas for a per-pod average value target (`Resource` with `averageValue`, `Pods` metrics): the
 * same rules with the average of the samples against `target`; `cpu` applies the CPU readiness rules.
 */
export function averageValueReplicas(
  currentReplicas: number,
  target: number,
  pods: readonly Stored[],
  samples: PodSamples,
  cpu: boolean,
  o: CalculationOptions,
): { replicas: number; average: number } {
  const tolerance = o.tolerance ?? TOLERANCE;
  if (pods.length === 0) throw new ReplicaCalculationError(NO_PODS);
  const g = groupPods(pods, samples, cpu, o);
  const values = without(samples, union(g.ignored, g.unready));
  if (values.size === 0) throw new ReplicaCalculationError(NO_METRICS_FOR_PODS);
  const [ratio, average] = averageRatio(values, target);
  const scaleUpWithUnready = g.unready.size > 0 && ratio > 1;
  if (!scaleUpWithUnready && g.missing.size === 0) {
    if (Math.abs(1 - ratio) <= tolerance) return { replicas: currentReplicas, average };
    return { replicas: Math.ceil(ratio * g.readyCount), average };
  }
  if (g.missing.size > 0) {
    for (const name of g.missing) values.set(name, ratio < 1 ? target : 0);
  }
  if (scaleUpWithUnready) for (const name of g.unready) values.set(name, 0);
  const [newRatio] = averageRatio(values, target);
  if (Math.abs(1 - newRatio) <= tolerance || (ratio < 1 && newRatio > 1) || (ratio > 1 && newRatio < 1))
    return { replicas: currentReplicas, average };
  const replicas = Math.ceil(newRatio * values.size);
  if ((newRatio < 1 && replicas > currentReplicas) || (newRatio > 1 && replicas < currentReplicas))
    return { replicas: currentReplicas, average };
  return { replicas, average };
}

/** Pods that are Running with Ready=True (what an Object metric's ratio is multiplied by). */
export function readyPodCount(pods: readonly Stored[]): number {
  if (pods.length === 0) throw new ReplicaCalculationError(NO_PODS);
  return pods.filter((p) => phase(p) === 'Running' && readyCondition(p)?.status === 'True').length;
}

/** Replicas for an `Object` metric with a `value` target. */
export function objectValueReplicas(
  currentReplicas: number,
  value: number,
  target: number,
  pods: readonly Stored[],
  tolerance = TOLERANCE,
): number {
  const ratio = value / target;
  if (currentReplicas === 0) return Math.ceil(ratio);
  if (Math.abs(1 - ratio) <= tolerance) return currentReplicas;
  return Math.ceil(ratio * readyPodCount(pods));
}

/** Replicas for an `Object` metric with an `averageValue` target (the value divided over the current replicas). */
export function objectAverageValueReplicas(
  statusReplicas: number,
  value: number,
  targetAverage: number,
  tolerance = TOLERANCE,
): { replicas: number; average: number } {
  const ratio = value / (targetAverage * statusReplicas);
  const replicas = Math.abs(1 - ratio) > tolerance ? Math.ceil(value / targetAverage) : statusReplicas;
  return { replicas, average: statusReplicas > 0 ? Math.trunc(value / statusReplicas) : value };
}
