import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { MetricsHub, type PodUsage } from '../api/metrics/metrics-source';
import { EVENTS } from '../machinery/informer-factory';
import { testContext, waitFor, type TestContext } from '../machinery/test-support';
import type { KubeObject } from '../store/object';
import { HorizontalPodAutoscalerController, HPAS } from './horizontal-pod-autoscaler-controller';

const DEPLOYMENTS = 'apps/deployments';
const labels = { app: 'web' };

function deployment(replicas: number): KubeObject {
  return {
    apiVersion: 'apps/v1',
    kind: 'Deployment',
    metadata: { name: 'web', namespace: 'default' },
    spec: {
      replicas,
      selector: { matchLabels: labels },
      template: {
        metadata: { labels },
        spec: { containers: [{ name: 'app', image: 'web:1', resources: { requests: { cpu: '100m' } } }] },
      },
    },
  };
}

async function runningPod(ctx: TestContext, name: string): Promise<void> {
  const long = new Date(ctx.clock.now() - 600_000).toISOString();
  await ctx.store.create('/pods', {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels },
    spec: { containers: [{ name: 'app', image: 'web:1', resources: { requests: { cpu: '100m' } } }] },
    status: {
      phase: 'Running',
      startTime: long,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: long }],
    },
  });
}

const hpa = (behavior?: unknown): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: {
    scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' },
    minReplicas: 1,
    maxReplicas: 4,
    metrics: [{ type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } }],
    ...(behavior ? { behavior } : {}),
  },
});

async function waitForEvent(ctx: TestContext, text: string): Promise<void> {
  await waitFor(() => events(ctx).includes(text), `the event ${text}`);
  await ctx.events.flush();
}

function events(ctx: TestContext): string[] {
  return ctx.store.list(EVENTS, 'default').items.map((e) => `${String(e.reason)}: ${String(e.message)}`);
}

describe('HorizontalPodAutoscalerController', () => {
  it('scales the target up and down with its pods CPU, each sync period, with status and events', async () => {
    const ctx = await testContext();
    const hub = new MetricsHub();
    let millicores = 85;
    const pods = ['web-a', 'web-b', 'web-c', 'web-d'];
    hub.addResourceSource({
      pods: (): PodUsage[] =>
        pods.map((name) => ({
          namespace: 'default',
          name,
          timestamp: ctx.clock.now(),
          windowMs: 15_000,
          containers: [{ name: 'app', cpuNanoCores: millicores * 1e6, memoryBytes: 1 << 20 }],
        })),
      nodes: () => [],
    });
    const writer = new AdmittedWriter(ctx.api, 'kubectl');
    await writer.create(DEPLOYMENTS, deployment(1));
    await runningPod(ctx, 'web-a');
    const controller = new HorizontalPodAutoscalerController(ctx, { metrics: hub });
    await ctx.informers.start();
    const run = controller.run();
    const replicas = () => (ctx.store.get(DEPLOYMENTS, 'default', 'web')?.spec as { replicas: number }).replicas;
    try {
      await writer.create(HPAS, hpa({ scaleDown: { stabilizationWindowSeconds: 0 } }));
      await waitFor(() => replicas() === 2, 'a scale-up to 2');
      await waitForEvent(
        ctx,
        'SuccessfulRescale: New size: 2; reason: cpu resource utilization (percentage of request) above target',
      );
      await waitFor(
        () => (ctx.store.get(HPAS, 'default', 'web')?.status as { desiredReplicas?: number })?.desiredReplicas === 2,
        'the status',
      );
      const status = ctx.store.get(HPAS, 'default', 'web')?.status as Record<string, unknown>;
      assert.equal(status.currentReplicas, 1);
      assert.deepEqual(status.currentMetrics, [
        { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85, averageValue: '85m' } } },
      ]);
      assert.equal(typeof status.lastScaleTime, 'string');
      // Nothing more happens before the next sync period.
      await runningPod(ctx, 'web-b');
      ctx.clock.advance(14_000);
      assert.equal(replicas(), 2);
      ctx.clock.advance(1000);
      await waitFor(() => replicas() === 4, 'a scale-up to 4 at the next sync');
      await runningPod(ctx, 'web-c');
      await runningPod(ctx, 'web-d');
      millicores = 10;
      ctx.clock.advance(15_000);
      // 4 x 10 % of 50 %: one pod is enough; the default policy allows dropping 100 % per 15 s.
      await waitFor(() => replicas() === 1, 'a scale-down to 1');
      await waitForEvent(ctx, 'SuccessfulRescale: New size: 1; reason: All metrics below target');
    } finally {
      await run.stop();
    }
  });

  it('reports missing metrics as Kubernetes does', async () => {
    const ctx = await testContext();
    const writer = new AdmittedWriter(ctx.api, 'kubectl');
    await writer.create(DEPLOYMENTS, deployment(1));
    await runningPod(ctx, 'web-a');
    const controller = new HorizontalPodAutoscalerController(ctx, { metrics: new MetricsHub() });
    await ctx.informers.start();
    const run = controller.run();
    try {
      await writer.create(HPAS, hpa());
      const conditions = () =>
        (ctx.store.get(HPAS, 'default', 'web')?.status as { conditions?: { type: string; reason: string }[] })
          ?.conditions;
      await waitFor(
        () => conditions()?.some((c) => c.type === 'ScalingActive') === true,
        'the ScalingActive condition',
      );
      assert.equal(conditions()?.find((c) => c.type === 'ScalingActive')?.reason, 'FailedGetResourceMetric');
      await waitForEvent(
        ctx,
        'FailedGetResourceMetric: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
      );
      await waitForEvent(
        ctx,
        'FailedComputeMetricsReplicas: invalid metrics (1 invalid out of 1), first error is: failed to get cpu resource metric value: failed to get cpu utilization: unable to get metrics for resource cpu: no metrics returned from resource metrics API',
      );
    } finally {
      await run.stop();
    }
  });

  it('says when the target does not exist', async () => {
    const ctx = await testContext();
    const controller = new HorizontalPodAutoscalerController(ctx, { metrics: new MetricsHub() });
    await ctx.informers.start();
    const run = controller.run();
    try {
      await new AdmittedWriter(ctx.api, 'kubectl').create(HPAS, hpa());
      await waitForEvent(ctx, 'FailedGetScale: deployments.apps "web" not found');
      assert.equal(events(ctx).length, 1);
    } finally {
      await run.stop();
    }
  });
});
