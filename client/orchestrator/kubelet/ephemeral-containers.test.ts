import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { testContext, turns, waitFor } from '../machinery/test-support';
import { PODS } from '../machinery/informer-factory';
import type { JsonObject, KubeObject } from '../store/object';
import { fakeRuntimeFactory, type FakeBehaviour, type FakeRuntime } from './fake-runtime';
import { Kubelet } from './kubelet';
import { PodDispatcher } from './pod-dispatcher';
import type { ContainerConfig } from './runtime';

async function setup(behaviour: (c: ContainerConfig) => FakeBehaviour) {
  const ctx = await testContext();
  const created: ContainerConfig[] = [];
  const runtime = fakeRuntimeFactory({
    clock: ctx.clock,
    behaviour: (c) => {
      created.push(c);
      return behaviour(c);
    },
  })('node-1', 0) as FakeRuntime;
  const kubelet = new Kubelet({
    name: 'node-1',
    store: ctx.store,
    api: ctx.api,
    clock: ctx.clock,
    events: ctx.events,
    runtime,
    dispatcher: new PodDispatcher(ctx.informers.for(PODS)),
  });
  await ctx.informers.start();
  await kubelet.start();
  return { ctx, kubelet, created };
}

const pod: KubeObject = {
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'web', namespace: 'default' },
  spec: { nodeName: 'node-1', containers: [{ name: 'app', image: 'nginx:1.27' }] },
  status: { phase: 'Pending' },
};

describe('ephemeral containers in the kubelet', () => {
  it('starts each once in its target’s process namespace, never restarts it, and reports it apart', async () => {
    const { ctx, kubelet, created } = await setup((c) =>
      c.name === 'dbg' ? { exitAfterMs: 1000, exitCode: 3 } : c.name === 'broken' ? { pullError: 'no such image' } : {},
    );
    const status = () => ctx.store.get(PODS, 'default', 'web')?.status as JsonObject | undefined;
    const ephemeral = (name: string) =>
      (status()?.ephemeralContainerStatuses as JsonObject[] | undefined)?.find((s) => s.name === name);
    await ctx.store.create(PODS, pod);
    await waitFor(() => status()?.phase === 'Running', 'running');
    const app = (status()?.containerStatuses as JsonObject[])[0]!;

    const stored = ctx.store.get(PODS, 'default', 'web')!;
    const next = structuredClone(stored) as KubeObject;
    (next.spec as JsonObject).ephemeralContainers = [
      { name: 'dbg', image: 'busybox:1.36', targetContainerName: 'app', stdin: true, tty: true },
      { name: 'alone', image: 'busybox:1.36' },
      { name: 'broken', image: 'nope:1' },
    ];
    await ctx.store.update(PODS, next);
    await waitFor(() => (ephemeral('dbg')?.state as JsonObject | undefined)?.running !== undefined, 'dbg running');
    const dbg = created.find((c) => c.name === 'dbg')!;
    assert.equal(`fake://${dbg.ephemeral?.pidContainerId}`, app.containerID);
    assert.equal(dbg.spec.tty, true);
    const alone = created.find((c) => c.name === 'alone');
    assert.ok(alone?.ephemeral && `fake://${alone.ephemeral.pidContainerId}` !== app.containerID, 'the sandbox’s');
    await waitFor(() => (ephemeral('broken')?.state as JsonObject | undefined)?.waiting !== undefined, 'broken');
    assert.equal(((ephemeral('broken')?.state as JsonObject).waiting as JsonObject).reason, 'ErrImagePull');

    ctx.clock.advance(1000);
    await waitFor(() => (ephemeral('dbg')?.state as JsonObject | undefined)?.terminated !== undefined, 'dbg ended');
    assert.equal(((ephemeral('dbg')?.state as JsonObject).terminated as JsonObject).exitCode, 3);
    ctx.clock.advance(60_000);
    await turns(200);
    assert.deepEqual(
      created.map((c) => c.name).sort(),
      ['alone', 'app', 'broken', 'dbg'],
      'each started once: no restart, no retry',
    );
    assert.equal(ephemeral('dbg')?.restartCount, 0);
    assert.equal(ephemeral('dbg')?.started, undefined);
    assert.equal(status()?.phase, 'Running', 'the pod’s phase ignores its debug containers');
    assert.equal((status()?.containerStatuses as JsonObject[]).length, 1);
    await kubelet.stop();
  });
});
