import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { rfc3339 } from '../clock';
import { EVENTS } from '../machinery/informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { CRON_JOBS, CronJobController, SCHEDULED_TIMESTAMP } from './cronjob-controller';
import { JOBS } from './job-controller';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';

const MINUTE = 60_000;

function cronJob(spec: JsonObject): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'CronJob',
    metadata: { name: 'nightly', namespace: 'default', labels: { app: 'nightly' } },
    spec: {
      jobTemplate: {
        metadata: { labels: { run: 'nightly' } },
        spec: { template: { spec: { restartPolicy: 'Never', containers: [{ name: 'c', image: 'busybox:1.36' }] } } },
      },
      ...spec,
    },
  };
}

/** The test clock starts at 2025-01-01T12:00:00Z; the CronJob is created then. */
async function setup(spec: JsonObject) {
  const ctx = await testContext();
  const controller = new CronJobController(ctx);
  await ctx.informers.start();
  const running = controller.run(1);
  const writer = new AdmittedWriter(ctx.api, 'test');
  await writer.create(CRON_JOBS, cronJob(spec));
  await turns();
  return { ctx, running, writer };
}

const jobs = (ctx: TestContext) => ctx.store.list(JOBS, 'default').items;
const names = (ctx: TestContext) => jobs(ctx).map((j) => j.metadata.name);
const status = (ctx: TestContext) =>
  (ctx.store.get(CRON_JOBS, 'default', 'nightly')?.status ?? {}) as {
    active?: { name: string }[];
    lastScheduleTime?: string;
    lastSuccessfulTime?: string;
  };
/** The Job name for a run at this time: minutes since the epoch. */
const runName = (iso: string) => `nightly-${Date.parse(iso) / MINUTE}`;

/** Marks a Job finished, as the Job controller would. */
async function finish(ctx: TestContext, job: Stored, type: 'Complete' | 'Failed'): Promise<void> {
  const next = clone(job) as KubeObject;
  const at = rfc3339(ctx.clock.now());
  next.status = {
    startTime: at,
    ...(type === 'Complete' ? { completionTime: at, succeeded: 1 } : { failed: 1 }),
    conditions: [{ type, status: 'True', reason: 'Test', message: '', lastProbeTime: at, lastTransitionTime: at }],
  };
  await ctx.store.update(JOBS, next, { statusOnly: true });
}

async function reasons(ctx: TestContext): Promise<string[]> {
  await ctx.events.flush();
  return ctx.store.list(EVENTS, 'default').items.map((e) => String(e.reason));
}

