/**
 * The CronJob controller: at each scheduled time (its cron schedule read in
 * `timeZone`, or the process's zone) it creates the Job `<cronjob>-<minutes
 * since the epoch>` from `jobTemplate`, owned by the CronJob. Times are read
 * off the injected clock and the key is requeued for the next one (no
 * sleeping). `concurrencyPolicy` Forbid skips a run while one is active,
 * Replace deletes the active ones first; a time missed by more than
 * `startingDeadlineSeconds` is not run. Finished Jobs beyond the history
 * limits are deleted, oldest first; status keeps `active`,
 * `lastScheduleTime` and `lastSuccessfulTime`.
 */
import { rfc3339 } from '../clock';
import { parseCronSchedule, type CronSchedule } from '../../../server/kube-model/cron-schedule';
import { splitKey, type Informer } from '../machinery/informer';
import { ObjectController } from '../machinery/object-controller';
import { StatusError } from '../store/errors';
import { clone, isObject, jsonEqual, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import {
  asError,
  controllerRef,
  numberOr,
  ownerReferenceTo,
  type ControllerContext,
} from '../machinery/controller-context';
import { JOBS } from './job-controller';
import { finishedCondition, jobStatus } from './job-status';

export const CRON_JOBS = 'batch/cronjobs';
export const SCHEDULED_TIMESTAMP = 'batch.kubernetes.io/cronjob-scheduled-timestamp';

interface JobReference extends JsonObject {
  apiVersion: string;
  kind: string;
  name: string;
  namespace: string;
  resourceVersion: string;
  uid: string;
}

function referenceTo(job: Stored): JobReference {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    name: job.metadata.name ?? '',
    namespace: job.metadata.namespace ?? '',
    resourceVersion: job.metadata.resourceVersion ?? '',
    uid: job.metadata.uid ?? '',
  };
}

/** When a Job started (its status, else its creation), for the history order. */
function startedAt(job: Stored): number {
  const start = jobStatus(job).startTime;
  return Date.parse(typeof start === 'string' ? start : (job.metadata.creationTimestamp ?? '')) || 0;
}

/** The Job a CronJob runs at `scheduledAt`. */
export function jobFromCronJob(cronJob: Stored, scheduledAt: number): KubeObject {
  const spec = isObject(cronJob.spec) ? cronJob.spec : {};
  const template = isObject(spec.jobTemplate) ? spec.jobTemplate : {};
  const meta = isObject(template.metadata) ? template.metadata : {};
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: {
      name: `${cronJob.metadata.name ?? ''}-${Math.floor(scheduledAt / 60_000)}`,
      namespace: cronJob.metadata.namespace ?? 'default',
      ...(isObject(meta.labels) ? { labels: clone(meta.labels) as Record<string, string> } : {}),
      annotations: {
        ...(isObject(meta.annotations) ? (clone(meta.annotations) as Record<string, string>) : {}),
        [SCHEDULED_TIMESTAMP]: rfc3339(scheduledAt),
      },
      ownerReferences: [ownerReferenceTo(cronJob)],
    },
    spec: clone(isObject(template.spec) ? template.spec : {}),
  };
}

export class CronJobController extends ObjectController {
  private readonly jobs: Informer;

  constructor(ctx: ControllerContext) {
    super(ctx, { name: 'cronjob-controller', resource: CRON_JOBS, workers: 2 });
    this.jobs = this.watchOwned(JOBS, { owns: (ref) => ref.kind === 'CronJob' });
  }

  async reconcile(key: string): Promise<void> {
    const [namespace, name] = splitKey(key);
    const cronJob = this.objects.get(namespace, name);
    if (!cronJob || cronJob.metadata.deletionTimestamp) return;
    const spec = isObject(cronJob.spec) ? cronJob.spec : {};
    const old = isObject(cronJob.status) ? cronJob.status : {};
    const owned = this.jobs.byIndex('controller', cronJob.metadata.uid ?? '');
    const wasActive = new Map<string, JsonObject>();
    for (const ref of Array.isArray(old.active) ? old.active : [])
      if (isObject(ref) && typeof ref.uid === 'string') wasActive.set(ref.uid, ref);
    let lastSuccessful = typeof old.lastSuccessfulTime === 'string' ? old.lastSuccessfulTime : undefined;
    const active: JsonObject[] = [];
    for (const job of owned) {
      const finished = finishedCondition(job);
      const uid = job.metadata.uid ?? '';
      if (!finished) {
        if (!job.metadata.deletionTimestamp) active.push(wasActive.get(uid) ?? referenceTo(job));
        continue;
      }
      if (wasActive.has(uid))
        this.record(
          cronJob,
          'Normal',
          'SawCompletedJob',
          `Saw completed job: ${job.metadata.name ?? ''}, condition: ${finished.type}`,
        );
      const completion = jobStatus(job).completionTime;
      if (
        finished.type === 'Complete' &&
        typeof completion === 'string' &&
        !(Date.parse(completion) <= Date.parse(lastSuccessful ?? ''))
      )
        lastSuccessful = completion;
    }
    let error = await this.trimHistory(cronJob, owned, spec);
    let lastSchedule = typeof old.lastScheduleTime === 'string' ? old.lastScheduleTime : undefined;
    if (spec.suspend !== true) {
      const run = await this.runDue(cronJob, key, active, lastSchedule).catch((e: unknown) => {
        error ??= e;
        return undefined;
      });
      if (run) lastSchedule = run.scheduled;
    }
    const status: JsonObject = {
      ...(active.length > 0 ? { active } : {}),
      ...(lastSchedule ? { lastScheduleTime: lastSchedule } : {}),
      ...(lastSuccessful ? { lastSuccessfulTime: lastSuccessful } : {}),
    };
    if (!jsonEqual(status, old)) {
      const latest = this.objects.get(namespace, name);
      if (latest?.metadata.uid === cronJob.metadata.uid) {
        const next = clone(latest) as KubeObject;
        next.status = status;
        await this.writer.updateStatus(CRON_JOBS, next);
      }
    }
    if (error !== undefined) throw asError(error);
  }

