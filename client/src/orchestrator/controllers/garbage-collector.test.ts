import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { NAMESPACES, PODS, REPLICA_SETS, SERVICES } from '../informer/informer-factory';
import { clone, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { GarbageCollector } from './garbage-collector';
import { NamespaceController } from './namespace-controller';
import { ReplicaSetController } from './replica-set-controller';
import { replicaSet, testContext, turns, waitFor, type TestContext } from './test-support';

async function setup() {
  const ctx = await testContext();
  const controllers = [new GarbageCollector(ctx), new ReplicaSetController(ctx), new NamespaceController(ctx)];
  await ctx.informers.start();
  const runs = controllers.map((c) => c.run());
  return { ctx, stop: () => Promise.all(runs.map((r) => r.stop())) };
}

const pods = (ctx: TestContext) => ctx.store.list(PODS, 'default').items;

async function withFinalizer(ctx: TestContext, resource: string, obj: Stored, finalizer: string): Promise<void> {
  const next = clone(obj) as KubeObject;
  next.metadata.finalizers = [finalizer];
  await ctx.store.update(resource, next);
}

describe('GarbageCollector', () => {
  it('deletes dependents whose owner is gone (background)', async () => {
    const { ctx, stop } = await setup();
    await ctx.store.create(REPLICA_SETS, replicaSet('web', 3));
    await waitFor(() => pods(ctx).length === 3, 'pods');
    await ctx.store.delete(REPLICA_SETS, 'default', 'web');
    await waitFor(() => pods(ctx).length === 0, 'pods collected');
    await stop();
  });

  it('orphans dependents under the orphan finalizer', async () => {
    const { ctx, stop } = await setup();
    const rs = await ctx.store.create(REPLICA_SETS, replicaSet('web', 2));
    await waitFor(() => pods(ctx).length === 2, 'pods');
    await withFinalizer(ctx, REPLICA_SETS, ctx.store.get(REPLICA_SETS, 'default', 'web')!, 'orphan');
    await ctx.store.delete(REPLICA_SETS, 'default', 'web');
    await waitFor(() => ctx.store.get(REPLICA_SETS, 'default', 'web') === undefined, 'owner gone');
    assert.equal(pods(ctx).length, 2);
    assert.ok(pods(ctx).every((p) => !p.metadata.ownerReferences?.some((r) => r.uid === rs.metadata.uid)));
    await stop();
  });

  it('deletes dependents before the owner under foregroundDeletion', async () => {
    const { ctx, stop } = await setup();
    await ctx.store.create(REPLICA_SETS, replicaSet('web', 2));
    await waitFor(() => pods(ctx).length === 2, 'pods');
    await withFinalizer(ctx, REPLICA_SETS, ctx.store.get(REPLICA_SETS, 'default', 'web')!, 'foregroundDeletion');
    await ctx.store.delete(REPLICA_SETS, 'default', 'web');
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

  it('deletes everything in a terminating namespace, then the namespace', async () => {
    const { ctx, stop } = await setup();
    await ctx.store.create(NAMESPACES, {
      apiVersion: 'v1',
      kind: 'Namespace',
      metadata: { name: 'team', finalizers: ['kubernetes'] },
    });
    await ctx.store.create(SERVICES, {
      apiVersion: 'v1',
      kind: 'Service',
      metadata: { name: 'svc', namespace: 'team' },
      spec: {},
    });
    await ctx.store.create(REPLICA_SETS, { ...replicaSet('web', 1), metadata: { name: 'web', namespace: 'team' } });
    await waitFor(() => ctx.store.list(PODS, 'team').items.length === 1, 'pod');
    await ctx.store.delete(NAMESPACES, '', 'team');
    for (let i = 0; i < 10 && ctx.store.get(NAMESPACES, '', 'team'); i++) {
      await turns(20);
      ctx.clock.advance(1000);
    }
    assert.equal(ctx.store.get(NAMESPACES, '', 'team'), undefined);
    assert.equal(ctx.store.list(SERVICES, 'team').items.length, 0);
    assert.equal(ctx.store.list(PODS, 'team').items.length, 0);
    await stop();
  });
});