describe('CronJobController', () => {
  it('creates the Job from the template at each scheduled time, on the injected clock', async () => {
    const { ctx, running } = await setup({ schedule: '*/5 * * * *' });
    assert.deepEqual(names(ctx), [], 'nothing before the first time');
    ctx.clock.advance(5 * MINUTE - 1000);
    await turns();
    assert.deepEqual(names(ctx), []);
    ctx.clock.advance(1000);
    await waitFor(() => jobs(ctx).length === 1, 'the 12:05 run');
    const [job] = jobs(ctx);
    const cj = ctx.store.get(CRON_JOBS, 'default', 'nightly')!;
    assert.equal(job!.metadata.name, runName('2025-01-01T12:05:00Z'));
    assert.equal(job!.metadata.annotations?.[SCHEDULED_TIMESTAMP], '2025-01-01T12:05:00Z');
    assert.equal(job!.metadata.labels?.run, 'nightly');
    assert.deepEqual(job!.metadata.ownerReferences, [
      {
        apiVersion: 'batch/v1',
        kind: 'CronJob',
        name: 'nightly',
        uid: cj.metadata.uid,
        controller: true,
        blockOwnerDeletion: true,
      },
    ]);
    await waitFor(() => status(ctx).lastScheduleTime === '2025-01-01T12:05:00Z', 'lastScheduleTime');
    assert.deepEqual(
      status(ctx).active?.map((a) => a.name),
      [job!.metadata.name],
    );
    await finish(ctx, job!, 'Complete');
    await waitFor(() => status(ctx).active === undefined, 'no active Job');
    assert.equal(status(ctx).lastSuccessfulTime, '2025-01-01T12:05:00Z');
    ctx.clock.advance(5 * MINUTE);
    await waitFor(() => jobs(ctx).length === 2, 'the 12:10 run');
    assert.ok(names(ctx).includes(runName('2025-01-01T12:10:00Z')));
    const events = await reasons(ctx);
    assert.deepEqual(
      events.filter((r) => r !== 'SawCompletedJob'),
      ['SuccessfulCreate', 'SuccessfulCreate'],
    );
    assert.ok(events.includes('SawCompletedJob'));
    await running.stop();
  });

  it('reads the schedule in its timeZone', async () => {
    const { ctx, running } = await setup({ schedule: '0 9 * * *', timeZone: 'Asia/Tokyo' });
    // 09:00 in Tokyo is 00:00 UTC: twelve hours after the start.
    ctx.clock.advance(12 * 60 * MINUTE);
    await waitFor(() => jobs(ctx).length === 1, 'the run at 09:00 Tokyo');
    assert.deepEqual(names(ctx), [runName('2025-01-02T00:00:00Z')]);
    await running.stop();
  });

  it('skips a run while one is active under Forbid, and starts it when that one finishes', async () => {
    const { ctx, running } = await setup({ schedule: '*/5 * * * *', concurrencyPolicy: 'Forbid' });
    ctx.clock.advance(5 * MINUTE);
    await waitFor(() => jobs(ctx).length === 1, 'the first run');
    ctx.clock.advance(5 * MINUTE);
    await turns();
    assert.equal(jobs(ctx).length, 1, 'no second run while the first is active');
    assert.ok((await reasons(ctx)).includes('JobAlreadyActive'));
    await finish(ctx, jobs(ctx)[0]!, 'Complete');
    await waitFor(() => jobs(ctx).length === 2, 'the skipped run, late');
    assert.ok(names(ctx).includes(runName('2025-01-01T12:10:00Z')));
    await running.stop();
  });

  it('replaces the active run under Replace', async () => {
    const { ctx, running } = await setup({ schedule: '*/5 * * * *', concurrencyPolicy: 'Replace' });
    ctx.clock.advance(5 * MINUTE);
    await waitFor(() => jobs(ctx).length === 1, 'the first run');
    ctx.clock.advance(5 * MINUTE);
    await waitFor(
      () =>
        jobs(ctx)
          .filter((j) => !j.metadata.deletionTimestamp)
          .map((j) => j.metadata.name)
          .join() === runName('2025-01-01T12:10:00Z'),
      'the first run replaced by the second',
    );
    assert.ok((await reasons(ctx)).includes('SuccessfulDelete'));
    await running.stop();
  });

  it('does not start a run missed by more than startingDeadlineSeconds', async () => {
    const { ctx, running } = await setup({ schedule: '0 * * * *', startingDeadlineSeconds: 60 });
    // The orchestrator was not running at 13:00 (the clock jumps past it).
    ctx.clock.advance(62 * MINUTE);
    await turns();
    assert.deepEqual(names(ctx), []);
    ctx.clock.advance(58 * MINUTE);
    await waitFor(() => jobs(ctx).length === 1, 'the 14:00 run');
    assert.deepEqual(names(ctx), [runName('2025-01-01T14:00:00Z')]);
    await running.stop();
  });

  it('keeps successfulJobsHistoryLimit and failedJobsHistoryLimit finished Jobs', async () => {
    const { ctx, running } = await setup({
      schedule: '* * * * *',
      successfulJobsHistoryLimit: 1,
      failedJobsHistoryLimit: 1,
    });
    for (const [i, type] of (['Complete', 'Failed', 'Complete', 'Failed'] as const).entries()) {
      ctx.clock.advance(MINUTE);
      await waitFor(() => jobs(ctx).some((j) => !j.status), `run ${i + 1}`);
      await finish(
        ctx,
        jobs(ctx).find((j) => !j.status)!,
        type,
      );
    }
    await waitFor(() => jobs(ctx).length === 2, 'the older finished Jobs deleted');
    assert.deepEqual(names(ctx).sort(), [runName('2025-01-01T12:03:00Z'), runName('2025-01-01T12:04:00Z')].sort());
    await running.stop();
  });

  it('creates nothing while suspended', async () => {
    const { ctx, running } = await setup({ schedule: '* * * * *', suspend: true });
    ctx.clock.advance(3 * MINUTE);
    await turns();
    assert.deepEqual(names(ctx), []);
    await running.stop();
  });
});
