/** Each metric type read from the metrics hub: its proposal, its status and its name in events. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MetricsHub, type RequestRates } from '../api/metrics/metrics-source';
import type { Stored } from '../store/object-store';
import { computeMetric, type MetricInput } from './hpa-metrics';

const NOW = Date.UTC(2025, 0, 1, 12);
const long = new Date(NOW - 600_000).toISOString();

function pod(name: string): Stored {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default' },
    spec: {
      containers: [
        { name: 'app', resources: { requests: { cpu: '100m', memory: '100Mi' } } },
        { name: 'side', resources: { requests: { cpu: '900m' } } },
      ],
    },
    status: {
      phase: 'Running',
      startTime: long,
      conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: long }],
    },
  };
}

function input(rates: Record<string, RequestRates> = {}): MetricInput {
  const hub = new MetricsHub();
  hub.addResourceSource({
    pods: () =>
      ['a', 'b'].map((name) => ({
        namespace: 'default',
        name,
        timestamp: NOW,
        windowMs: 15_000,
        containers: [
          { name: 'app', cpuNanoCores: 90e6, memoryBytes: 50 * 2 ** 20 },
          { name: 'side', cpuNanoCores: 10e6, memoryBytes: 0 },
        ],
      })),
    nodes: () => [],
  });
  hub.setRequestSource({ rates: (kind, _ns, name) => rates[`${kind}/${name}`] });
  return {
    hub,
    namespace: 'default',
    pods: [pod('a'), pod('b')],
    specReplicas: 2,
    statusReplicas: 2,
    options: { now: NOW },
  };
}

const rate = (inFlight: number, perSecond: number): RequestRates => ({
  inFlight,
  perSecond,
  timestamp: NOW,
  windowMs: 10_000,
});

describe('HPA metrics', () => {
  it('Resource: utilization of the whole pod against its requests', () => {
    const r = computeMetric(input(), {
      type: 'Resource',
      resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 50 } },
    });
    // (90m + 10m) of (100m + 900m): 10 %.
    assert.deepEqual(r, {
      ok: true,
      replicas: 1,
      name: 'cpu resource utilization (percentage of request)',
      status: {
        type: 'Resource',
        resource: { name: 'cpu', current: { averageUtilization: 10, averageValue: '100m' } },
      },
    });
  });

  it('ContainerResource: only the named container', () => {
    const r = computeMetric(input(), {
      type: 'ContainerResource',
      containerResource: { name: 'cpu', container: 'app', target: { type: 'Utilization', averageUtilization: 50 } },
    });
    assert.ok(r.ok);
    assert.equal(r.replicas, 4); // 90 % of 50 %: ceil(1.8 x 2)
    assert.equal(r.name, 'cpu container resource utilization (percentage of request)');
    assert.deepEqual(r.status, {
      type: 'ContainerResource',
      containerResource: { name: 'cpu', container: 'app', current: { averageUtilization: 90, averageValue: '90m' } },
    });
  });

  it('Resource with an average value target (memory)', () => {
    const r = computeMetric(input(), {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'AverageValue', averageValue: '25Mi' } },
    });
    assert.ok(r.ok);
    assert.equal(r.replicas, 4);
    assert.equal(r.name, 'memory resource');
  });

  it('Pods: requests in flight per pod from the proxies', () => {
    const r = computeMetric(input({ 'pods/a': rate(6, 1), 'pods/b': rate(2, 1) }), {
      type: 'Pods',
      pods: { metric: { name: 'http_requests_in_flight' }, target: { type: 'AverageValue', averageValue: '2' } },
    });
    assert.deepEqual(r, {
      ok: true,
      replicas: 4,
      name: 'pods metric http_requests_in_flight',
      status: { type: 'Pods', pods: { metric: { name: 'http_requests_in_flight' }, current: { averageValue: '4' } } },
    });
  });

  it('Object: requests per second of a Service, as a value and per pod', () => {
    const svc = { kind: 'Service', name: 'web', apiVersion: 'v1' };
    const value = computeMetric(input({ 'services/web': rate(0, 30) }), {
      type: 'Object',
      object: { describedObject: svc, metric: { name: 'requests_per_second' }, target: { type: 'Value', value: '10' } },
    });
    assert.ok(value.ok);
    assert.equal(value.replicas, 6);
    assert.equal(value.name, 'Service metric requests_per_second');
    const average = computeMetric(input({ 'services/web': rate(0, 30) }), {
      type: 'Object',
      object: {
        describedObject: svc,
        metric: { name: 'requests_per_second' },
        target: { type: 'AverageValue', averageValue: '5' },
      },
    });
    assert.ok(average.ok);
    assert.equal(average.replicas, 6);
    assert.deepEqual(average.status, {
      type: 'Object',
      object: { describedObject: svc, metric: { name: 'requests_per_second' }, current: { averageValue: '15' } },
    });
  });

  it('fails with Kubernetes reasons: a missing request, an unknown metric, External', () => {
    const noRequest = computeMetric(input(), {
      type: 'Resource',
      resource: { name: 'memory', target: { type: 'Utilization', averageUtilization: 50 } },
    });
    assert.deepEqual(noRequest, {
      ok: false,
      reason: 'FailedGetResourceMetric',
      message: 'failed to get memory utilization: missing request for memory in container side of Pod a',
      wrapped:
        'failed to get memory resource metric value: failed to get memory utilization: missing request for memory in container side of Pod a',
    });
    const unknown = computeMetric(input(), {
      type: 'Pods',
      pods: { metric: { name: 'queue_length' }, target: { type: 'AverageValue', averageValue: '2' } },
    });
    assert.equal(unknown.ok, false);
    assert.equal(!unknown.ok && unknown.reason, 'FailedGetPodsMetric');
    const external = computeMetric(input(), { type: 'External', external: {} });
    assert.equal(!external.ok && external.reason, 'FailedGetExternalMetric');
  });
});
