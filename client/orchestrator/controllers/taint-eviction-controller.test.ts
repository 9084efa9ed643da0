import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { rfc3339 } from '../clock';
import { EVENTS, PODS } from '../machinery/informer-factory';
import { podCondition } from '../machinery/pod-state';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import { createNode, runningPod } from './node-lifecycle-test-support';
import { TaintEvictionController } from './taint-eviction-controller';

const UNREACHABLE = 'node.kubernetes.io/unreachable';

async function setup(ctx: TestContext) {
  const controller = new TaintEvictionController(ctx);
  await ctx.informers.start();
  const run = controller.run();
  await turns();
  return () => run.stop();
}

const pod = (ctx: TestContext, name: string) => ctx.store.get(PODS, 'default', name);
const marked = (ctx: TestContext, name: string) => Boolean(pod(ctx, name)?.metadata.deletionTimestamp);

describe('TaintEvictionController', () => {
  it('evicts each pod when its toleration of a NoExecute taint runs out, at once without one, never without seconds', async () => {
    const ctx = await testContext();
    const taint = { key: UNREACHABLE, effect: 'NoExecute', timeAdded: rfc3339(ctx.clock.now()) };
    await createNode(ctx, 'node-1', [{ key: UNREACHABLE, effect: 'NoSchedule' }, taint]);
    await createNode(ctx, 'node-2');
    await runningPod(ctx, 'defaulted', 'node-1'); // DefaultTolerationSeconds: 300 s
    await runningPod(ctx, 'short', 'node-1', [
      { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 2 },
    ]);
    await runningPod(ctx, 'forever', 'node-1', [{ key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute' }]);
    await runningPod(ctx, 'other-key', 'node-1', [{ key: 'other', operator: 'Exists', effect: 'NoExecute' }]);
    await runningPod(ctx, 'elsewhere', 'node-2');
    const stop = await setup(ctx);

    const otherKey = pod(ctx, 'other-key')!;
    const tolerations = (otherKey.spec as JsonObject).tolerations as JsonObject[];
    assert.ok(
      tolerations.some((t) => t.key === UNREACHABLE && t.tolerationSeconds === 300),
      'a pod tolerating another key gets the default 300 s',
    );

    ctx.clock.advance(1000);
    await turns(50);
    assert.equal(marked(ctx, 'short'), false, 'short: 2 s not yet run out');
    ctx.clock.advance(1000);
    await waitFor(() => marked(ctx, 'short'), 'short evicted after 2 s');
    await ctx.events.flush(); // Events are written after the writes in flight (event-sink.ts)
    const evicted = pod(ctx, 'short')!;
    assert.equal(podCondition(evicted, 'DisruptionTarget')?.reason, 'DeletionByTaintManager');
    const event = ctx.store.list(EVENTS).items.find((e) => (e as JsonObject).reason === 'TaintManagerEviction') as
      JsonObject | undefined;
    assert.equal(event?.message, 'Marking for deletion Pod default/short');

    ctx.clock.advance(297_000);
    await turns(50);
    assert.equal(marked(ctx, 'defaulted'), false, 'defaulted: 300 s not yet run out');
    ctx.clock.advance(1000);
    await waitFor(() => marked(ctx, 'defaulted') && marked(ctx, 'other-key'), 'defaulted evicted after 300 s');
    assert.equal(marked(ctx, 'forever'), false, 'a toleration without seconds keeps the pod');
    assert.equal(marked(ctx, 'elsewhere'), false, 'pods of other nodes stay');
    await stop();
  });

  it('counts a taint without a readable timeAdded from when it was first seen', async () => {
    const ctx = await testContext();
    await createNode(ctx, 'node-1', [{ key: UNREACHABLE, effect: 'NoExecute', timeAdded: 'yesterday' }]);
    await runningPod(ctx, 'web', 'node-1', [
      { key: UNREACHABLE, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 5 },
    ]);
    const stop = await setup(ctx);
    for (let i = 0; i < 4; i++) {
      ctx.clock.advance(1000);
      await turns(20);
    }
    assert.equal(marked(ctx, 'web'), false);
    ctx.clock.advance(1000);
    await waitFor(() => marked(ctx, 'web'), 'evicted 5 s after the taint was first seen');
    await stop();
  });

  it('evicts a pod that tolerates no NoExecute taint of its node at once, when the taint comes', async () => {
    const ctx = await testContext();
    await createNode(ctx, 'node-1');
    await runningPod(ctx, 'web', 'node-1');
    const stop = await setup(ctx);
    const node = clone(ctx.store.get('/nodes', '', 'node-1')!) as KubeObject;
    node.spec = { taints: [{ key: 'maintenance', effect: 'NoExecute', timeAdded: rfc3339(ctx.clock.now()) }] };
    await ctx.store.update('/nodes', node);
    await waitFor(() => marked(ctx, 'web'), 'evicted at once');
    await stop();
  });
});
