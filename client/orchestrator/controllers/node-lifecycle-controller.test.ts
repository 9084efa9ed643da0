import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EVENTS, NODES, PODS } from '../machinery/informer-factory';
import { podCondition } from '../machinery/pod-state';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';
import { isObject, type JsonObject } from '../store/object';
import {
  createLeaseNamespace,
  createNode,
  postNodeStatus,
  renewLease,
  runningPod,
} from './node-lifecycle-test-support';
import { NodeLifecycleController } from './node-lifecycle-controller';

async function setup(gracePeriodMs?: number) {
  const ctx = await testContext();
  await createLeaseNamespace(ctx);
  await createNode(ctx, 'node-1');
  await renewLease(ctx, 'node-1');
  await runningPod(ctx, 'web', 'node-1');
  const controller = new NodeLifecycleController(ctx, gracePeriodMs !== undefined ? { gracePeriodMs } : {});
  await ctx.informers.start();
  const run = controller.run();
  await turns();
  return { ctx, stop: () => run.stop() };
}

const node = (ctx: TestContext) => ctx.store.get(NODES, '', 'node-1')!;
const conditions = (ctx: TestContext) => {
  const status = node(ctx).status;
  return isObject(status) && Array.isArray(status.conditions) ? (status.conditions as JsonObject[]) : [];
};
const ready = (ctx: TestContext) => conditions(ctx).find((c) => c.type === 'Ready');
const taints = (ctx: TestContext) => {
  const spec = node(ctx).spec;
  return isObject(spec) && Array.isArray(spec.taints) ? (spec.taints as JsonObject[]) : [];
};
const events = (ctx: TestContext, reason: string) =>
  ctx.store.list(EVENTS).items.filter((e) => (e as JsonObject).reason === reason) as JsonObject[];

/** Moves the fake clock in steps, letting the controller run between them. */
async function advance(ctx: TestContext, ms: number, step = 1000, each?: () => Promise<void>): Promise<void> {
  for (let t = 0; t < ms; t += step) {
    ctx.clock.advance(step);
    if (each) await each();
    await turns(20);
  }
}

describe('NodeLifecycleController', () => {
  it('registers a node and leaves it Ready while its Lease is renewed', async () => {
    const { ctx, stop } = await setup();
    await waitFor(() => events(ctx, 'RegisteredNode').length === 1, 'RegisteredNode event');
    assert.equal(events(ctx, 'RegisteredNode')[0]!.message, 'Node node-1 event: Registered Node node-1 in Controller');
    await advance(ctx, 120_000, 10_000, () => renewLease(ctx, 'node-1'));
    assert.equal(ready(ctx)?.status, 'True');
    assert.deepEqual(taints(ctx), []);
    await stop();
  });

  it('marks a silent node Unknown after the grace period (50 s), taints it unreachable and its pods not ready', async () => {
    const { ctx, stop } = await setup();
    const start = ctx.clock.now();
    await advance(ctx, 49_000);
    assert.equal(ready(ctx)?.status, 'True', 'still Ready within the grace period');
    await advance(ctx, 2000);
    await waitFor(() => ready(ctx)?.status === 'Unknown', 'Ready Unknown');
    for (const c of conditions(ctx)) {
      assert.equal(c.status, 'Unknown', `${String(c.type)} Unknown`);
      assert.equal(c.reason, 'NodeStatusUnknown');
      assert.equal(c.message, 'Kubelet stopped posting node status.');
    }
    assert.equal(ready(ctx)?.lastHeartbeatTime, new Date(start).toISOString().replace('.000Z', 'Z'), 'heartbeat kept');
    await waitFor(() => taints(ctx).length === 2, 'taints');
    assert.deepEqual(
      taints(ctx).map((t) => `${String(t.key)}:${String(t.effect)}`),
      ['node.kubernetes.io/unreachable:NoSchedule', 'node.kubernetes.io/unreachable:NoExecute'],
    );
    assert.equal(typeof taints(ctx)[1]!.timeAdded, 'string');
    await waitFor(
      () => podCondition(ctx.store.get(PODS, 'default', 'web')!, 'Ready')?.status === 'False',
      'pod not ready',
    );
    await waitFor(() => events(ctx, 'NodeNotReady').length === 2, 'NodeNotReady events');
    const messages = events(ctx, 'NodeNotReady')
      .map((e) => e.message)
      .sort();
    assert.deepEqual(messages, ['Node is not ready', 'Node node-1 status is now: NodeNotReady']);
    await stop();
  });

  it('takes the taints away when the kubelet posts Ready again, and uses not-ready for Ready=False', async () => {
    const { ctx, stop } = await setup(4000);
    await advance(ctx, 5000);
    await waitFor(() => taints(ctx).length === 2, 'unreachable taints');
    await renewLease(ctx, 'node-1');
    await postNodeStatus(ctx, 'node-1', 'False');
    await waitFor(
      () => taints(ctx).every((t) => t.key === 'node.kubernetes.io/not-ready') && taints(ctx).length === 2,
      'not-ready taints',
    );
    await postNodeStatus(ctx, 'node-1', 'True');
    await waitFor(() => taints(ctx).length === 0, 'no taints');
    // Heartbeats keep it so; a shortened grace period is honoured.
    await advance(ctx, 10_000, 1000, () => renewLease(ctx, 'node-1'));
    assert.equal(ready(ctx)?.status, 'True');
    await advance(ctx, 4000);
    await waitFor(() => ready(ctx)?.status === 'Unknown', 'Unknown after 4 s of silence');
    await stop();
  });

  it('leaves taints it does not own alone', async () => {
    const ctx = await testContext();
    await createLeaseNamespace(ctx);
    await createNode(ctx, 'node-1', [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }]);
    const controller = new NodeLifecycleController(ctx, { gracePeriodMs: 1000 });
    await ctx.informers.start();
    const run = controller.run();
    await advance(ctx, 2000);
    await waitFor(() => taints(ctx).length === 3, 'unreachable taints added');
    assert.equal(taints(ctx)[0]!.key, 'dedicated');
    await postNodeStatus(ctx, 'node-1');
    await waitFor(() => taints(ctx).length === 1, 'health taints gone');
    assert.equal(taints(ctx)[0]!.key, 'dedicated');
    await run.stop();
  });
});
