import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { PODS, REPLICA_SETS } from '../machinery/informer-factory';
import { driveUntil, replicaSet, testContext, turns, waitFor, type TestContext } from '../machinery/test-support';
import type { KubeObject } from '../store/object';
import { DELETION_TIMEOUT_MS } from './disruption-budget';
import { DisruptionController, PDBS } from './disruption-controller';
import { ReplicaSetController } from './replica-set-controller';

interface PdbStatus {
  expectedPods?: number;
  desiredHealthy?: number;
  currentHealthy?: number;
  disruptionsAllowed?: number;
  observedGeneration?: number;
  disruptedPods?: Record<string, string>;
  conditions?: { type: string; status: string; reason: string; message: string }[];
}

function pdb(name: string, spec: Record<string, unknown>, app = 'web'): KubeObject {
  return {
    apiVersion: 'policy/v1',
    kind: 'PodDisruptionBudget',
    metadata: { name, namespace: 'default' },
    spec: { selector: { matchLabels: { app } }, ...spec },
  };
}

async function setup(replicas = 3) {
  const ctx = await testContext();
  const controllers = [new DisruptionController(ctx), new ReplicaSetController(ctx)];
  await ctx.informers.start();
  const runs = controllers.map((c) => c.run());
  await ctx.store.create(REPLICA_SETS, replicaSet('web', replicas));
  const ready = () =>
    ctx.store
      .list(PODS, 'default')
      .items.filter((p) => (p.status as { phase?: string } | undefined)?.phase === 'Running').length === replicas;
  await driveUntil(ctx, ready, 'pods running');
  await turns();
  return { ctx, stop: () => Promise.all(runs.map((r) => r.stop())) };
}

const status = (ctx: TestContext, name: string) => (ctx.store.get(PDBS, 'default', name)?.status ?? {}) as PdbStatus;

describe('DisruptionController', () => {
  it('counts healthy pods against an integer minAvailable', async () => {
    const { ctx, stop } = await setup();
    try {
      await ctx.store.create(PDBS, pdb('two', { minAvailable: 2 }));
      await waitFor(() => status(ctx, 'two').currentHealthy === 3, 'status written');
      const s = status(ctx, 'two');
      assert.deepEqual([s.expectedPods, s.desiredHealthy, s.currentHealthy, s.disruptionsAllowed], [3, 2, 3, 1]);
      assert.deepEqual(
        s.conditions?.map((c) => [c.type, c.status, c.reason]),
        [['DisruptionAllowed', 'True', 'SufficientPods']],
      );
      await ctx.store.create(PDBS, pdb('three', { minAvailable: 3 }));
      await waitFor(() => status(ctx, 'three').currentHealthy === 3, 'status written');
      assert.equal(status(ctx, 'three').disruptionsAllowed, 0);
      assert.equal(status(ctx, 'three').conditions?.[0]?.reason, 'InsufficientPods');
    } finally {
      await stop();
    }
  });

  it('scales percentages and maxUnavailable from the controller, rounding up', async () => {
    const { ctx, stop } = await setup();
    try {
      await ctx.store.create(PDBS, pdb('half', { maxUnavailable: '50%' }));
      await ctx.store.create(PDBS, pdb('most', { minAvailable: '60%' }));
      await waitFor(
        () => status(ctx, 'half').currentHealthy === 3 && status(ctx, 'most').currentHealthy === 3,
        'statuses',
      );
      // 50% of 3 rounds up to 2 unavailable: 1 must stay healthy, 2 may go.
      assert.deepEqual([status(ctx, 'half').desiredHealthy, status(ctx, 'half').disruptionsAllowed], [1, 2]);
      // 60% of 3 rounds up to 2.
      assert.deepEqual([status(ctx, 'most').desiredHealthy, status(ctx, 'most').disruptionsAllowed], [2, 1]);
      // The expected count follows the ReplicaSet's scale, not the pods that exist.
      const rs = structuredClone(ctx.store.get(REPLICA_SETS, 'default', 'web')!) as KubeObject;
      (rs.spec as { replicas: number }).replicas = 5;
      await ctx.store.update(REPLICA_SETS, rs);
      await waitFor(() => status(ctx, 'half').expectedPods === 5, 'expected pods follow the scale');
    } finally {
      await stop();
    }
  });

  it('keeps an evicted pod out of the healthy count until it is deleting or the eviction times out', async () => {
    const { ctx, stop } = await setup();
    try {
      await ctx.store.create(PDBS, pdb('two', { minAvailable: 2 }));
      await waitFor(() => status(ctx, 'two').currentHealthy === 3, 'status written');
      const pod = ctx.store.list(PODS, 'default').items[0]!;
      const evicted = structuredClone(ctx.store.get(PDBS, 'default', 'two')!) as KubeObject;
      const at = new Date(ctx.clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      evicted.status = {
        ...(evicted.status as object),
        disruptionsAllowed: 0,
        disruptedPods: { [pod.metadata.name!]: at },
      };
      await ctx.store.update(PDBS, evicted, { statusOnly: true });
      await waitFor(() => status(ctx, 'two').currentHealthy === 2, 'evicted pod not counted');
      assert.deepEqual([status(ctx, 'two').currentHealthy, status(ctx, 'two').disruptionsAllowed], [2, 0]);
      ctx.clock.advance(DELETION_TIMEOUT_MS + 1000);
      await waitFor(() => status(ctx, 'two').disruptedPods === undefined, 'eviction forgotten');
      assert.deepEqual([status(ctx, 'two').currentHealthy, status(ctx, 'two').disruptionsAllowed], [3, 1]);
    } finally {
      await stop();
    }
  });

  it('fails safe when a selected pod has no controller to scale a percentage by', async () => {
    const { ctx, stop } = await setup(1);
    try {
      await new AdmittedWriter(ctx.api, 'kubectl').create(PODS, {
        apiVersion: 'v1',
        kind: 'Pod',
        metadata: { name: 'bare', namespace: 'default', labels: { app: 'bare' } },
        spec: { containers: [{ name: 'app', image: 'nginx:1.27' }] },
      });
      await ctx.store.create(PDBS, pdb('pct', { minAvailable: '50%' }, 'bare'));
      await waitFor(() => status(ctx, 'pct').conditions?.[0]?.reason === 'SyncFailed', 'fail-safe status');
      const condition = status(ctx, 'pct').conditions?.[0];
      assert.equal(status(ctx, 'pct').disruptionsAllowed, 0);
      assert.deepEqual([condition?.status, condition?.reason], ['False', 'SyncFailed']);
      assert.match(condition?.message ?? '', /found no controller ref for pod "bare"/);
    } finally {
      await stop();
    }
  });
});
