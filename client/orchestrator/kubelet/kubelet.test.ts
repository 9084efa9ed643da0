import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';
import { EVENTS, NODES, PODS } from '../machinery/informer-factory';
import type { JsonObject, KubeObject } from '../store/object';
import { fakeRuntimeFactory, type FakeBehaviour, type FakeRuntime } from './fake-runtime';
import { Kubelet } from './kubelet';
import { PodDispatcher } from './pod-dispatcher';
import type { ContainerConfig, ContainerStatus, ProbeKind, ProbeResult } from './runtime';

interface Setup {
  behaviour?: (c: ContainerConfig) => FakeBehaviour;
  probe?: (c: ContainerStatus, kind: ProbeKind) => ProbeResult;
  workers?: number;
}

async function setup(options: Setup = {}) {
  const ctx = await testContext();
  const runtime = fakeRuntimeFactory({ clock: ctx.clock, ...options })('node-1', 0) as FakeRuntime;
  const dispatcher = new PodDispatcher(ctx.informers.for(PODS));
  const kubelet = new Kubelet({
    name: 'node-1',
    store: ctx.store,
    api: ctx.api,
    clock: ctx.clock,
    events: ctx.events,
    runtime,
    dispatcher,
    ...(options.workers !== undefined ? { workers: options.workers } : {}),
  });
  await ctx.informers.start();
  await kubelet.start();
  return { ctx, runtime, kubelet };
}

function pod(name: string, spec: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }], ...spec },
    status: { phase: 'Pending' },
  };
}

const statusOf = (ctx: TestContext, name: string) =>
  ctx.store.get(PODS, 'default', name)?.status as JsonObject | undefined;
const phase = (ctx: TestContext, name: string) => statusOf(ctx, name)?.phase;
const condition = (ctx: TestContext, name: string, type: string) =>
  (statusOf(ctx, name)?.conditions as JsonObject[] | undefined)?.find((c) => c.type === type)?.status;
const container = (ctx: TestContext, name: string, i = 0) =>
  (statusOf(ctx, name)?.containerStatuses as JsonObject[] | undefined)?.[i];

