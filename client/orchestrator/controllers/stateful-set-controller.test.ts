import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { rfc3339 } from '../clock';
import { EVENTS, PODS } from '../machinery/informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { CLAIMS } from '../store/storage-class';
import { writerFor } from '../machinery/controller-context';
import { CONTROLLER_REVISIONS, REVISION_LABEL, STATEFUL_SETS } from './controller-history';
import { StatefulSetController } from './stateful-set-controller';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';

function statefulSet(replicas: number, spec: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'StatefulSet',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      serviceName: 'web-headless',
      selector: { matchLabels: { app: 'web' } },
      template: {
        metadata: { labels: { app: 'web' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      },
      volumeClaimTemplates: [
        {
          metadata: { name: 'data' },
          spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } } },
        },
      ],
      ...spec,
    },
  };
}

async function setup(set: KubeObject) {
  const ctx = await testContext();
  const controller = new StatefulSetController(ctx);
  await ctx.informers.start();
  const running = controller.run(2);
  // Through admission, as kubectl would: the stored set carries Kubernetes' defaults.
  await writerFor(ctx, 'kubectl').create(STATEFUL_SETS, set);
  return { ctx, stop: () => running.stop() };
}

const all = (ctx: TestContext) => ctx.store.list(PODS, 'default').items;
const names = (ctx: TestContext) =>
  all(ctx)
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.metadata.name)
    .sort();
const pod = (ctx: TestContext, name: string) => ctx.store.get(PODS, 'default', name);
const set = (ctx: TestContext) => ctx.store.get(STATEFUL_SETS, 'default', 'web')!;
const status = (ctx: TestContext) => (set(ctx).status ?? {}) as JsonObject;
const claims = (ctx: TestContext) =>
  ctx.store
    .list(CLAIMS, 'default')
    .items.map((c) => c.metadata.name)
    .sort();
const revisions = (ctx: TestContext) => ctx.store.list(CONTROLLER_REVISIONS, 'default').items;

/** The kubelet's part for one pod: bound, Running and Ready. */
async function makeReady(ctx: TestContext, name: string): Promise<void> {
  await waitFor(() => pod(ctx, name) !== undefined, `pod ${name}`);
  const bound = clone(pod(ctx, name)!) as KubeObject;
  (bound.spec as JsonObject).nodeName = 'node-1';
  const stored = await ctx.store.update(PODS, bound);
  const ready = clone(stored) as KubeObject;
  ready.status = {
    phase: 'Running',
    conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(ctx.clock.now()) }],
  };
  await ctx.store.update(PODS, ready, { statusOnly: true });
}

/** The kubelet's part for terminating pods: gone. */
async function finishDeletes(ctx: TestContext): Promise<void> {
  for (const p of all(ctx))
    if (p.metadata.deletionTimestamp)
      await ctx.store.delete(PODS, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 }).catch(() => undefined);
}

async function update(ctx: TestContext, change: (spec: JsonObject) => void): Promise<void> {
  const next = clone(set(ctx)) as KubeObject;
  change(next.spec as JsonObject);
  await writerFor(ctx, 'kubectl').update(STATEFUL_SETS, next);
}

const image = (p: Stored | undefined) => ((p?.spec as JsonObject).containers as JsonObject[])[0]!.image;
const setImage = (tag: string) => (spec: JsonObject) => {
  ((spec.template as JsonObject).spec as JsonObject).containers = [{ name: 'app', image: `nginx:${tag}` }];
};

/** Readies pods as they come and removes terminating ones, recording the order of each. */
async function playOrdered(ctx: TestContext, until: () => boolean, log: string[] = []): Promise<string[]> {
  for (let round = 0; round < 200 && !until(); round++) {
    await turns(20);
    for (const p of all(ctx)) {
      const phase = (p.status as JsonObject | undefined)?.phase;
      if (p.metadata.deletionTimestamp) {
        log.push(`-${p.metadata.name ?? ''}`);
        await finishDeletes(ctx);
      } else if (phase !== 'Running') {
        log.push(`+${p.metadata.name ?? ''}`);
        await makeReady(ctx, p.metadata.name ?? '');
      }
    }
  }
  assert.ok(until(), `not reached; seen ${log.join(' ')}`);
  return log;
}

