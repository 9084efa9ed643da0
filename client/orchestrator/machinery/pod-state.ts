/** What controllers read off a pod: active, ready, available, restarts, QoS. */
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { Condition } from './pod-conditions';

/** A pod's condition: the one condition type of every status (pod-conditions.ts). */
export type PodCondition = Condition;

export function podStatus(pod: Stored): JsonObject {
  return isObject(pod.status) ? pod.status : {};
}

export function podSpec(pod: Stored): JsonObject {
  return isObject(pod.spec) ? pod.spec : {};
}

export function podPhase(pod: Stored): string {
  const phase = podStatus(pod).phase;
  return typeof phase === 'string' ? phase : 'Pending';
}

export function nodeNameOf(pod: Stored): string {
  const name = podSpec(pod).nodeName;
  return typeof name === 'string' ? name : '';
}

export function podConditions(pod: Stored): PodCondition[] {
  const list = podStatus(pod).conditions;
  return Array.isArray(list) ? (list.filter(isObject) as unknown as PodCondition[]) : [];
}

/** The first condition of `type` (read for every pod of an owner on each of its reconciles: no filtered copy). */
export function podCondition(pod: Stored, type: string): PodCondition | undefined {
  const list = podStatus(pod).conditions;
  if (!Array.isArray(list)) return undefined;
  for (let i = 0; i < list.length; i++) {
    const c: unknown = list[i];
    if (isObject(c) && c.type === type) return c as unknown as PodCondition;
  }
  return undefined;
}

/** Not finished and not being deleted: counts toward a ReplicaSet's replicas. */
export function isPodActive(pod: Stored): boolean {
  const phase = podPhase(pod);
  return phase !== 'Succeeded' && phase !== 'Failed' && !pod.metadata.deletionTimestamp;
}

export function isPodReady(pod: Stored): boolean {
  return podCondition(pod, 'Ready')?.status === 'True';
}

/** When the pod last became Ready (ms), or undefined when it is not ready. */
export function readySince(pod: Stored): number | undefined {
  const ready = podCondition(pod, 'Ready');
  if (ready?.status !== 'True') return undefined;
  return ready.lastTransitionTime ? Date.parse(ready.lastTransitionTime) : 0;
}

/** Ready for at least `minReadySeconds`. */
export function isPodAvailable(pod: Stored, minReadySeconds: number, now: number): boolean {
  const since = readySince(pod);
  if (since === undefined) return false;
  return minReadySeconds === 0 || since + minReadySeconds * 1000 <= now;
}

export function restartCount(pod: Stored): number {
  const statuses = podStatus(pod).containerStatuses;
  if (!Array.isArray(statuses)) return 0;
  let max = 0;
  for (const s of statuses) if (isObject(s) && typeof s.restartCount === 'number') max = Math.max(max, s.restartCount);
  return max;
}

export function containersOf(spec: JsonObject, key: 'containers' | 'initContainers' = 'containers'): JsonObject[] {
  const list = spec[key];
  return Array.isArray(list) ? list.filter(isObject) : [];
}

/** Guaranteed, Burstable or BestEffort, as Kubernetes computes it from requests and limits. */
export function qosClass(spec: JsonObject): string {
  const all = [...containersOf(spec, 'initContainers'), ...containersOf(spec)];
  let any = false;
  let guaranteed = true;
  for (const c of all) {
    const resources = isObject(c.resources) ? c.resources : {};
    const requests = isObject(resources.requests) ? resources.requests : {};
    const limits = isObject(resources.limits) ? resources.limits : {};
    for (const r of ['cpu', 'memory']) {
      if (requests[r] !== undefined || limits[r] !== undefined) any = true;
      const request = requests[r] ?? limits[r];
      if (limits[r] === undefined || JSON.stringify(request) !== JSON.stringify(limits[r])) guaranteed = false;
    }
  }
  if (!any) return 'BestEffort';
  return guaranteed ? 'Guaranteed' : 'Burstable';
}
