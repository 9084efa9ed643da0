import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';
import { EVENTS, NODES, PODS } from '../machinery/informer-factory';
import type { JsonObject, KubeObject } from '../store/object';
import { fakeRuntimeFactory, type FakeRuntime } from './fake-runtime';
import { Kubelet } from './kubelet';
import { PodDispatcher } from './pod-dispatcher';

const DOWN =
  "No Docker engine answers on /tmp/kw/docker.sock (connect ENOENT /tmp/kw/docker.sock). Start Docker (on Linux: 'dockerd &' as root).";

async function setup() {
  const ctx = await testContext();
  const runtime = fakeRuntimeFactory({ clock: ctx.clock })('node-1', 0) as FakeRuntime;
  const log: string[] = [];
  const kubelet = new Kubelet({
    name: 'node-1',
    store: ctx.store,
    api: ctx.api,
    clock: ctx.clock,
    events: ctx.events,
    runtime,
    dispatcher: new PodDispatcher(ctx.informers.for(PODS)),
    runtimeCheckMs: 2000,
    log: (line) => log.push(line),
  });
  await ctx.informers.start();
  await kubelet.start();
  return { ctx, runtime, kubelet, log };
}

function pod(name: string, container: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'busybox', ...container }] },
    status: { phase: 'Pending' },
  };
}

const statusOf = (ctx: TestContext, name: string) => ctx.store.get(PODS, 'default', name)?.status as JsonObject;
const conditionOf = (status: JsonObject | undefined, type: string) =>
  (status?.conditions as JsonObject[] | undefined)?.find((c) => c.type === type);
const containerOf = (ctx: TestContext, name: string) =>
  (statusOf(ctx, name)?.containerStatuses as JsonObject[] | undefined)?.[0];
const nodeReady = (ctx: TestContext) => conditionOf(ctx.store.get(NODES, '', 'node-1')?.status as JsonObject, 'Ready');
const reasons = (ctx: TestContext, object: string) =>
  ctx.store
    .list(EVENTS, 'default')
    .items.filter((e) => (e.involvedObject as JsonObject).name === object)
    .map((e) => String(e.reason));

describe('Kubelet when the container runtime is unreachable', () => {
  it('turns the node NotReady, says so on new pods, leaves running pods alone, and recovers by itself', async () => {
    const { ctx, runtime, kubelet, log } = await setup();
    const probe = { exec: { command: ['true'] }, periodSeconds: 1, failureThreshold: 1 };
    await ctx.store.create(PODS, pod('running', { readinessProbe: probe, livenessProbe: probe }));
    await waitFor(() => statusOf(ctx, 'running')?.phase === 'Running', 'running pod started');
    ctx.clock.advance(0);
    await waitFor(() => conditionOf(statusOf(ctx, 'running'), 'Ready')?.status === 'True', 'running pod ready');
    const runningId = containerOf(ctx, 'running')!.containerID;

    runtime.setUnavailable(DOWN);
    ctx.clock.advance(2000);
    await waitFor(() => nodeReady(ctx)?.status === 'False', 'node NotReady');
    assert.equal(nodeReady(ctx)?.reason, 'KubeletNotReady');
    assert.equal(nodeReady(ctx)?.message, `container runtime is down: ${DOWN}`);
    await waitFor(() => reasons(ctx, 'node-1').includes('NodeNotReady'), 'NodeNotReady event');
    assert.equal(log.length, 1);
    assert.match(
      log[0]!,
      /node node-1 is NotReady: container runtime is down: No Docker engine answers on \/tmp\/kw\/docker\.sock/,
    );

    await ctx.store.create(PODS, pod('waiting'));
    await waitFor(() => conditionOf(statusOf(ctx, 'waiting'), 'PodReadyToStartContainers') !== undefined, 'status');
    const waiting = statusOf(ctx, 'waiting');
    assert.equal(waiting.phase, 'Pending');
    const sandbox = conditionOf(waiting, 'PodReadyToStartContainers')!;
    assert.equal(sandbox.status, 'False');
    assert.equal(sandbox.reason, 'ContainerRuntimeUnreachable');
    assert.match(
      String(sandbox.message),
      /^container runtime is down: No Docker engine answers .* Start Docker .*The pod starts when it answers again\.$/,
    );
    const state = (containerOf(ctx, 'waiting')!.state as JsonObject).waiting as JsonObject;
    assert.equal(state.reason, 'ContainerCreating');
    assert.match(String(state.message), /container runtime is down: No Docker engine answers/);
    await waitFor(() => reasons(ctx, 'waiting').includes('FailedCreatePodSandBox'), 'event on the waiting pod');

    // Probes that cannot run count neither way; nothing of the running pod changes.
    for (let i = 0; i < 20; i++) {
      ctx.clock.advance(1000);
      await turns(5);
    }
    const running = statusOf(ctx, 'running');
    assert.equal(running.phase, 'Running');
    assert.equal(conditionOf(running, 'Ready')?.status, 'True');
    assert.equal(containerOf(ctx, 'running')!.restartCount, 0);
    assert.equal(
      reasons(ctx, 'waiting').filter((r) => r === 'FailedCreatePodSandBox').length,
      1,
      'one event per outage',
    );

    runtime.setUnavailable(undefined);
    ctx.clock.advance(2000);
    await waitFor(() => nodeReady(ctx)?.status === 'True', 'node Ready again');
    assert.equal(nodeReady(ctx)?.reason, 'KubeletReady');
    await waitFor(() => conditionOf(statusOf(ctx, 'waiting'), 'Ready')?.status === 'True', 'waiting pod runs');
    assert.equal(conditionOf(statusOf(ctx, 'waiting'), 'PodReadyToStartContainers')?.status, 'True');
    assert.equal(containerOf(ctx, 'running')!.containerID, runningId, 'the running pod kept its container');
    assert.equal((await runtime.listPodSandboxes()).length, 2, 'no duplicate sandboxes');
    await waitFor(() => reasons(ctx, 'node-1').includes('NodeReady'), 'NodeReady event');
    assert.match(log[1] ?? '', /node node-1 is Ready again/);
    await kubelet.stop();
  });

  it('keeps a pod deleted during the outage Terminating until the runtime can stop it', async () => {
    const { ctx, runtime, kubelet } = await setup();
    await ctx.store.create(PODS, pod('web'));
    await waitFor(() => statusOf(ctx, 'web')?.phase === 'Running', 'running');
    runtime.setUnavailable(DOWN);
    await ctx.store.delete(PODS, 'default', 'web', { gracePeriodSeconds: 30 });
    await turns(200);
    assert.ok(ctx.store.get(PODS, 'default', 'web')?.metadata.deletionTimestamp, 'still there, terminating');
    assert.equal((await (runtime.setUnavailable(undefined), runtime.listPodSandboxes())).length, 1);
    ctx.clock.advance(2000);
    await waitFor(() => ctx.store.get(PODS, 'default', 'web') === undefined, 'removed once the runtime answers');
    assert.equal((await runtime.listPodSandboxes()).length, 0);
    await kubelet.stop();
  });
});