  private schedule(cronJob: Stored, spec: JsonObject): CronSchedule | undefined {
    const text = typeof spec.schedule === 'string' ? spec.schedule : '';
    try {
      return parseCronSchedule(text, typeof spec.timeZone === 'string' ? spec.timeZone : undefined);
    } catch (error) {
      const unknownZone = (error as Error).message.startsWith('unknown time zone');
      this.record(
        cronJob,
        'Warning',
        unknownZone ? 'UnknownTimeZone' : 'UnparseableSchedule',
        `unparseable schedule: "${text}" : ${(error as Error).message}`,
      );
      return undefined;
    }
  }

  /** Starts the run that is due, if one is; `active` is updated in place. Requeues for the next time. */
  private async runDue(
    cronJob: Stored,
    key: string,
    active: JsonObject[],
    lastSchedule: string | undefined,
  ): Promise<{ scheduled: string } | undefined> {
    const spec = isObject(cronJob.spec) ? cronJob.spec : {};
    const schedule = this.schedule(cronJob, spec);
    if (!schedule) return undefined;
    const now = this.ctx.clock.now();
    const deadline = numberOr(spec.startingDeadlineSeconds, -1);
    let earliest = Date.parse(lastSchedule ?? cronJob.metadata.creationTimestamp ?? '') || now;
    if (deadline >= 0) earliest = Math.max(earliest, now - deadline * 1000);
    const due = schedule.mostRecent(earliest, now);
    const next = schedule.next(now);
    if (next !== undefined) this.queue.addAfter(key, next - now);
    if (due === undefined) return undefined;
    if (deadline >= 0 && due + deadline * 1000 < now) {
      this.record(cronJob, 'Warning', 'MissSchedule', `Missed scheduled time to start a job: ${rfc3339(due)}`);
      return undefined;
    }
    const policy = spec.concurrencyPolicy ?? 'Allow';
    if (policy === 'Forbid' && active.length > 0) {
      this.record(
        cronJob,
        'Normal',
        'JobAlreadyActive',
        'Not starting job because prior execution is running and concurrency policy is Forbid',
      );
      return undefined;
    }
    if (policy === 'Replace') {
      for (const ref of active.splice(0)) await this.deleteJob(cronJob, String(ref.namespace), String(ref.name));
    }
    const wanted = jobFromCronJob(cronJob, due);
    let job: Stored;
    try {
      job = await this.writer.create(JOBS, wanted);
      this.record(cronJob, 'Normal', 'SuccessfulCreate', `Created job ${job.metadata.name ?? ''}`);
    } catch (error) {
      const existing = this.ctx.store.get(JOBS, wanted.metadata.namespace ?? '', wanted.metadata.name ?? '');
      // Created before (a restart between the create and the status write): count it as this run.
      const ours = existing && controllerRef(existing)?.uid === cronJob.metadata.uid;
      if (!(error instanceof StatusError && error.reason === 'AlreadyExists') || !existing || !ours) {
        this.record(cronJob, 'Warning', 'FailedCreate', `Error creating job: ${asError(error).message}`);
        throw error;
      }
      job = existing;
    }
    if (!finishedCondition(job) && !active.some((ref) => ref.uid === job.metadata.uid)) active.push(referenceTo(job));
    return { scheduled: rfc3339(due) };
  }

  /** Deletes the oldest finished Jobs beyond `successfulJobsHistoryLimit` and `failedJobsHistoryLimit`. */
  private async trimHistory(cronJob: Stored, owned: readonly Stored[], spec: JsonObject): Promise<unknown> {
    let error: unknown;
    for (const [type, limit] of [
      ['Complete', numberOr(spec.successfulJobsHistoryLimit, 3)],
      ['Failed', numberOr(spec.failedJobsHistoryLimit, 1)],
    ] as const) {
      const finished = owned
        .filter((j) => finishedCondition(j)?.type === type && !j.metadata.deletionTimestamp)
        .sort((a, b) => startedAt(a) - startedAt(b) || (a.metadata.name ?? '').localeCompare(b.metadata.name ?? ''));
      for (const job of finished.slice(0, Math.max(0, finished.length - limit))) {
        await this.deleteJob(cronJob, job.metadata.namespace ?? '', job.metadata.name ?? '').catch((e: unknown) => {
          error ??= e;
        });
      }
    }
    return error;
  }

  private async deleteJob(cronJob: Stored, namespace: string, name: string): Promise<void> {
    if (!this.ctx.store.get(JOBS, namespace, name)) return;
    await this.writer.delete(JOBS, namespace, name, { propagationPolicy: 'Background' });
    this.record(cronJob, 'Normal', 'SuccessfulDelete', `Deleted job ${name}`);
  }
}
