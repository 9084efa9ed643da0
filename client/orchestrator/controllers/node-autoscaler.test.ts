import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { EVENTS, NODES, PODS } from '../machinery/informer-factory';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';
import type { KubeObject } from '../store/object';
import { NODE_GROUP_LABEL, NodeAutoscaler, TO_BE_DELETED_TAINT } from './node-autoscaler';

const capacity = { cpu: '1', memory: '2Gi', pods: '110' };
const ready = { conditions: [{ type: 'Ready', status: 'True' }] };

function node(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { [NODE_GROUP_LABEL]: 'default' } },
    status: { capacity, allocatable: capacity, ...ready },
  };
}

function pod(name: string, cpu: string, nodeName?: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'big', uid: 'rs-uid', controller: true }],
    },
    spec: {
      ...(nodeName ? { nodeName } : {}),
      containers: [{ name: 'app', image: 'busybox', resources: { requests: { cpu } } }],
    },
    status: nodeName
      ? { phase: 'Running' }
      : {
          phase: 'Pending',
          conditions: [
            {
              type: 'PodScheduled',
              status: 'False',
              reason: 'Unschedulable',
              message: '0/2 nodes are available: 2 Insufficient cpu.',
            },
          ],
        },
  };
}

const events = (ctx: TestContext, reason: string) =>
  ctx.store
    .list(EVENTS, 'default')
    .items.filter((e) => e.reason === reason)
    .map((e) => String(e.message));
const nodeNames = (ctx: TestContext) =>
  ctx.store
    .list(NODES)
    .items.map((n) => n.metadata.name)
    .sort();

async function setup(maxNodes: number) {
  const ctx = await testContext();
  await ctx.store.create(NODES, node('kube-workbench-node-1'));
  await ctx.store.create(NODES, node('kube-workbench-node-2'));
  await ctx.store.create(PODS, pod('a', '600m', 'kube-workbench-node-1'));
  await ctx.store.create(PODS, pod('b', '600m', 'kube-workbench-node-2'));
  const autoscaler = new NodeAutoscaler(ctx, {
    minNodes: 2,
    maxNodes,
    template: capacity,
    unneededMs: 60_000,
    delayAfterAddMs: 120_000,
  });
  await ctx.informers.start();
  const run = autoscaler.run();
  return { ctx, stop: () => run.stop() };
}

describe('NodeAutoscaler', () => {
  it('adds a node from the template for a pod without room, then removes it once unneeded long enough', async () => {
    const { ctx, stop } = await setup(3);
    try {
      await ctx.store.create(PODS, pod('c', '600m'));
      await waitFor(() => nodeNames(ctx).length === 3, 'a third node');
      const added = ctx.store.get(NODES, '', 'kube-workbench-node-3')!;
      assert.equal(added.metadata.labels?.[NODE_GROUP_LABEL], 'default');
      assert.deepEqual((added.status as { capacity: unknown }).capacity, capacity);
      await waitFor(() => events(ctx, 'TriggeredScaleUp').length === 1, 'the scale-up event');
      assert.deepEqual(events(ctx, 'TriggeredScaleUp'), ['pod triggered scale-up: [{default 2->3 (max: 3)}]']);
      // The node comes up (as its kubelet would say) and the pod runs there; then the pod goes.
      const up = structuredClone(added) as KubeObject;
      up.status = { capacity, allocatable: capacity, ...ready };
      await ctx.store.update(NODES, up, { statusOnly: true });
      await ctx.store.delete(PODS, 'default', 'c');
      // Unneeded from now, but the delay after the scale-up (120 s) and the unneeded time (60 s) must pass.
      ctx.clock.advance(61_000);
      await turns(200);
      assert.equal(nodeNames(ctx).length, 3, 'kept during the delay after the scale-up');
      ctx.clock.advance(60_000);
      await waitFor(() => nodeNames(ctx).length === 2, 'the extra node removed');
      assert.deepEqual(nodeNames(ctx), ['kube-workbench-node-1', 'kube-workbench-node-2']);
      await ctx.events.flush(); // Events are written after the writes in flight (event-sink.ts)
      assert.ok(events(ctx, 'ScaleDown').includes('node removed by cluster autoscaler'));
      const status = ctx.store.get('/configmaps', 'kube-system', 'cluster-autoscaler-status');
      assert.match(String((status?.data as { status: string }).status), /maxSize: 3/);
      // Never below the minimum: the busy nodes stay.
      ctx.clock.advance(600_000);
      await turns(200);
      assert.equal(nodeNames(ctx).length, 2);
      assert.ok(ctx.store.list(NODES).items.every((n) => !JSON.stringify(n.spec ?? {}).includes(TO_BE_DELETED_TAINT)));
    } finally {
      await stop();
    }
  });

  it('says why a pod did not trigger a scale-up: the group is at its maximum, or the pod fits no template node', async () => {
    const { ctx, stop } = await setup(2);
    try {
      await ctx.store.create(PODS, pod('c', '600m'));
      await ctx.store.create(PODS, pod('huge', '2'));
      await waitFor(() => events(ctx, 'NotTriggerScaleUp').length === 2, 'two NotTriggerScaleUp events');
      assert.deepEqual(events(ctx, 'NotTriggerScaleUp').sort(), [
        "pod didn't trigger scale-up: 1 Insufficient cpu",
        "pod didn't trigger scale-up: 1 max node group size reached",
      ]);
      assert.equal(nodeNames(ctx).length, 2);
    } finally {
      await stop();
    }
  });
});
