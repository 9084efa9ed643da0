import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../kube/kube-object';
import { autoscalersOf, hpaSummary, hpaTargets } from './hpa-summary';

const hpa = (spec: Record<string, unknown>, status: Record<string, unknown> = {}): KubeObject => ({
  apiVersion: 'autoscaling/v2',
  kind: 'HorizontalPodAutoscaler',
  metadata: { name: 'web', namespace: 'default' },
  spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, ...spec },
  status,
});
const cpu = { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } } };
const inFlight = {
  type: 'Pods',
  pods: { metric: { name: 'http_requests_in_flight' }, target: { type: 'AverageValue', averageValue: '10' } },
};

describe('hpaSummary', () => {
  it('reads as the tree shows it: replicas, range and each target as kubectl get hpa prints it', () => {
    const h = hpa(
      { minReplicas: 1, maxReplicas: 10, metrics: [cpu, inFlight] },
      {
        currentReplicas: 3,
        currentMetrics: [
          { type: 'Resource', resource: { name: 'cpu', current: { averageUtilization: 85, averageValue: '170m' } } },
          { type: 'Pods', pods: { metric: { name: 'http_requests_in_flight' }, current: { averageValue: '12' } } },
        ],
      },
    );
    assert.deepEqual(hpaSummary(h), {
      text: '3 replicas (1–10), cpu 85%/50%, http_requests_in_flight 12/10',
      health: 'ok',
    });
  });

  it('says <unknown> before the first metrics and names a failing condition', () => {
    const h = hpa(
      { maxReplicas: 4, metrics: [cpu] },
      {
        currentReplicas: 1,
        conditions: [{ type: 'ScalingActive', status: 'False', reason: 'FailedGetResourceMetric' }],
      },
    );
    assert.equal(hpaTargets(h), 'cpu <unknown>/50%');
    assert.deepEqual(hpaSummary(h), {
      text: '1 replica (1–4), cpu <unknown>/50%, FailedGetResourceMetric',
      health: 'warning',
    });
  });

  it('finds the autoscalers of a workload by scaleTargetRef kind, name and namespace', () => {
    const web = { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name: 'web', namespace: 'default' } };
    const other = { ...hpa({}), metadata: { name: 'x', namespace: 'other' } };
    const sts = hpa({ scaleTargetRef: { kind: 'StatefulSet', name: 'web' } });
    assert.deepEqual(
      autoscalersOf(web, [hpa({}), other, sts]).map((h) => h.metadata?.name),
      ['web'],
    );
  });
});
