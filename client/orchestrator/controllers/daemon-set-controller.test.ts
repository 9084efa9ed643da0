import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { rfc3339 } from '../clock';
import { NODES, PODS } from '../machinery/informer-factory';
import { clone, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { writerFor } from '../machinery/controller-context';
import { CONTROLLER_REVISIONS, DAEMON_SETS, REVISION_LABEL } from './controller-history';
import { DaemonSetController } from './daemon-set-controller';
import { targetNode } from './daemon-set-pods';
import { testContext, turns, waitFor, type TestContext } from '../machinery/test-support';

function daemonSet(spec: JsonObject = {}, podSpec: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'DaemonSet',
    metadata: { name: 'agent', namespace: 'default' },
    spec: {
      selector: { matchLabels: { app: 'agent' } },
      template: {
        metadata: { labels: { app: 'agent' } },
        spec: { containers: [{ name: 'agent', image: 'agent:1' }], ...podSpec },
      },
      ...spec,
    },
  };
}

function node(name: string, labels: Record<string, string> = {}, spec: JsonObject = {}): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name, labels: { 'kubernetes.io/hostname': name, ...labels } },
    spec,
    status: { conditions: [{ type: 'Ready', status: 'True' }] },
  };
}

async function setup(ds: KubeObject, nodes: KubeObject[]) {
  const ctx = await testContext();
  for (const n of nodes) await ctx.store.create(NODES, n);
  const controller = new DaemonSetController(ctx);
  await ctx.informers.start();
  const running = controller.run(2);
  await writerFor(ctx, 'kubectl').create(DAEMON_SETS, ds);
  return { ctx, stop: () => running.stop() };
}

const THREE = [node('n1', { disk: 'ssd' }), node('n2'), node('n3')];

const live = (ctx: TestContext) => ctx.store.list(PODS, 'default').items.filter((p) => !p.metadata.deletionTimestamp);
const nodesOf = (ctx: TestContext) => live(ctx).map(targetNode).sort();
const ds = (ctx: TestContext) => ctx.store.get(DAEMON_SETS, 'default', 'agent')!;
const status = (ctx: TestContext) => (ds(ctx).status ?? {}) as JsonObject;
const image = (p: Stored) => ((p.spec as JsonObject).containers as JsonObject[])[0]!.image;

/** The scheduler's and kubelet's part: bind each pending pod to its node, Running and Ready; finish deletions. */
async function kubelet(ctx: TestContext, log: string[] = []): Promise<void> {
  for (const p of ctx.store.list(PODS, 'default').items) {
    if (p.metadata.deletionTimestamp) {
      log.push(`-${targetNode(p)}:${String(image(p))}`);
      await ctx.store.delete(PODS, 'default', p.metadata.name ?? '', { gracePeriodSeconds: 0 });
      continue;
    }
    if ((p.status as JsonObject | undefined)?.phase === 'Running') continue;
    log.push(`+${targetNode(p)}:${String(image(p))}`);
    const bound = clone(p) as KubeObject;
    (bound.spec as JsonObject).nodeName = targetNode(p);
    const stored = await ctx.store.update(PODS, bound);
    const ready = clone(stored) as KubeObject;
    ready.status = {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: rfc3339(ctx.clock.now()) }],
    };
    await ctx.store.update(PODS, ready, { statusOnly: true });
  }
}

async function playUntil(ctx: TestContext, until: () => boolean, log: string[] = []): Promise<string[]> {
  for (let round = 0; round < 200 && !until(); round++) {
    await turns(20);
    await kubelet(ctx, log);
  }
  assert.ok(until(), `not reached; seen ${log.join(' ')}`);
  return log;
}

async function update(ctx: TestContext, change: (spec: JsonObject) => void): Promise<void> {
  const next = clone(ds(ctx)) as KubeObject;
  change(next.spec as JsonObject);
  await writerFor(ctx, 'kubectl').update(DAEMON_SETS, next);
}

const setImage = (tag: string) => (spec: JsonObject) => {
  ((spec.template as JsonObject).spec as JsonObject).containers = [{ name: 'agent', image: `agent:${tag}` }];
};

const done = (ctx: TestContext, n: number) => {
  const s = status(ctx);
  return (
    s.observedGeneration === ds(ctx).metadata.generation &&
    s.desiredNumberScheduled === n &&
    s.updatedNumberScheduled === n &&
    s.numberAvailable === n &&
    live(ctx).length === n
  );
};

