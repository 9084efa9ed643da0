import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { rfc3339 } from '../clock';
import { EVENTS, PODS } from '../machinery/informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { JobController, JOBS } from './job-controller';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';

function job(name: string, spec: JsonObject = {}, restartPolicy = 'Never'): KubeObject {
  return {
    apiVersion: 'batch/v1',
    kind: 'Job',
    metadata: { name, namespace: 'default' },
    spec: {
      ...spec,
      template: { spec: { restartPolicy, containers: [{ name: 'work', image: 'busybox:1.36' }] } },
    },
  };
}

/** A controller over a fresh store; Jobs are created through admission (their selector is generated there). */
async function setup(...jobs: KubeObject[]) {
  const ctx = await testContext();
  const controller = new JobController(ctx);
  await ctx.informers.start();
  const running = controller.run(2);
  const writer = new AdmittedWriter(ctx.api, 'test');
  for (const j of jobs) await writer.create(JOBS, j);
  return { ctx, running, writer };
}

const pods = (ctx: TestContext) => ctx.store.list(PODS, 'default').items;
const phase = (pod: Stored) => (pod.status as { phase?: string }).phase;
const running = (ctx: TestContext) => pods(ctx).filter((p) => phase(p) === 'Pending' || phase(p) === 'Running');
const getJob = (ctx: TestContext, name = 'work') => ctx.store.get(JOBS, 'default', name);
const status = (ctx: TestContext, name = 'work') => (getJob(ctx, name)?.status ?? {}) as Record<string, unknown>;
const conditions = (ctx: TestContext, name = 'work') =>
  ((status(ctx, name).conditions ?? []) as { type: string; status: string; reason: string }[]).map(
    (c) => `${c.type}=${c.status}/${c.reason}`,
  );

/** Plays the kubelet: the pod's container ran and exited with `exitCode`. */
async function finish(ctx: TestContext, pod: Stored, exitCode: number): Promise<void> {
  const next = clone(pod) as KubeObject;
  const at = rfc3339(ctx.clock.now());
  next.status = {
    phase: exitCode === 0 ? 'Succeeded' : 'Failed',
    containerStatuses: [
      {
        name: 'work',
        ready: false,
        restartCount: 0,
        state: { terminated: { exitCode, reason: exitCode === 0 ? 'Completed' : 'Error', finishedAt: at } },
      },
    ],
  };
  await ctx.store.update(PODS, next, { statusOnly: true });
}

async function reasons(ctx: TestContext): Promise<string[]> {
  await ctx.events.flush();
  return ctx.store
    .list(EVENTS, 'default')
    .items.filter((e) => (e.involvedObject as { kind?: string }).kind === 'Job')
    .map((e) => String(e.reason));
}

