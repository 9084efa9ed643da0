import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NODES, PODS } from '../machinery/informer-factory';
import { testContext, turns, waitFor } from '../machinery/test-support';
import { PodGcController, QUARANTINE_MS } from './pod-gc-controller';

const node = (name: string) => ({ apiVersion: 'v1', kind: 'Node', metadata: { name } });
const pod = (name: string, nodeName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: { nodeName, containers: [{ name: 'app', image: 'nginx:1.27' }] },
  status: { phase: 'Running' },
});

describe('PodGcController', () => {
  it('deletes the pods bound to a node once the node is deleted, and no other', async () => {
    const ctx = await testContext();
    const controller = new PodGcController(ctx);
    await ctx.informers.start();
    const run = controller.run();
    try {
      await ctx.store.create(NODES, node('a'));
      await ctx.store.create(NODES, node('b'));
      await ctx.store.create(PODS, pod('on-a', 'a'));
      await ctx.store.create(PODS, pod('on-b', 'b'));
      await ctx.store.create(PODS, pod('pending', ''));
      await turns();
      assert.equal(ctx.store.list(PODS, 'default').items.length, 3);
      await ctx.store.delete(NODES, '', 'a');
      await waitFor(() => ctx.store.get(PODS, 'default', 'on-a') === undefined, 'the orphaned pod deleted');
      await turns();
      assert.deepEqual(
        ctx.store
          .list(PODS, 'default')
          .items.map((p) => p.metadata.name)
          .sort(),
        ['on-b', 'pending'],
      );
      // A pod bound to a node that never existed goes after the quarantine.
      await ctx.store.create(PODS, pod('ghost', 'nowhere'));
      await turns();
      assert.ok(ctx.store.get(PODS, 'default', 'ghost'), 'kept during the quarantine');
      ctx.clock.advance(QUARANTINE_MS);
      await waitFor(() => ctx.store.get(PODS, 'default', 'ghost') === undefined, 'the ghost pod deleted');
    } finally {
      await run.stop();
    }
  });
});
