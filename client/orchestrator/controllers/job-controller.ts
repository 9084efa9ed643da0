/**
 * The Job controller: runs a Job's pods to completion. It keeps up to
 * `parallelism` pods while completions remain (Indexed Jobs: one per pending
 * index), counts succeeded and failed pods (finished pods stay), waits
 * 10 s, 20 s, 40 s... (at most 6 min) before replacing failed ones, fails the
 * Job past `backoffLimit` or `activeDeadlineSeconds`, stops its pods while
 * `suspend` is set, and ends it like Kubernetes 1.32: `SuccessCriteriaMet` or
 * `FailureTarget` first, the remaining pods deleted, then `Complete` (with
 * completionTime) or `Failed` once none is left. A finished Job with
 * `ttlSecondsAfterFinished` is deleted when that has passed (its pods follow
 * through the garbage collector). Level-driven, one key at a time; writes go
 * through admission.
 */
import { rfc3339 } from '../clock';
import { splitKey, type Informer } from '../machinery/informer';
import { PODS } from '../machinery/informer-factory';
import { ObjectController } from '../machinery/object-controller';
import { clone, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { asError, numberOr, slowStartBatch, type ControllerContext } from '../machinery/controller-context';
import {
  activeRestarts,
  classifyPods,
  completionIndex,
  jobPodFromTemplate,
  replacementAllowedAt,
  type JobPods,
} from './job-pods';
import {
  BACKOFF_LIMIT_EXCEEDED,
  COMPLETIONS_REACHED,
  countsOf,
  DEADLINE_EXCEEDED,
  finishedCondition,
  jobConditions,
  jobSpec,
  jobStatus,
  setCondition,
  trueCondition,
  type JobCondition,
  type Verdict,
} from './job-status';
import { rankForDeletion } from './pod-ranking';

export const JOBS = 'batch/jobs';
/** At most this many pod creations or deletions per sync. */
const BURST = 500;

interface Plan {
  /** Pods to create: undefined entries for NonIndexed Jobs, the completion index otherwise. */
  create: (number | undefined)[];
  remove: Stored[];
  /** When to look again (ms from now), e.g. after a back-off. */
  recheckMs?: number;
}

export class JobController extends ObjectController {
  private readonly pods: Informer;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'job-controller', resource: JOBS, workers: 4 });
    this.pods = this.watchOwned(PODS, { owns: (ref) => ref.kind === 'Job' && ref.apiVersion.startsWith('batch/') });
  }

  private podsOf(job: Stored): JobPods {
    return classifyPods(this.pods.byIndex('controller', job.metadata.uid ?? ''));
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const job = this.objects.get(namespace, name);
    if (!job || job.metadata.deletionTimestamp) return;
    if (finishedCondition(job)) return this.expireFinished(job, key);
    const now = this.ctx.clock.now();
    const spec = jobSpec(job);
    const old = jobStatus(job);
    const suspended = spec.suspend === true;
    let pods = this.podsOf(job);
    const completed = this.completedIndexes(job, pods);
    const succeeded = completed ? completed.length : Math.max(numberOr(old.succeeded, 0), pods.succeeded.length);
    const failed = Math.max(numberOr(old.failed, 0), pods.failed.length);
    let conditions = jobConditions(job);
    let startTime = typeof old.startTime === 'string' ? old.startTime : undefined;
    if (suspended) startTime = undefined;
    else startTime ??= rfc3339(now);

    let failure: Verdict | undefined = trueCondition(job, 'FailureTarget');
    let success = trueCondition(job, 'SuccessCriteriaMet') !== undefined;
    if (!failure && !success) {
      failure = this.failureOf(job, pods, failed, startTime, now);
      if (failure) {
        conditions = setCondition(conditions, 'FailureTarget', 'True', failure, now);
        this.record(job, 'Warning', failure.reason, failure.message);
      } else if (this.succeeded(job, pods, succeeded, completed)) {
        success = true;
        conditions = setCondition(conditions, 'SuccessCriteriaMet', 'True', COMPLETIONS_REACHED, now);
      }
    }

    let plan: Plan;
    if (failure || success) plan = { create: [], remove: pods.active };
    else if (suspended) plan = { create: [], remove: pods.active };
    else plan = this.plan(job, pods, succeeded, completed, now);
    conditions = this.suspension(job, conditions, suspended && !failure && !success, now);
    const error = await this.apply(job, plan);
    if (plan.recheckMs !== undefined) this.queue.addAfter(key, plan.recheckMs);
    const deadline = numberOr(spec.activeDeadlineSeconds, -1);
    if (deadline >= 0 && startTime && !failure && !success && !suspended)
      this.queue.addAfter(key, Math.max(1, Date.parse(startTime) + deadline * 1000 - now));

    pods = this.podsOf(job);
    let completionTime: string | undefined;
    if ((failure || success) && pods.active.length === 0 && pods.terminating.length === 0) {
      if (failure) conditions = setCondition(conditions, 'Failed', 'True', failure, now);
      else {
        conditions = setCondition(conditions, 'Complete', 'True', COMPLETIONS_REACHED, now);
        completionTime = rfc3339(now);
        this.record(job, 'Normal', 'Completed', 'Job completed');
      }
    }
    const status: JsonObject = {
      ...(conditions.length > 0 ? { conditions } : {}),
      ...(startTime ? { startTime } : {}),
      ...(completionTime ? { completionTime } : {}),
      ...countsOf(pods, succeeded, failed, completed),
    };
    if (!jsonEqual(status, old)) {
      const next = clone(job) as KubeObject;
      next.status = status;
      const written = await this.writer.updateStatus(JOBS, next);
      if (finishedCondition(written)) await this.expireFinished(written, key);
    }
    if (error !== undefined) throw asError(error);
  }

  /** An Indexed Job's completed indexes (each counted once), undefined for other Jobs. */
  private completedIndexes(job: Stored, pods: JobPods): number[] | undefined {
    if (jobSpec(job).completionMode !== 'Indexed') return undefined;
    const completions = numberOr(jobSpec(job).completions, 0);
    const done = new Set<number>();
    for (const pod of pods.succeeded) {
      const index = completionIndex(pod);
      if (index !== undefined && index < completions) done.add(index);
    }
    return [...done].sort((a, b) => a - b);
  }

  private failureOf(
    job: Stored,
    pods: JobPods,
    failed: number,
    startTime: string | undefined,
    now: number,
  ): Verdict | undefined {
    const spec = jobSpec(job);
    const limit = numberOr(spec.backoffLimit, 6);
    const template = spec.template as { spec?: { restartPolicy?: unknown } } | undefined;
    if (failed > limit) return BACKOFF_LIMIT_EXCEEDED;
    if (template?.spec?.restartPolicy === 'OnFailure') {
      // Under OnFailure the kubelet restarts failing containers: their restarts are the failures.
      const restarts = activeRestarts(pods.active);
      if (limit === 0 ? restarts > 0 : restarts >= limit) return BACKOFF_LIMIT_EXCEEDED;
    }
    const deadline = numberOr(spec.activeDeadlineSeconds, -1);
    if (deadline >= 0 && startTime && spec.suspend !== true && Date.parse(startTime) + deadline * 1000 <= now)
      return DEADLINE_EXCEEDED;
    return undefined;
  }

  private succeeded(job: Stored, pods: JobPods, succeeded: number, completed: number[] | undefined): boolean {
    const completions = jobSpec(job).completions;
    if (completed) return completed.length >= numberOr(completions, 0);
    if (typeof completions === 'number') return succeeded >= completions;
    // Without completions, the first success finishes the Job once the others have ended.
    return succeeded > 0 && pods.active.length === 0;
  }

  /** The Suspended condition follows `suspend`: True with JobSuspended, back to False with JobResumed. */
  private suspension(job: Stored, conditions: JobCondition[], suspended: boolean, now: number): JobCondition[] {
    const was = conditions.find((c) => c.type === 'Suspended');
    if (suspended && was?.status !== 'True') {
      this.record(job, 'Normal', 'Suspended', 'Job suspended');
      return setCondition(conditions, 'Suspended', 'True', { reason: 'JobSuspended', message: 'Job suspended' }, now);
    }
    if (!suspended && was?.status === 'True') {
      this.record(job, 'Normal', 'Resumed', 'Job resumed');
      return setCondition(conditions, 'Suspended', 'False', { reason: 'JobResumed', message: 'Job resumed' }, now);
    }
    return conditions;
  }

  /** Which pods to create or delete so that `parallelism` pods work on what remains. */
  private plan(job: Stored, pods: JobPods, succeeded: number, completed: number[] | undefined, now: number): Plan {
    const spec = jobSpec(job);
    const parallelism = numberOr(spec.parallelism, 1);
    const busy =
      spec.podReplacementPolicy === 'Failed' ? pods.active.length + pods.terminating.length : pods.active.length;
    let create: (number | undefined)[] = [];
    let remove: Stored[] = [];
    if (completed) {
      const completions = numberOr(spec.completions, 0);
      const taken = new Set<number>(completed);
      for (const pod of pods.active) {
        const index = completionIndex(pod);
        // A pod for a finished, duplicate or unknown index has nothing to do.
        if (index === undefined || index >= completions || taken.has(index)) remove.push(pod);
        else taken.add(index);
      }
      for (const pod of pods.terminating) {
        const index = completionIndex(pod);
        if (index !== undefined) taken.add(index);
      }
      const room = Math.max(0, parallelism - (busy - remove.length));
      for (let i = 0; i < completions && create.length < room; i++) if (!taken.has(i)) create.push(i);
    } else {
      const completions = spec.completions;
      const want =
        typeof completions === 'number'
          ? Math.max(0, Math.min(parallelism, completions - succeeded))
          : succeeded > 0
            ? pods.active.length
            : parallelism;
      if (busy < want) create = new Array<undefined>(want - busy).fill(undefined);
      else if (pods.active.length > want) remove = rankForDeletion(pods.active).slice(0, pods.active.length - want);
    }
    create = create.slice(0, BURST);
    remove = remove.slice(0, BURST);
    if (create.length > 0) {
      const allowedAt = replacementAllowedAt(pods);
      if (allowedAt !== undefined && allowedAt > now) return { create: [], remove, recheckMs: allowedAt - now };
    }
    return { create, remove };
  }

  private async apply(job: Stored, plan: Plan): Promise<unknown> {
    let error: unknown;
    const removed = await Promise.allSettled(
      plan.remove.map(async (pod) => {
        const meta = pod.metadata;
        await this.writer.delete(PODS, meta.namespace ?? '', meta.name ?? '', {
          preconditions: { uid: meta.uid ?? '' },
        });
        this.record(job, 'Normal', 'SuccessfulDelete', `Deleted pod: ${meta.name ?? ''}`);
      }),
    );
    error = removed.find((r): r is PromiseRejectedResult => r.status === 'rejected')?.reason;
    if (plan.create.length > 0) {
      const queue = [...plan.create];
      const result = await slowStartBatch(queue.length, async () => {
        const pod = await this.writer.create(PODS, jobPodFromTemplate(job, queue.shift()));
        this.record(job, 'Normal', 'SuccessfulCreate', `Created pod: ${pod.metadata.name ?? ''}`);
      });
      if (result.error !== undefined) {
        this.record(job, 'Warning', 'FailedCreate', `Error creating: ${asError(result.error).message}`);
        error ??= result.error;
      }
    }
    return error;
  }

  /** Deletes a finished Job whose `ttlSecondsAfterFinished` has passed, or looks again when it will have. */
  private async expireFinished(job: Stored, key: string): Promise<void> {
    const ttl = jobSpec(job).ttlSecondsAfterFinished;
    const finished = finishedCondition(job);
    if (typeof ttl !== 'number' || !finished) return;
    const expiresAt = Date.parse(finished.lastTransitionTime) + ttl * 1000;
    const now = this.ctx.clock.now();
    if (expiresAt > now) {
      this.queue.addAfter(key, expiresAt - now);
      return;
    }
    const meta = job.metadata;
    try {
      await this.writer.delete(JOBS, meta.namespace ?? '', meta.name ?? '', {
        propagationPolicy: 'Foreground',
        preconditions: { uid: meta.uid ?? '' },
      });
    } catch (error) {
      if (this.ctx.store.get(JOBS, meta.namespace ?? '', meta.name ?? '')?.metadata.uid === meta.uid) throw error;
    }
  }
}