describe('JobController', () => {
  it('runs parallelism pods until the completions succeed, then SuccessCriteriaMet and Complete', async () => {
    const { ctx, running: controller } = await setup(job('work', { completions: 3, parallelism: 2 }));
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    const uid = getJob(ctx)?.metadata.uid;
    for (const pod of pods(ctx)) {
      assert.match(pod.metadata.name ?? '', /^work-[a-z0-9]{5}$/);
      assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-name'], 'work');
      assert.equal(pod.metadata.labels?.['batch.kubernetes.io/controller-uid'], uid);
      assert.deepEqual(pod.metadata.ownerReferences, [
        { apiVersion: 'batch/v1', kind: 'Job', name: 'work', uid, controller: true, blockOwnerDeletion: true },
      ]);
    }
    await waitFor(() => status(ctx).active === 2, 'status.active 2');
    assert.equal(status(ctx).startTime, rfc3339(ctx.clock.now()));
    assert.deepEqual(conditions(ctx), []);

    const [a, b] = pods(ctx);
    await finish(ctx, a!, 0);
    await waitFor(() => pods(ctx).length === 3, 'a third pod for the last completion');
    await finish(ctx, b!, 0);
    await turns();
    assert.equal(pods(ctx).length, 3, 'no fourth pod: one completion is left and one pod runs it');
    ctx.clock.advance(4000);
    await finish(ctx, running(ctx)[0]!, 0);
    await waitFor(() => conditions(ctx).length === 2, 'the terminal conditions');
    assert.deepEqual(conditions(ctx), [
      'SuccessCriteriaMet=True/CompletionsReached',
      'Complete=True/CompletionsReached',
    ]);
    const s = status(ctx);
    assert.equal(s.succeeded, 3);
    assert.equal(s.active, undefined);
    assert.equal(s.completionTime, rfc3339(ctx.clock.now()));
    assert.equal(pods(ctx).length, 3, 'finished pods stay');
    assert.deepEqual(await reasons(ctx), ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate', 'Completed']);
    await controller.stop();
  });

  it('waits 10 s, then 20 s before replacing failed pods, and fails past backoffLimit', async () => {
    const { ctx, running: controller } = await setup(job('work', { backoffLimit: 2 }));
    await waitFor(() => pods(ctx).length === 1, 'the first pod');
    await finish(ctx, pods(ctx)[0]!, 1);
    await waitFor(() => status(ctx).failed === 1, 'failed 1');
    ctx.clock.advance(9_000);
    await turns();
    assert.equal(pods(ctx).length, 1, 'no replacement during the 10 s back-off');
    ctx.clock.advance(1_000);
    await waitFor(() => pods(ctx).length === 2, 'a replacement after 10 s');
    await finish(ctx, running(ctx)[0]!, 1);
    await waitFor(() => status(ctx).failed === 2, 'failed 2');
    ctx.clock.advance(19_000);
    await turns();
    assert.equal(pods(ctx).length, 2, 'the second back-off is 20 s');
    ctx.clock.advance(1_000);
    await waitFor(() => pods(ctx).length === 3, 'a replacement after 20 s');
    await finish(ctx, running(ctx)[0]!, 1);
    await waitFor(() => conditions(ctx).includes('Failed=True/BackoffLimitExceeded'), 'Failed');
    assert.deepEqual(conditions(ctx), ['FailureTarget=True/BackoffLimitExceeded', 'Failed=True/BackoffLimitExceeded']);
    assert.equal(status(ctx).failed, 3);
    assert.equal(status(ctx).completionTime, undefined);
    assert.equal(pods(ctx).length, 3, 'failed pods stay for their logs');
    assert.ok((await reasons(ctx)).includes('BackoffLimitExceeded'));
    await controller.stop();
  });

  it('counts container restarts as failures under restartPolicy OnFailure', async () => {
    const { ctx, running: controller } = await setup(job('work', { backoffLimit: 2 }, 'OnFailure'));
    await waitFor(() => pods(ctx).length === 1, 'the pod');
    const next = clone(pods(ctx)[0]!) as KubeObject;
    next.status = {
      phase: 'Running',
      containerStatuses: [
        { name: 'work', ready: false, restartCount: 2, state: { waiting: { reason: 'CrashLoopBackOff' } } },
      ],
    };
    await ctx.store.update(PODS, next, { statusOnly: true });
    await waitFor(() => conditions(ctx).includes('Failed=True/BackoffLimitExceeded'), 'Failed');
    assert.equal(pods(ctx).length, 0, 'the restarting pod was deleted (it was not on a node)');
    await controller.stop();
  });

  it('fails the Job after activeDeadlineSeconds and deletes its running pods', async () => {
    const { ctx, running: controller } = await setup(job('work', { activeDeadlineSeconds: 30, parallelism: 2 }));
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    ctx.clock.advance(29_000);
    await turns();
    assert.deepEqual(conditions(ctx), []);
    ctx.clock.advance(1_000);
    await waitFor(() => conditions(ctx).includes('Failed=True/DeadlineExceeded'), 'DeadlineExceeded');
    assert.equal(pods(ctx).length, 0);
    assert.ok((await reasons(ctx)).includes('DeadlineExceeded'));
    await controller.stop();
  });

  it('deletes the pods of a suspended Job and starts again when resumed', async () => {
    const { ctx, running: controller, writer } = await setup(job('work', { parallelism: 2, completions: 4 }));
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    const suspend = async (value: boolean) => {
      const next = clone(getJob(ctx)!) as KubeObject;
      (next.spec as JsonObject).suspend = value;
      await writer.update(JOBS, next);
    };
    await suspend(true);
    await waitFor(() => pods(ctx).length === 0 && conditions(ctx).includes('Suspended=True/JobSuspended'), 'suspended');
    assert.equal(status(ctx).startTime, undefined);
    assert.equal(status(ctx).failed, undefined, 'pods stopped by a suspension are not failures');
    await suspend(false);
    await waitFor(() => pods(ctx).length === 2 && conditions(ctx).includes('Suspended=False/JobResumed'), 'resumed');
    assert.equal(status(ctx).startTime, rfc3339(ctx.clock.now()));
    const events = await reasons(ctx);
    assert.ok(events.includes('Suspended') && events.includes('Resumed'));
    await controller.stop();
  });

  it('deletes a finished Job once ttlSecondsAfterFinished has passed', async () => {
    const { ctx, running: controller } = await setup(job('work', { ttlSecondsAfterFinished: 5 }));
    await waitFor(() => pods(ctx).length === 1, 'the pod');
    await finish(ctx, pods(ctx)[0]!, 0);
    await waitFor(() => conditions(ctx).includes('Complete=True/CompletionsReached'), 'Complete');
    ctx.clock.advance(4_000);
    await turns();
    assert.ok(getJob(ctx), 'kept until the TTL has passed');
    ctx.clock.advance(1_000);
    // Foreground deletion: the Job waits for the garbage collector (not running here) to remove its pods.
    await waitFor(() => getJob(ctx)?.metadata.deletionTimestamp !== undefined, 'the Job deleted');
    assert.deepEqual(getJob(ctx)?.metadata.finalizers, ['foregroundDeletion']);
    await controller.stop();
  });

  it('runs one pod per index of an Indexed Job, with JOB_COMPLETION_INDEX', async () => {
    const { ctx, running: controller } = await setup(
      job('work', { completionMode: 'Indexed', completions: 3, parallelism: 2 }),
    );
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    const index = (p: Stored) => p.metadata.annotations?.['batch.kubernetes.io/job-completion-index'];
    assert.deepEqual(pods(ctx).map(index).sort(), ['0', '1']);
    for (const pod of pods(ctx)) {
      const i = index(pod)!;
      assert.match(pod.metadata.name ?? '', new RegExp(`^work-${i}-[a-z0-9]{5}$`));
      assert.equal(pod.metadata.labels?.['batch.kubernetes.io/job-completion-index'], i);
      const spec = pod.spec as { hostname: string; containers: { env: unknown[] }[] };
      assert.equal(spec.hostname, `work-${i}`);
      assert.deepEqual(spec.containers[0]!.env[0], {
        name: 'JOB_COMPLETION_INDEX',
        valueFrom: { fieldRef: { fieldPath: "metadata.annotations['batch.kubernetes.io/job-completion-index']" } },
      });
    }
    const first = pods(ctx).find((p) => index(p) === '1')!;
    await finish(ctx, first, 0);
    await waitFor(() => pods(ctx).some((p) => index(p) === '2'), 'index 2 started');
    await waitFor(() => status(ctx).completedIndexes === '1', 'completedIndexes 1');
    for (const pod of running(ctx)) await finish(ctx, pod, 0);
    await waitFor(() => conditions(ctx).includes('Complete=True/CompletionsReached'), 'Complete');
    assert.equal(status(ctx).completedIndexes, '0-2');
    assert.equal(status(ctx).succeeded, 3);
    await controller.stop();
  });
});
