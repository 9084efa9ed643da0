import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { KubeObject } from '../kube/kube-object';
import type { Snapshot } from '../kube/resource-cache';
import { WorkloadHistory } from './workload-history';
import { markerEvents, metricSum, podsOf, sampleOf, templateResources, usageByPod } from './workload-sample';

const deployment = (replicas: number, revision: string, ready = replicas): KubeObject => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', namespace: 'default', annotations: { 'deployment.kubernetes.io/revision': revision } },
  spec: {
    replicas,
    selector: { matchLabels: { app: 'web' } },
    template: {
      spec: {
        containers: [
          { name: 'web', resources: { requests: { cpu: '200m', memory: '64Mi' }, limits: { cpu: '1' } } },
          { name: 'side', resources: { requests: { cpu: '50m' } } },
        ],
      },
    },
  },
  status: { readyReplicas: ready },
});
const pod = (name: string, restarts = 0, labels = { app: 'web' }, namespace = 'default'): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace, labels },
  status: { containerStatuses: [{ name: 'web', restartCount: restarts }] },
});
const snapOf = (objects: KubeObject[]): Snapshot => ({ objects: (k) => objects.filter((o) => o.kind === k) });
const MiB = 2 ** 20;

describe('workload samples', () => {
  it('takes the pods its selector picks in its namespace and sums the template per pod', () => {
    const pods = [pod('web-1'), pod('db-1', 0, { app: 'db' }), pod('web-x', 0, { app: 'web' }, 'other')];
    assert.deepEqual(
      podsOf(deployment(1, '1'), pods).map((p) => p.metadata?.name),
      ['web-1'],
    );
    assert.deepEqual(templateResources(deployment(1, '1')), {
      cpuRequest: 250,
      cpuLimit: 1000,
      memoryRequest: 64 * MiB,
      memoryLimit: null,
    });
  });

  it('reads PodMetrics (nanocores, Ki) and custom metric lists (milli-quantities)', () => {
    const usage = usageByPod({
      items: [
        {
          metadata: { name: 'web-1' },
          containers: [
            { name: 'web', usage: { cpu: '150000000n', memory: '10240Ki' } },
            { name: 'side', usage: { cpu: '5m', memory: '1Mi' } },
          ],
        },
      ],
    });
    assert.deepEqual(usage.get('web-1'), { cpu: 155, memory: 11 * MiB });
    assert.equal(metricSum({ items: [{ value: '1500m' }, { value: '2' }] }), 3.5);
    assert.equal(metricSum({ items: [] }), null);
  });

  it('marks a rescale, a rollout and restarts where the samples change, and keeps one hour', () => {
    const history = new WorkloadHistory('Deployment default/web');
    const usage = new Map([['web-1', { cpu: 100, memory: 20 * MiB }]]);
    const none = { inFlight: null, perSecond: null };
    history.record(sampleOf(1000, deployment(1, '1'), snapOf([pod('web-1')]), usage, none));
    history.record(
      sampleOf(1005, deployment(3, '1', 1), snapOf([pod('web-1', 2)]), usage, { inFlight: 4, perSecond: 2.5 }),
      'New size: 3; reason: cpu resource utilization (percentage of request) above target',
    );
    history.record(sampleOf(1010, deployment(3, '2'), snapOf([pod('web-1', 2)]), new Map(), none));
    const data = history.data();
    assert.deepEqual(data.t, [1000, 1005, 1010]);
    assert.deepEqual(data.desired, [1, 3, 3]);
    assert.deepEqual(data.ready, [1, 1, 3]);
    assert.deepEqual(data.cpuAvg, [100, 100, null]);
    assert.deepEqual(data.cpuRequest, [250, 250, 250]);
    assert.deepEqual(data.memoryAvg, [20, 20, null]);
    assert.deepEqual(data.inFlight, [null, 4, null]);
    assert.deepEqual(
      data.markers.map((m) => `${m.t} ${m.kind}: ${m.text}`),
      [
        '1005 rescale: 1 → 3 replicas: New size: 3; reason: cpu resource utilization (percentage of request) above target',
        '1005 restart: 2 container restarts',
        '1010 rollout: rollout to revision 2',
      ],
    );
    history.record(sampleOf(1010 + 3600, deployment(3, '2'), snapOf([]), new Map(), none));
    assert.deepEqual(history.data().t, [1010, 4610]);
    assert.deepEqual(
      history.data().markers.map((m) => m.kind),
      ['rollout'],
    );
  });

  it('turns an autoscaler’s rescale events and evictions of the workload’s pods into markers, once each', () => {
    const events: KubeObject[] = [
      {
        kind: 'Event',
        metadata: { uid: 'e1', namespace: 'default' },
        reason: 'SuccessfulRescale',
        message: 'New size: 2; reason: All metrics below target',
        involvedObject: { kind: 'HorizontalPodAutoscaler', name: 'web' },
        lastTimestamp: '2026-12-04T08:00:10Z',
      },
      {
        kind: 'Event',
        metadata: { uid: 'e2', namespace: 'default' },
        reason: 'TaintManagerEviction',
        message: 'Marking for deletion Pod default/web-1',
        involvedObject: { kind: 'Pod', name: 'web-1' },
        lastTimestamp: '2026-12-04T08:00:20Z',
      },
      {
        kind: 'Event',
        metadata: { uid: 'e3', namespace: 'default' },
        reason: 'TaintManagerEviction',
        involvedObject: { kind: 'Pod', name: 'someone-else' },
        lastTimestamp: '2026-12-04T08:00:20Z',
      },
    ];
    const found = markerEvents(events, deployment(2, '1'), ['web'], new Set(['web-1']));
    assert.deepEqual(
      found.map((e) => `${e.kind}: ${e.text}`),
      [
        'rescale: New size: 2; reason: All metrics below target',
        'eviction: web-1: Marking for deletion Pod default/web-1',
      ],
    );
    const history = new WorkloadHistory('x');
    history.events(found);
    history.events(found);
    assert.equal(history.data().markers.length, 2);
  });
});

describe('a rescale told by its event before the samples show it', () => {
  it('is one marker at the event, with the change in front of the reason', () => {
    const history = new WorkloadHistory('Deployment default/web');
    const none = { inFlight: null, perSecond: null };
    history.record(sampleOf(1000, deployment(1, '1'), snapOf([]), new Map(), none));
    history.events([{ uid: 'e', count: 1, t: 1002, kind: 'rescale', text: 'New size: 4; reason: cpu above target' }]);
    history.record(
      sampleOf(1004, deployment(4, '1', 1), snapOf([]), new Map(), none),
      'New size: 4; reason: cpu above target',
    );
    assert.deepEqual(
      history.data().markers.map((m) => `${m.t} ${m.text}`),
      ['1002 1 → 4 replicas: New size: 4; reason: cpu above target'],
    );
  });
});
