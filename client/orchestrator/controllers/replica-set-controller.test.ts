import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { rfc3339 } from '../clock';
import { EVENTS, PODS, REPLICA_SETS } from '../machinery/informer-factory';
import { clone, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { ReplicaSetController } from './replica-set-controller';
import { replicaSet, testContext, waitFor, type TestContext } from '../machinery/test-support';

async function setup(rs: KubeObject) {
  const ctx = await testContext();
  const controller = new ReplicaSetController(ctx);
  await ctx.informers.start();
  const running = controller.run(2);
  await ctx.store.create(REPLICA_SETS, rs);
  return { ctx, running };
}

const pods = (ctx: TestContext) => ctx.store.list(PODS, 'default').items;
const live = (ctx: TestContext) => pods(ctx).filter((p) => !p.metadata.deletionTimestamp);
const status = (ctx: TestContext, name = 'web') =>
  ctx.store.get(REPLICA_SETS, 'default', name)?.status as Record<string, number> | undefined;

async function makeReady(ctx: TestContext, pod: Stored, node = 'node-1'): Promise<void> {
  const next = clone(pod) as KubeObject;
  (next.spec as Record<string, unknown>).nodeName = node;
  const bound = await ctx.store.update(PODS, next);
  const ready = clone(bound) as KubeObject;
  ready.status = {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(ctx.clock.now()) }],
  };
  await ctx.store.update(PODS, ready, { statusOnly: true });
}

