/** A Job's conditions and status as the Job controller writes them, with Kubernetes' reasons and messages. */
import { rfc3339 } from '../clock';
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { formatIndexes, type JobPods } from './job-pods';
import { isPodReady } from '../machinery/pod-state';

export interface JobCondition {
  type: string;
  status: 'True' | 'False';
  reason: string;
  message: string;
  lastProbeTime: string;
  lastTransitionTime: string;
}

export interface Verdict {
  reason: string;
  message: string;
}

export const BACKOFF_LIMIT_EXCEEDED: Verdict = {
  reason: 'BackoffLimitExceeded',
  message: 'Job has reached the specified backoff limit',
};
export const DEADLINE_EXCEEDED: Verdict = {
  reason: 'DeadlineExceeded',
  message: 'Job was active longer than specified deadline',
};
export const COMPLETIONS_REACHED: Verdict = {
  reason: 'CompletionsReached',
  message: 'Reached expected number of succeeded pods',
};

export function jobSpec(job: Stored): JsonObject {
  return isObject(job.spec) ? job.spec : {};
}

export function jobStatus(job: Stored): JsonObject {
  return isObject(job.status) ? job.status : {};
}

export function jobConditions(job: Stored): JobCondition[] {
  const list = jobStatus(job).conditions;
  return Array.isArray(list) ? (list.filter(isObject) as unknown as JobCondition[]) : [];
}

export function trueCondition(job: Stored, type: string): JobCondition | undefined {
  return jobConditions(job).find((c) => c.type === type && c.status === 'True');
}

/** `Complete` or `Failed` once the Job has finished. */
export function finishedCondition(job: Stored): JobCondition | undefined {
  return trueCondition(job, 'Complete') ?? trueCondition(job, 'Failed');
}

/** Sets a condition; one already at this status is left as it is (its times too). */
export function setCondition(
  list: JobCondition[],
  type: string,
  status: 'True' | 'False',
  verdict: Verdict,
  now: number,
): JobCondition[] {
  const existing = list.find((c) => c.type === type);
  if (existing?.status === status) return list;
  const at = rfc3339(now);
  const next = {
    type,
    status,
    reason: verdict.reason,
    message: verdict.message,
    lastProbeTime: at,
    lastTransitionTime: at,
  };
  return existing ? list.map((c) => (c === existing ? next : c)) : [...list, next];
}

/** Counts written to `status`: the counters only when non-zero, `ready` and `terminating` always (as Kubernetes does). */
export function countsOf(
  pods: JobPods,
  succeeded: number,
  failed: number,
  completedIndexes: readonly number[] | undefined,
): JsonObject {
  const indexes = completedIndexes ? formatIndexes(completedIndexes) : '';
  return {
    ...(pods.active.length > 0 ? { active: pods.active.length } : {}),
    ...(succeeded > 0 ? { succeeded } : {}),
    ...(failed > 0 ? { failed } : {}),
    ...(indexes !== '' ? { completedIndexes: indexes } : {}),
    ready: pods.active.filter(isPodReady).length,
    terminating: pods.terminating.length,
    uncountedTerminatedPods: {},
  };
}