describe('StatefulSetController', () => {
  it('stores the defaults Kubernetes gives a StatefulSet', async () => {
    const { ctx, stop } = await setup(statefulSet(1));
    const spec = set(ctx).spec as JsonObject;
    assert.equal(spec.podManagementPolicy, 'OrderedReady');
    assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { partition: 0 } });
    assert.equal(spec.revisionHistoryLimit, 10);
    assert.deepEqual(spec.persistentVolumeClaimRetentionPolicy, { whenDeleted: 'Retain', whenScaled: 'Retain' });
    const template = (spec.volumeClaimTemplates as JsonObject[])[0]!;
    assert.equal(template.kind, 'PersistentVolumeClaim');
    assert.equal((template.spec as JsonObject).volumeMode, 'Filesystem');
    await stop();
  });

  it('creates web-0, web-1, web-2 one at a time, each after the one before is Running and Ready', async () => {
    const { ctx, stop } = await setup(statefulSet(3));
    await waitFor(() => names(ctx).length === 1, 'the first pod');
    await turns(100);
    assert.deepEqual(names(ctx), ['web-0'], 'web-1 waits for web-0');
    assert.deepEqual(claims(ctx), ['data-web-0'], 'the claim comes with its pod');
    await makeReady(ctx, 'web-0');
    await waitFor(() => names(ctx).length === 2, 'the second pod');
    await turns(100);
    assert.deepEqual(names(ctx), ['web-0', 'web-1']);
    await makeReady(ctx, 'web-1');
    await waitFor(() => names(ctx).length === 3, 'the third pod');
    await makeReady(ctx, 'web-2');
    await waitFor(() => status(ctx).readyReplicas === 3, 'three ready');

    const [revision] = revisions(ctx);
    assert.equal(revisions(ctx).length, 1);
    assert.equal((revision as JsonObject).revision, 1);
    const web1 = pod(ctx, 'web-1')!;
    assert.deepEqual(web1.metadata.labels, {
      app: 'web',
      [REVISION_LABEL]: revision!.metadata.name,
      'statefulset.kubernetes.io/pod-name': 'web-1',
      'apps.kubernetes.io/pod-index': '1',
    });
    const spec = web1.spec as JsonObject;
    assert.equal(spec.hostname, 'web-1');
    assert.equal(spec.subdomain, 'web-headless');
    assert.deepEqual(spec.volumes, [{ name: 'data', persistentVolumeClaim: { claimName: 'data-web-1' } }]);
    assert.equal(web1.metadata.ownerReferences?.[0]?.uid, set(ctx).metadata.uid);
    const claim = ctx.store.get(CLAIMS, 'default', 'data-web-1')!;
    assert.deepEqual(claim.metadata.labels, { app: 'web' });
    assert.equal(claim.metadata.ownerReferences, undefined, 'Retain: the claim outlives the set');
    assert.deepEqual(status(ctx), {
      observedGeneration: 1,
      replicas: 3,
      readyReplicas: 3,
      currentReplicas: 3,
      updatedReplicas: 3,
      availableReplicas: 3,
      currentRevision: revision!.metadata.name,
      updateRevision: revision!.metadata.name,
      collisionCount: 0,
    });
    await ctx.events.flush();
    const messages = ctx.store
      .list(EVENTS, 'default')
      .items.filter((e) => e.reason === 'SuccessfulCreate')
      .map((e) => (e as JsonObject).message);
    for (const n of [0, 1, 2]) {
      assert.ok(messages.includes(`create Claim data-web-${n} Pod web-${n} in StatefulSet web success`));
      assert.ok(messages.includes(`create Pod web-${n} in StatefulSet web successful`));
    }
    await stop();
  });

  it('scales down from the highest ordinal, one at a time, and keeps the claims', async () => {
    const { ctx, stop } = await setup(statefulSet(3));
    await playOrdered(ctx, () => status(ctx).readyReplicas === 3);
    await update(ctx, (spec) => (spec.replicas = 1));
    const log = await playOrdered(ctx, () => names(ctx).length === 1 && status(ctx).replicas === 1);
    assert.deepEqual(log, ['-web-2', '-web-1']);
    assert.deepEqual(names(ctx), ['web-0']);
    assert.deepEqual(claims(ctx), ['data-web-0', 'data-web-1', 'data-web-2']);
    await stop();
  });

  it('Parallel creates every pod at once and removes every extra pod at once', async () => {
    const { ctx, stop } = await setup(statefulSet(3, { podManagementPolicy: 'Parallel' }));
    await waitFor(() => names(ctx).length === 3, 'three pods before any is ready');
    await update(ctx, (spec) => (spec.replicas = 0));
    await waitFor(() => all(ctx).every((p) => p.metadata.deletionTimestamp) || all(ctx).length === 0, 'all deleted');
    await stop();
  });

  it('rolls a template change out from the highest ordinal down, one healthy pod at a time', async () => {
    const { ctx, stop } = await setup(statefulSet(3));
    await playOrdered(ctx, () => status(ctx).readyReplicas === 3);
    const first = String(status(ctx).currentRevision);
    await update(ctx, setImage('1.28'));
    await waitFor(() => revisions(ctx).length === 2, 'a second revision');
    const second = revisions(ctx).find((r) => r.metadata.name !== first)!;
    assert.equal((second as JsonObject).revision, 2);
    const log = await playOrdered(ctx, () => status(ctx).currentRevision === second.metadata.name);
    assert.deepEqual(log, ['-web-2', '+web-2', '-web-1', '+web-1', '-web-0', '+web-0']);
    for (const name of ['web-0', 'web-1', 'web-2']) assert.equal(image(pod(ctx, name)), 'nginx:1.28');
    assert.equal(status(ctx).updatedReplicas, 3);
    assert.equal(status(ctx).updateRevision, second.metadata.name);

    // Back to the first template: its revision moves to the top instead of a new one.
    await update(ctx, setImage('1.27'));
    await waitFor(() => status(ctx).updateRevision === first, 'the old revision as update revision');
    const again = ctx.store.get(CONTROLLER_REVISIONS, 'default', first)!;
    assert.equal((again as JsonObject).revision, 3);
    assert.equal(revisions(ctx).length, 2);
    await playOrdered(ctx, () => status(ctx).currentRevision === first);
    assert.equal(image(pod(ctx, 'web-0')), 'nginx:1.27');
    await stop();
  });

  it('leaves pods below the partition at the old revision', async () => {
    const { ctx, stop } = await setup(statefulSet(3));
    await playOrdered(ctx, () => status(ctx).readyReplicas === 3);
    await update(ctx, (spec) => {
      setImage('1.28')(spec);
      spec.updateStrategy = { type: 'RollingUpdate', rollingUpdate: { partition: 2 } };
    });
    await playOrdered(ctx, () => status(ctx).updatedReplicas === 1 && status(ctx).readyReplicas === 3);
    await turns(100);
    assert.deepEqual(
      ['web-0', 'web-1', 'web-2'].map((n) => image(pod(ctx, n))),
      ['nginx:1.27', 'nginx:1.27', 'nginx:1.28'],
    );
    assert.notEqual(status(ctx).currentRevision, status(ctx).updateRevision);
    await stop();
  });

  it('gives claims to the pod scaled away when whenScaled is Delete, and to the set when whenDeleted is', async () => {
    const { ctx, stop } = await setup(
      statefulSet(2, { persistentVolumeClaimRetentionPolicy: { whenDeleted: 'Delete', whenScaled: 'Delete' } }),
    );
    await playOrdered(ctx, () => status(ctx).readyReplicas === 2);
    const uid = set(ctx).metadata.uid;
    const owners = (name: string) => ctx.store.get(CLAIMS, 'default', name)?.metadata.ownerReferences ?? [];
    assert.deepEqual(
      owners('data-web-1').map((r) => [r.kind, r.uid]),
      [['StatefulSet', uid]],
    );
    const web1 = pod(ctx, 'web-1')!;
    await update(ctx, (spec) => (spec.replicas = 1));
    await waitFor(() => pod(ctx, 'web-1')?.metadata.deletionTimestamp !== undefined, 'web-1 deleted');
    assert.deepEqual(
      owners('data-web-1').map((r) => [r.kind, r.name, r.uid]),
      [['Pod', 'web-1', web1.metadata.uid]],
    );
    assert.deepEqual(
      owners('data-web-0').map((r) => r.kind),
      ['StatefulSet'],
    );
    await stop();
  });

  it('replaces a failed pod under the same name', async () => {
    const { ctx, stop } = await setup(statefulSet(1));
    await playOrdered(ctx, () => status(ctx).readyReplicas === 1);
    const before = pod(ctx, 'web-0')!;
    const failed = clone(before) as KubeObject;
    failed.status = { phase: 'Failed' };
    await ctx.store.update(PODS, failed, { statusOnly: true });
    await playOrdered(
      ctx,
      () => pod(ctx, 'web-0') !== undefined && pod(ctx, 'web-0')!.metadata.uid !== before.metadata.uid,
    );
    await ctx.events.flush();
    assert.ok(ctx.store.list(EVENTS, 'default').items.some((e) => e.reason === 'RecreatingFailedPod'));
    await stop();
  });

  it('adopts the pods and revision an orphaning delete left, without replacing a pod', async () => {
    const { ctx, stop } = await setup(statefulSet(2));
    await playOrdered(ctx, () => status(ctx).readyReplicas === 2);
    const uids = all(ctx).map((p) => p.metadata.uid);
    await ctx.store.delete(STATEFUL_SETS, 'default', 'web');
    // What the garbage collector does under --cascade=orphan: the owner references go.
    for (const resource of [PODS, CONTROLLER_REVISIONS])
      for (const o of ctx.store.list(resource, 'default').items) {
        const next = clone(o) as KubeObject;
        delete next.metadata.ownerReferences;
        await ctx.store.update(resource, next);
      }
    await writerFor(ctx, 'kubectl').create(STATEFUL_SETS, statefulSet(2));
    const uid = set(ctx).metadata.uid;
    await waitFor(
      () => status(ctx).readyReplicas === 2 && all(ctx).every((p) => p.metadata.ownerReferences?.[0]?.uid === uid),
      'the pods adopted',
    );
    await turns(100);
    assert.deepEqual(
      all(ctx).map((p) => p.metadata.uid),
      uids,
    );
    assert.equal(revisions(ctx).length, 1);
    assert.equal(revisions(ctx)[0]!.metadata.ownerReferences?.[0]?.uid, uid);
    assert.equal(status(ctx).updatedReplicas, 2);
    await stop();
  });
});