describe('Kubelet', () => {
  it('registers its node as Ready with allocatable resources', async () => {
    const { ctx, kubelet } = await setup();
    const node = ctx.store.get(NODES, '', 'node-1')!;
    const status = node.status as JsonObject;
    assert.deepEqual(status.allocatable, { cpu: '4', memory: '8Gi', pods: '110' });
    assert.equal((status.conditions as JsonObject[]).find((c) => c.type === 'Ready')?.status, 'True');
    assert.equal(node.metadata.labels?.['kubernetes.io/hostname'], 'node-1');
    await kubelet.stop();
  });

  it('runs a pod: Running, Ready, pod IP, container status and events', async () => {
    const { ctx, kubelet } = await setup();
    await ctx.store.create(PODS, pod('web'));
    await waitFor(() => condition(ctx, 'web', 'Ready') === 'True', 'ready');
    const status = statusOf(ctx, 'web')!;
    assert.equal(status.phase, 'Running');
    assert.match(String(status.podIP), /^10\.244\.\d+\.\d+$/);
    assert.equal(status.hostIP, '127.0.0.1');
    assert.equal(typeof status.startTime, 'string');
    const c = container(ctx, 'web')!;
    assert.equal(c.ready, true);
    assert.equal(c.started, true);
    assert.equal(c.restartCount, 0);
    assert.equal(c.image, 'nginx:1.27');
    assert.match(String(c.containerID), /^fake:\/\/[0-9a-f]{64}$/);
    assert.match(String(c.imageID), /^sha256:/);
    assert.ok((c.state as JsonObject).running);
    assert.deepEqual(
      (status.conditions as JsonObject[]).map((x) => `${String(x.type)}=${String(x.status)}`),
      ['PodReadyToStartContainers=True', 'Initialized=True', 'Ready=True', 'ContainersReady=True'],
    );
    await waitFor(() => ctx.store.list(EVENTS, 'default').items.length >= 3, 'events');
    assert.deepEqual(
      ctx.store
        .list(EVENTS, 'default')
        .items.map((e) => e.reason)
        .sort(),
      ['Created', 'Pulled', 'Started'],
    );
    await kubelet.stop();
  });

  it('restarts a crashing container with back-off and reports CrashLoopBackOff', async () => {
    const { ctx, kubelet } = await setup({ behaviour: () => ({ exitAfterMs: 1000, exitCode: 1 }) });
    await ctx.store.create(PODS, pod('crash'));
    await waitFor(() => phase(ctx, 'crash') === 'Running', 'running');
    ctx.clock.advance(1000);
    await waitFor(() => container(ctx, 'crash')?.restartCount === 1, 'first restart is immediate');
    assert.equal(((container(ctx, 'crash')!.lastState as JsonObject).terminated as JsonObject).exitCode, 1);
    ctx.clock.advance(1000);
    await waitFor(
      () =>
        ((container(ctx, 'crash')?.state as JsonObject).waiting as JsonObject | undefined)?.reason ===
        'CrashLoopBackOff',
      'back-off',
    );
    assert.match(
      String(((container(ctx, 'crash')!.state as JsonObject).waiting as JsonObject).message),
      /^back-off 10s restarting failed container=app pod=crash_default/,
    );
    assert.equal(phase(ctx, 'crash'), 'Running');
    ctx.clock.advance(9000);
    await waitFor(() => container(ctx, 'crash')?.restartCount === 2, 'restart after 10 s');
    ctx.clock.advance(1000);
    await waitFor(
      () => ((container(ctx, 'crash')?.state as JsonObject).waiting as JsonObject | undefined)?.message !== undefined,
      'second back-off',
    );
    assert.match(
      String(((container(ctx, 'crash')!.state as JsonObject).waiting as JsonObject).message),
      /^back-off 20s/,
    );
    await kubelet.stop();
  });

  it('finishes pods by restartPolicy: Never fails on a non-zero exit, OnFailure succeeds on zero', async () => {
    const { ctx, kubelet } = await setup({
      behaviour: (c) => ({ exitAfterMs: 10, exitCode: c.image === 'fail' ? 2 : 0 }),
    });
    await ctx.store.create(
      PODS,
      pod('never', { restartPolicy: 'Never', containers: [{ name: 'app', image: 'fail' }] }),
    );
    await ctx.store.create(
      PODS,
      pod('onfailure', { restartPolicy: 'OnFailure', containers: [{ name: 'app', image: 'ok' }] }),
    );
    await waitFor(() => phase(ctx, 'never') === 'Running' && phase(ctx, 'onfailure') === 'Running', 'running');
    ctx.clock.advance(10);
    await waitFor(() => phase(ctx, 'never') === 'Failed' && phase(ctx, 'onfailure') === 'Succeeded', 'finished');
    const terminated = (container(ctx, 'never')!.state as JsonObject).terminated as JsonObject;
    assert.equal(terminated.exitCode, 2);
    assert.equal(terminated.reason, 'Error');
    assert.equal(condition(ctx, 'onfailure', 'Ready'), 'False');
    await kubelet.stop();
  });

  it('keeps the stopped containers of a finished pod, and their logs, until the pod is deleted', async () => {
    // No configured behaviour: the pod's annotation says how its container ends (as under `cluster start --runtime fake`).
    const { ctx, runtime, kubelet } = await setup();
    const done = pod('done', { restartPolicy: 'Never' });
    done.metadata.annotations = { 'fake.kube-workbench.io/exit-code': '0' };
    await ctx.store.create(PODS, done);
    await waitFor(() => phase(ctx, 'done') === 'Running', 'running');
    ctx.clock.advance(1);
    await waitFor(() => phase(ctx, 'done') === 'Succeeded', 'succeeded');
    const id = String(container(ctx, 'done')!.containerID).replace('fake://', '');
    const read = async () => {
      let text = '';
      for await (const chunk of await runtime.logs(id, {})) text += String(chunk);
      return text;
    };
    await turns();
    assert.equal(await read(), 'app started\n');
    assert.equal((await runtime.listPodSandboxes())[0]?.state, 'notready', 'the sandbox is stopped, not removed');
    await ctx.store.delete(PODS, 'default', 'done');
    await waitFor(() => runtime['containers'].size === 0, 'containers removed with the pod');
    await assert.rejects(read());
    assert.equal((await runtime.listPodSandboxes()).length, 0);
    await kubelet.stop();
  });

  it('runs init containers in order before the app containers', async () => {
    const order: string[] = [];
    const { ctx, kubelet } = await setup({
      behaviour: (c) => {
        order.push(c.name);
        return c.init ? { exitAfterMs: 100, exitCode: 0 } : {};
      },
    });
    await ctx.store.create(
      PODS,
      pod('init', {
        initContainers: [
          { name: 'one', image: 'busybox' },
          { name: 'two', image: 'busybox' },
        ],
      }),
    );
    await waitFor(() => order.length === 1, 'first init');
    assert.equal(phase(ctx, 'init'), 'Pending');
    assert.equal(condition(ctx, 'init', 'Initialized'), 'False');
    ctx.clock.advance(100);
    await waitFor(() => order.length === 2, 'second init');
    ctx.clock.advance(100);
    await waitFor(() => condition(ctx, 'init', 'Ready') === 'True', 'ready');
    assert.deepEqual(order, ['one', 'two', 'app']);
    await kubelet.stop();
  });

  it('follows readiness and liveness probes through the runtime', async () => {
    let healthy = true;
    const { ctx, kubelet } = await setup({
      probe: (_c, kind) => ({
        success: kind === 'readiness' ? healthy : true,
        message: 'HTTP probe failed with statuscode: 500',
      }),
    });
    const probe = { httpGet: { path: '/', port: 80 }, periodSeconds: 10, failureThreshold: 3, successThreshold: 1 };
    await ctx.store.create(
      PODS,
      pod('probed', { containers: [{ name: 'app', image: 'nginx', readinessProbe: probe }] }),
    );
    await waitFor(() => phase(ctx, 'probed') === 'Running', 'running');
    assert.equal(condition(ctx, 'probed', 'Ready'), 'False', 'not ready before the first readiness probe');
    ctx.clock.advance(0);
    await waitFor(() => condition(ctx, 'probed', 'Ready') === 'True', 'ready after a successful probe');
    healthy = false;
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(10_000);
      await turns(20);
    }
    await waitFor(() => condition(ctx, 'probed', 'Ready') === 'False', 'unready after 3 failures');
    await kubelet.stop();
  });

  it('stops a terminating pod and then removes it', async () => {
    const { ctx, kubelet } = await setup();
    await ctx.store.create(PODS, pod('web'));
    await waitFor(() => phase(ctx, 'web') === 'Running', 'running');
    await ctx.store.delete(PODS, 'default', 'web', { gracePeriodSeconds: 30 });
    await waitFor(() => ctx.store.get(PODS, 'default', 'web') === undefined, 'removed');
    assert.equal((await kubelet['o'].runtime.listPodSandboxes()).length, 0);
    await kubelet.stop();
  });

  it('starts new pods while another sits out its grace period, even with one worker', async () => {
    const { ctx, runtime, kubelet } = await setup({ workers: 1 });
    await ctx.store.create(PODS, pod('old'));
    await waitFor(() => condition(ctx, 'old', 'Ready') === 'True', 'old ready');
    // The old pod's container ignores SIGTERM: its stop lasts until released (the end of its grace period).
    let release = () => {};
    const graceOver = new Promise<void>((r) => (release = r));
    const stop = runtime.stopContainer.bind(runtime);
    runtime.stopContainer = async (id: string) => {
      await graceOver;
      return stop(id);
    };
    await ctx.store.delete(PODS, 'default', 'old', { gracePeriodSeconds: 30 });
    await turns(20);
    for (const name of ['new-1', 'new-2']) await ctx.store.create(PODS, pod(name));
    await waitFor(
      () => condition(ctx, 'new-1', 'Ready') === 'True' && condition(ctx, 'new-2', 'Ready') === 'True',
      'new pods ready while the old one terminates',
    );
    assert.ok(ctx.store.get(PODS, 'default', 'old')?.metadata.deletionTimestamp, 'the old pod is still terminating');
    release();
    await waitFor(() => ctx.store.get(PODS, 'default', 'old') === undefined, 'old removed after its grace period');
    await kubelet.stop();
  });

  it('restarts a container that fails its liveness probe without holding a worker for its grace period', async () => {
    const { ctx, runtime, kubelet } = await setup({ workers: 1, probe: () => ({ success: false, message: 'no' }) });
    const liveness = { exec: { command: ['true'] }, periodSeconds: 10, failureThreshold: 1 };
    await ctx.store.create(
      PODS,
      pod('sick', { containers: [{ name: 'app', image: 'nginx', livenessProbe: liveness }] }),
    );
    await waitFor(() => phase(ctx, 'sick') === 'Running', 'running');
    let release = () => {};
    const graceOver = new Promise<void>((r) => (release = r));
    const stop = runtime.stopContainer.bind(runtime);
    runtime.stopContainer = async (id: string) => {
      await graceOver;
      return stop(id);
    };
    for (let i = 0; i < 3; i++) {
      ctx.clock.advance(10_000);
      await turns(20);
    }
    await ctx.store.create(PODS, pod('fine'));
    await waitFor(() => condition(ctx, 'fine', 'Ready') === 'True', 'another pod starts while the kill runs');
    assert.equal(container(ctx, 'sick')?.restartCount, 0, 'the container is still stopping');
    release();
    await waitFor(() => container(ctx, 'sick')?.restartCount === 1, 'restarted once stopped');
    await kubelet.stop();
  });
});
