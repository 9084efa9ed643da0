import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import type { PropagationPolicy } from '../api/delete-object';
import { PODS, REPLICA_SETS } from '../machinery/informer-factory';
import { GarbageCollector } from './garbage-collector';
import { ReplicaSetController } from './replica-set-controller';
import { replicaSet, testContext, waitFor, type TestContext } from '../machinery/test-support';

async function setup() {
  const ctx = await testContext();
  const controllers = [new GarbageCollector(ctx), new ReplicaSetController(ctx)];
  await ctx.informers.start();
  const runs = controllers.map((c) => c.run());
  return { ctx, stop: () => Promise.all(runs.map((r) => r.stop())) };
}

const pods = (ctx: TestContext) => ctx.store.list(PODS, 'default').items;

/** Deletes the ReplicaSet as `kubectl delete rs web --cascade=...` does: through the API's delete path. */
async function deleteWeb(ctx: TestContext, propagationPolicy?: PropagationPolicy): Promise<void> {
  const writer = new AdmittedWriter(ctx.api, 'kubectl');
  await writer.delete(REPLICA_SETS, 'default', 'web', propagationPolicy ? { propagationPolicy } : {});
}

describe('GarbageCollector', () => {
  it('deletes dependents whose owner is gone (background)', async () => {
    const { ctx, stop } = await setup();
    await ctx.store.create(REPLICA_SETS, replicaSet('web', 3));
    await waitFor(() => pods(ctx).length === 3, 'pods');
    await deleteWeb(ctx);
    await waitFor(() => pods(ctx).length === 0, 'pods collected');
    await stop();
  });

  it('orphans dependents under the orphan finalizer', async () => {
    const { ctx, stop } = await setup();
    const rs = await ctx.store.create(REPLICA_SETS, replicaSet('web', 2));
    await waitFor(() => pods(ctx).length === 2, 'pods');
    await deleteWeb(ctx, 'Orphan');
    await waitFor(() => ctx.store.get(REPLICA_SETS, 'default', 'web') === undefined, 'owner gone');
    assert.equal(pods(ctx).length, 2);
    assert.ok(pods(ctx).every((p) => !p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid)));
    await stop();
  });

  it('deletes dependents before the owner under foregroundDeletion', async () => {
    const { ctx, stop } = await setup();
    await ctx.store.create(REPLICA_SETS, replicaSet('web', 2));
    await waitFor(() => pods(ctx).length === 2, 'pods');
    await deleteWeb(ctx, 'Foreground');
    const marked = ctx.store.get(REPLICA_SETS, 'default', 'web');
    assert.deepEqual(marked?.metadata.finalizers, ['foregroundDeletion']);
    assert.ok(marked?.metadata.deletionTimestamp);
    let ownerOutlivedPods = true;
    await waitFor(() => {
      if (ctx.store.get(REPLICA_SETS, 'default', 'web') === undefined && pods(ctx).length > 0)
        ownerOutlivedPods = false;
      return ctx.store.get(REPLICA_SETS, 'default', 'web') === undefined;
    }, 'owner gone');
    assert.equal(ownerOutlivedPods, true);
    assert.equal(pods(ctx).length, 0);
    await stop();
  });
});
