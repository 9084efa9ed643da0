import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { PODS, REPLICATION_CONTROLLERS } from '../machinery/informer-factory';
import { clone, type KubeObject } from '../store/object';
import { ReplicationControllerController } from './replication-controller-controller';
import { testContext, waitFor, type TestContext } from '../machinery/test-support';

function rc(name: string, replicas: number, selector: Record<string, string> = { app: name }): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'ReplicationController',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector,
      template: {
        metadata: { labels: { app: name, tier: 'fe' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
    },
  };
}

async function setup(...owners: KubeObject[]) {
  const ctx = await testContext();
  const controller = new ReplicationControllerController(ctx);
  await ctx.informers.start();
  const running = controller.run(2);
  for (const owner of owners) await ctx.store.create(REPLICATION_CONTROLLERS, owner);
  return { ctx, running };
}

const pods = (ctx: TestContext) => ctx.store.list(PODS, 'default').items.filter((p) => !p.metadata.deletionTimestamp);
const status = (ctx: TestContext, name = 'web') =>
  ctx.store.get(REPLICATION_CONTROLLERS, 'default', name)?.status as Record<string, number> | undefined;

describe('ReplicationControllerController', () => {
  it('creates the wanted pods from the template, owned by the RC, and reports status', async () => {
    const { ctx, running } = await setup(rc('web', 3));
    await waitFor(() => pods(ctx).length === 3, '3 pods');
    const owner = ctx.store.get(REPLICATION_CONTROLLERS, 'default', 'web')!;
    for (const pod of pods(ctx)) {
      assert.match(pod.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata.ownerReferences, [
        {
          apiVersion: 'v1',
          kind: 'ReplicationController',
          name: 'web',
          uid: owner.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
    }
    await waitFor(() => status(ctx)?.replicas === 3, 'status.replicas');
    assert.equal(status(ctx)?.fullyLabeledReplicas, 3);
    await running.stop();
  });

  it('scales down and adopts orphans its equality selector matches, not others', async () => {
    const { ctx, running } = await setup(rc('web', 2));
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    const owner = ctx.store.get(REPLICATION_CONTROLLERS, 'default', 'web')!;
    const next = clone(owner) as KubeObject;
    (next.spec as { replicas: number }).replicas = 1;
    await ctx.store.update(REPLICATION_CONTROLLERS, next);
    await waitFor(() => pods(ctx).length === 1, 'scaled to 1');
    const orphan = (name: string, labels: Record<string, string>): KubeObject => ({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name, namespace: 'default', labels },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    await ctx.store.create(PODS, orphan('stranger', { app: 'other' }));
    await ctx.store.create(PODS, orphan('match', { app: 'web', extra: 'x' }));
    // The matching orphan is adopted; then one pod too many is deleted.
    await waitFor(() => pods(ctx).filter((p) => p.metadata.labels?.app === 'web').length === 1, 'back to 1');
    const stranger = ctx.store.get(PODS, 'default', 'stranger')!;
    assert.equal(stranger.metadata.ownerReferences, undefined);
    await running.stop();
  });

  it('leaves pods alone when its selector is empty (it selects nothing)', async () => {
    const { ctx, running } = await setup(rc('web', 0, {}));
    await ctx.store.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'loose', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    await waitFor(() => status(ctx) !== undefined, 'status written');
    assert.equal(ctx.store.get(PODS, 'default', 'loose')?.metadata.ownerReferences, undefined);
    await running.stop();
  });
});
