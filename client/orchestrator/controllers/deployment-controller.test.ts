import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { DEPLOYMENTS, EVENTS, PODS, REPLICA_SETS } from '../machinery/informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { DeploymentController } from './deployment-controller';
import { REVISION } from './deployment-util';
import { ReplicaSetController } from './replica-set-controller';
import { driveUntil, testContext, turns, type TestContext } from '../machinery/test-support';

function deployment(name: string, replicas: number, spec: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name, namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: { app: name } },
      template: { metadata: { labels: { app: name } }, spec: { containers: [{ name: 'app', image: 'nginx:1.26' }] } },
      ...spec,
    },
  };
}

async function setup(d: KubeObject) {
  const ctx = await testContext();
  const rsc = new ReplicaSetController(ctx);
  const dc = new DeploymentController(ctx);
  await ctx.informers.start();
  const runs = [rsc.run(2), dc.run(2)];
  await ctx.store.create(DEPLOYMENTS, d);
  return { ctx, stop: () => Promise.all(runs.map((r) => r.stop())) };
}

const deploy = (ctx: TestContext) => ctx.store.get(DEPLOYMENTS, 'default', 'web')!;
const dstatus = (ctx: TestContext) => (deploy(ctx).status ?? {}) as JsonObject;
const progressing = (ctx: TestContext) =>
  ((dstatus(ctx).conditions ?? []) as JsonObject[]).find((c) => c.type === 'Progressing');
const sets = (ctx: TestContext) => ctx.store.list(REPLICA_SETS, 'default').items;
const livePods = (ctx: TestContext) =>
  ctx.store.list(PODS, 'default').items.filter((p) => !p.metadata.deletionTimestamp);
const replicas = (rs: Stored) => (rs.spec as JsonObject).replicas;

function complete(ctx: TestContext, n: number): boolean {
  const s = dstatus(ctx);
  return (
    s.observedGeneration === deploy(ctx).metadata.generation &&
    s.updatedReplicas === n &&
    s.replicas === n &&
    s.availableReplicas === n &&
    progressing(ctx)?.reason === 'NewReplicaSetAvailable'
  );
}

async function update(ctx: TestContext, change: (spec: JsonObject) => void): Promise<void> {
  const next = clone(deploy(ctx)) as KubeObject;
  change(next.spec as JsonObject);
  await ctx.store.update(DEPLOYMENTS, next);
}

const setImage = (image: string) => (spec: JsonObject) => {
  (((spec.template as JsonObject).spec as JsonObject).containers as JsonObject[])[0]!.image = image;
};