describe('ReplicaSetController', () => {
  it('creates the wanted pods, named after the ReplicaSet and owned by it', async () => {
    const { ctx, running } = await setup(replicaSet('web', 3));
    await waitFor(() => pods(ctx).length === 3, '3 pods');
    const rs = ctx.store.get(REPLICA_SETS, 'default', 'web')!;
    for (const pod of pods(ctx)) {
      assert.match(pod.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
      assert.deepEqual(pod.metadata.labels, { app: 'web' });
      assert.deepEqual(pod.metadata.ownerReferences, [
        {
          apiVersion: 'apps/v1',
          kind: 'ReplicaSet',
          name: 'web',
          uid: rs.metadata.uid,
          controller: true,
          blockOwnerDeletion: true,
        },
      ]);
      assert.equal((pod.status as { phase: string }).phase, 'Pending');
    }
    await waitFor(() => status(ctx)?.replicas === 3, 'status.replicas');
    assert.deepEqual(status(ctx), {
      replicas: 3,
      fullyLabeledReplicas: 3,
      readyReplicas: 0,
      availableReplicas: 0,
      observedGeneration: 1,
    });
    await ctx.events.flush();
    const reasons = ctx.store.list(EVENTS, 'default').items.map((e) => e.reason);
    assert.deepEqual(reasons, ['SuccessfulCreate', 'SuccessfulCreate', 'SuccessfulCreate']);
    await running.stop();
  });

  it('replaces a deleted pod', async () => {
    const { ctx, running } = await setup(replicaSet('web', 2));
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    const [first] = pods(ctx);
    await ctx.store.delete(PODS, 'default', first!.metadata.name!);
    await waitFor(
      () => pods(ctx).length === 2 && !pods(ctx).some((p) => p.metadata.uid === first!.metadata.uid),
      'a replacement',
    );
    await running.stop();
  });

  it('counts ready pods, and available ones only after minReadySeconds', async () => {
    const { ctx, running } = await setup(replicaSet('web', 2, { minReadySeconds: 10 }));
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    for (const pod of pods(ctx)) await makeReady(ctx, pod);
    await waitFor(() => status(ctx)?.readyReplicas === 2, 'ready');
    assert.equal(status(ctx)?.availableReplicas, 0);
    ctx.clock.advance(10_001);
    await waitFor(() => status(ctx)?.availableReplicas === 2, 'available after minReadySeconds');
    await running.stop();
  });

  it('deletes unscheduled and not-ready pods before ready ones when scaling down', async () => {
    const { ctx, running } = await setup(replicaSet('web', 4));
    await waitFor(() => pods(ctx).length === 4, '4 pods');
    const [a, b] = pods(ctx);
    await makeReady(ctx, a!);
    await makeReady(ctx, b!);
    const rs = clone(ctx.store.get(REPLICA_SETS, 'default', 'web')!) as KubeObject;
    (rs.spec as Record<string, unknown>).replicas = 2;
    await ctx.store.update(REPLICA_SETS, rs);
    await waitFor(() => live(ctx).length === 2, 'scaled down to 2');
    assert.deepEqual(
      live(ctx)
        .map((p) => p.metadata.name)
        .sort(),
      [a!.metadata.name, b!.metadata.name].sort(),
    );
    await waitFor(() => status(ctx)?.observedGeneration === 2, 'observedGeneration');
    await running.stop();
  });

  it('gives pods on a node their grace period when it deletes them', async () => {
    const { ctx, running } = await setup(replicaSet('web', 1));
    await waitFor(() => pods(ctx).length === 1, '1 pod');
    await makeReady(ctx, pods(ctx)[0]!);
    const rs = clone(ctx.store.get(REPLICA_SETS, 'default', 'web')!) as KubeObject;
    (rs.spec as Record<string, unknown>).replicas = 0;
    await ctx.store.update(REPLICA_SETS, rs);
    await waitFor(() => live(ctx).length === 0, 'marked for deletion');
    const [pod] = pods(ctx);
    assert.equal(pod!.metadata.deletionGracePeriodSeconds, 30);
    await running.stop();
  });

  it('gives its pods the admission defaults a pod created through the API gets', async () => {
    const { ctx, running } = await setup(replicaSet('web', 1));
    await waitFor(() => pods(ctx).length === 1, '1 pod');
    const spec = pods(ctx)[0]!.spec as Record<string, unknown>;
    assert.equal(spec.serviceAccountName, 'default');
    assert.equal(spec.restartPolicy, 'Always');
    assert.equal(spec.dnsPolicy, 'ClusterFirst');
    assert.equal(spec.terminationGracePeriodSeconds, 30);
    const managers = (pods(ctx)[0]!.metadata.managedFields ?? []).map((m) => (m as { manager: string }).manager);
    assert.ok(managers.includes('replicaset-controller'), managers.join(','));
    await running.stop();
  });

  it('adopts an orphan pod its selector matches instead of creating one', async () => {
    const ctx = await testContext();
    const controller = new ReplicaSetController(ctx);
    await ctx.informers.start();
    const running = controller.run(2);
    await ctx.store.create(PODS, {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'stray', namespace: 'default', labels: { app: 'web' } },
      spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
    });
    const rs = await ctx.store.create(REPLICA_SETS, replicaSet('web', 2));
    await waitFor(() => pods(ctx).length === 2 && status(ctx)?.replicas === 2, '2 pods');
    const stray = ctx.store.get(PODS, 'default', 'stray')!;
    assert.deepEqual(
      stray.metadata.ownerReferences?.map((r) => [r.kind, r.name, r.uid, r.controller]),
      [['ReplicaSet', 'web', rs.metadata.uid, true]],
    );
    await running.stop();
  });

  it('releases a pod whose labels stop matching and replaces it', async () => {
    const { ctx, running } = await setup(replicaSet('web', 2));
    await waitFor(() => pods(ctx).length === 2, '2 pods');
    const relabeled = clone(pods(ctx)[0]!) as KubeObject;
    relabeled.metadata.labels = { app: 'debug' };
    await ctx.store.update(PODS, relabeled);
    await waitFor(() => pods(ctx).length === 3, 'a replacement');
    await waitFor(
      () => ctx.store.get(PODS, 'default', relabeled.metadata.name!)?.metadata.ownerReferences === undefined,
      'the relabeled pod released',
    );
    const owned = pods(ctx).filter((p) => p.metadata.ownerReferences?.length);
    assert.equal(owned.length, 2);
    await waitFor(() => status(ctx)?.replicas === 2, 'status counts the two it owns');
    await running.stop();
  });
});