describe('DaemonSetController', () => {
  it('runs one pod per node, pinned to it by node affinity, with the daemon tolerations', async () => {
    const { ctx, stop } = await setup(daemonSet(), THREE);
    const spec = ds(ctx).spec as JsonObject;
    assert.deepEqual(spec.updateStrategy, { type: 'RollingUpdate', rollingUpdate: { maxUnavailable: 1, maxSurge: 0 } });
    assert.equal(spec.revisionHistoryLimit, 10);
    await waitFor(() => live(ctx).length === 3, 'three pods');
    await turns(50);
    assert.deepEqual(nodesOf(ctx), ['n1', 'n2', 'n3']);
    const [revision] = ctx.store.list(CONTROLLER_REVISIONS, 'default').items;
    const pod = live(ctx).find((p) => targetNode(p) === 'n2')!;
    assert.equal(pod.metadata.labels?.[REVISION_LABEL], revision!.metadata.labels?.[REVISION_LABEL]);
    assert.equal(revision!.metadata.name, `agent-${pod.metadata.labels?.[REVISION_LABEL] ?? ''}`);
    const podSpec = pod.spec as JsonObject;
    assert.deepEqual(podSpec.affinity, {
      nodeAffinity: {
        requiredDuringSchedulingIgnoredDuringExecution: {
          nodeSelectorTerms: [{ matchFields: [{ key: 'metadata.name', operator: 'In', values: ['n2'] }] }],
        },
      },
    });
    const keys = (podSpec.tolerations as JsonObject[]).map((t) => `${String(t.key)}:${String(t.effect)}`);
    assert.deepEqual(keys, [
      'node.kubernetes.io/not-ready:NoExecute',
      'node.kubernetes.io/unreachable:NoExecute',
      'node.kubernetes.io/disk-pressure:NoSchedule',
      'node.kubernetes.io/memory-pressure:NoSchedule',
      'node.kubernetes.io/pid-pressure:NoSchedule',
      'node.kubernetes.io/unschedulable:NoSchedule',
    ]);
    await waitFor(() => status(ctx).currentNumberScheduled === 3, 'status');
    assert.equal(status(ctx).numberReady, 0);
    await playUntil(ctx, () => done(ctx, 3));
    assert.deepEqual(status(ctx), {
      currentNumberScheduled: 3,
      numberMisscheduled: 0,
      desiredNumberScheduled: 3,
      numberReady: 3,
      observedGeneration: 1,
      updatedNumberScheduled: 3,
      numberAvailable: 3,
    });
    await stop();
  });

  it('follows the nodeSelector as node labels change', async () => {
    const { ctx, stop } = await setup(daemonSet({}, { nodeSelector: { disk: 'ssd' } }), THREE);
    await playUntil(ctx, () => done(ctx, 1));
    assert.deepEqual(nodesOf(ctx), ['n1']);
    const n3 = clone(ctx.store.get(NODES, '', 'n3')!) as KubeObject;
    n3.metadata.labels = { ...n3.metadata.labels, disk: 'ssd' };
    await ctx.store.update(NODES, n3);
    const n1 = clone(ctx.store.get(NODES, '', 'n1')!) as KubeObject;
    n1.metadata.labels = { 'kubernetes.io/hostname': 'n1' };
    await ctx.store.update(NODES, n1);
    await playUntil(ctx, () => nodesOf(ctx).join() === 'n3' && done(ctx, 1));
    await stop();
  });

  it('skips nodes whose taints it does not tolerate, but runs on cordoned ones', async () => {
    const tainted = node('n2', {}, { taints: [{ key: 'dedicated', value: 'db', effect: 'NoSchedule' }] });
    const cordoned = node('n3', {}, { unschedulable: true });
    const { ctx, stop } = await setup(daemonSet(), [node('n1'), tainted, cordoned]);
    await playUntil(ctx, () => done(ctx, 2));
    assert.deepEqual(nodesOf(ctx), ['n1', 'n3']);
    await update(ctx, (spec) => {
      ((spec.template as JsonObject).spec as JsonObject).tolerations = [
        { key: 'dedicated', operator: 'Equal', value: 'db', effect: 'NoSchedule' },
      ];
    });
    await playUntil(ctx, () => done(ctx, 3));
    assert.deepEqual(nodesOf(ctx), ['n1', 'n2', 'n3']);
    await stop();
  });

  it('rolls a new template out one node at a time (maxUnavailable 1)', async () => {
    const { ctx, stop } = await setup(daemonSet(), THREE);
    await playUntil(ctx, () => done(ctx, 3));
    await update(ctx, setImage('2'));
    const log = await playUntil(ctx, () => done(ctx, 3) && live(ctx).every((p) => image(p) === 'agent:2'));
    assert.deepEqual(log, ['-n1:agent:1', '+n1:agent:2', '-n2:agent:1', '+n2:agent:2', '-n3:agent:1', '+n3:agent:2']);
    assert.equal(ctx.store.list(CONTROLLER_REVISIONS, 'default').items.length, 2);
    await stop();
  });

  it('with maxSurge starts the new pod on a node before removing the old one', async () => {
    const { ctx, stop } = await setup(
      daemonSet({ updateStrategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: 1, maxUnavailable: 0 } } }),
      [node('n1'), node('n2')],
    );
    await playUntil(ctx, () => done(ctx, 2));
    await update(ctx, setImage('2'));
    const log = await playUntil(ctx, () => done(ctx, 2) && live(ctx).every((p) => image(p) === 'agent:2'));
    assert.deepEqual([...log].sort(), ['+n1:agent:2', '+n2:agent:2', '-n1:agent:1', '-n2:agent:1']);
    // On each node the new pod runs before the old one goes; n2's waits for n1's to be available.
    for (const n of ['n1', 'n2']) assert.ok(log.indexOf(`+${n}:agent:2`) < log.indexOf(`-${n}:agent:1`), log.join(' '));
    assert.equal(log[0], '+n1:agent:2');
    await stop();
  });

  it('deletes the pod of a node that is gone and replaces a failed pod', async () => {
    const { ctx, stop } = await setup(daemonSet(), [node('n1'), node('n2')]);
    await playUntil(ctx, () => done(ctx, 2));
    await ctx.store.delete(NODES, '', 'n2');
    await playUntil(ctx, () => done(ctx, 1) && nodesOf(ctx).join() === 'n1');
    const before = live(ctx)[0]!;
    const failed = clone(before) as KubeObject;
    failed.status = { phase: 'Failed' };
    await ctx.store.update(PODS, failed, { statusOnly: true });
    await playUntil(ctx, () => done(ctx, 1) && live(ctx)[0]?.metadata.uid !== before.metadata.uid);
    await stop();
  });
});