describe('DeploymentController', () => {
  it('creates a ReplicaSet named by the pod-template-hash and reports a complete rollout', async () => {
    const { ctx, stop } = await setup(deployment('web', 3));
    await driveUntil(ctx, () => complete(ctx, 3), 'rollout');
    const [rs] = sets(ctx);
    const hash = rs!.metadata.labels?.['pod-template-hash'];
    assert.match(hash ?? '', /^[bcdfghjklmnpqrstvwxz2456789]{6,10}$/);
    assert.equal(rs!.metadata.name, `web-${hash}`);
    assert.deepEqual((rs!.spec as JsonObject).selector, { matchLabels: { app: 'web', 'pod-template-hash': hash } });
    assert.equal(rs!.metadata.annotations?.[REVISION], '1');
    assert.equal(deploy(ctx).metadata.annotations?.[REVISION], '1');
    assert.equal(rs!.metadata.ownerReferences?.[0]?.kind, 'Deployment');
    assert.equal(livePods(ctx).length, 3);
    assert.ok(livePods(ctx).every((p) => p.metadata.name?.startsWith(`web-${hash}-`)));
    const s = dstatus(ctx);
    assert.equal(s.readyReplicas, 3);
    assert.equal(s.unavailableReplicas, 0);
    const available = (s.conditions as JsonObject[]).find((c) => c.type === 'Available');
    assert.equal(available?.reason, 'MinimumReplicasAvailable');
    await ctx.events.flush();
    assert.ok(
      ctx.store
        .list(EVENTS, 'default')
        .items.some(
          (e) => e.reason === 'ScalingReplicaSet' && e.message === `Scaled up replica set web-${hash} from 0 to 3`,
        ),
    );
    await stop();
  });

  it('rolls out a new template within maxSurge and maxUnavailable, then rolls back to the old ReplicaSet', async () => {
    const { ctx, stop } = await setup(
      deployment('web', 4, { strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }),
    );
    await driveUntil(ctx, () => complete(ctx, 4), 'first rollout');
    const first = sets(ctx)[0]!;
    await update(ctx, setImage('nginx:1.27'));
    let maxPods = 0;
    await driveUntil(
      ctx,
      () => {
        maxPods = Math.max(maxPods, livePods(ctx).length);
        return complete(ctx, 4) && sets(ctx).length === 2;
      },
      'second rollout',
    );
    assert.ok(maxPods <= 5, `never more than replicas + maxSurge pods (saw ${maxPods})`);
    const second = sets(ctx).find((rs) => rs.metadata.uid !== first.metadata.uid)!;
    assert.equal(second.metadata.annotations?.[REVISION], '2');
    assert.equal(replicas(ctx.store.get(REPLICA_SETS, 'default', first.metadata.name!)!), 0);
    await update(ctx, setImage('nginx:1.26'));
    await driveUntil(
      ctx,
      () => complete(ctx, 4) && replicas(ctx.store.get(REPLICA_SETS, 'default', first.metadata.name!)!) === 4,
      'rollback',
    );
    assert.equal(ctx.store.get(REPLICA_SETS, 'default', first.metadata.name!)!.metadata.annotations?.[REVISION], '3');
    assert.equal(deploy(ctx).metadata.annotations?.[REVISION], '3');
    assert.equal(sets(ctx).length, 2, 'the old ReplicaSet was reused');
    await stop();
  });

  it('Recreate scales the old ReplicaSet to zero before the new one starts', async () => {
    const { ctx, stop } = await setup(deployment('web', 2, { strategy: { type: 'Recreate' } }));
    await driveUntil(ctx, () => complete(ctx, 2), 'first rollout');
    await update(ctx, setImage('nginx:1.27'));
    let mixed = false;
    await driveUntil(
      ctx,
      () => {
        const images = new Set(livePods(ctx).map((p) => JSON.stringify((p.spec as JsonObject).containers)));
        if (images.size > 1) mixed = true;
        return complete(ctx, 2) && sets(ctx).length === 2;
      },
      'recreate',
    );
    assert.equal(mixed, false, 'old and new pods never ran together');
    await stop();
  });

  it('holds a paused rollout but still scales, and resumes', async () => {
    const { ctx, stop } = await setup(deployment('web', 2));
    await driveUntil(ctx, () => complete(ctx, 2), 'first rollout');
    await update(ctx, (spec) => {
      spec.paused = true;
      setImage('nginx:1.27')(spec);
      spec.replicas = 3;
    });
    await driveUntil(
      ctx,
      () => livePods(ctx).length === 3 && progressing(ctx)?.reason === 'DeploymentPaused',
      'scaled while paused',
    );
    assert.equal(sets(ctx).length, 1);
    await update(ctx, (spec) => {
      spec.paused = false;
    });
    await driveUntil(ctx, () => complete(ctx, 3) && sets(ctx).length === 2, 'resumed rollout');
    await stop();
  });

  it('reports ProgressDeadlineExceeded when pods never become ready', async () => {
    const { ctx, stop } = await setup(deployment('web', 1, { progressDeadlineSeconds: 60 }));
    await driveUntil(ctx, () => livePods(ctx).length === 1, 'pod created', { ready: false });
    await turns(20);
    ctx.clock.advance(61_000);
    await driveUntil(ctx, () => progressing(ctx)?.reason === 'ProgressDeadlineExceeded', 'deadline', { ready: false });
    assert.equal(progressing(ctx)?.status, 'False');
    assert.equal(progressing(ctx)?.message, `ReplicaSet "${sets(ctx)[0]!.metadata.name}" has timed out progressing.`);
    await stop();
  });

  it('keeps only revisionHistoryLimit old ReplicaSets', async () => {
    const { ctx, stop } = await setup(deployment('web', 1, { revisionHistoryLimit: 1 }));
    for (const tag of ['1.27', '1.28', '1.29']) {
      await driveUntil(ctx, () => complete(ctx, 1), 'rollout');
      await update(ctx, setImage(`nginx:${tag}`));
    }
    await driveUntil(ctx, () => complete(ctx, 1) && sets(ctx).length === 2, 'cleanup');
    assert.deepEqual(
      sets(ctx)
        .map((rs) => rs.metadata.annotations?.[REVISION])
        .sort(),
      ['3', '4'],
    );
    await stop();
  });
});
