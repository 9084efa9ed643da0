/**
 * The replica calculator against cases worked from Kubernetes' documented
 * algorithm (the HPA walkthrough and the replica calculator's rules): each
 * row gives pods, samples, requests and target, and the replicas Kubernetes
 * arrives at.
 */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Stored } from '../store/object-store';
import {
  averageValueReplicas,
  NO_METRICS_FOR_PODS,
  NO_PODS,
  objectAverageValueReplicas,
  objectValueReplicas,
  resourceUtilizationReplicas,
  type PodSamples,
} from './hpa-replica-calculator';

const NOW = Date.UTC(2025, 0, 1, 12);
const iso = (ms: number) => new Date(ms).toISOString();

interface PodCase {
  phase?: string;
  ready?: 'True' | 'False' | 'none';
  /** ms before NOW the pod started (default 10 min: past the CPU initialization period). */
  startedAgo?: number;
  /** ms before NOW readiness last changed (default: when it started). */
  transitionAgo?: number;
  deleting?: boolean;
}

function pods(cases: PodCase[]): Stored[] {
  return cases.map((c, i) => {
    const started = NOW - (c.startedAgo ?? 600_000);
    const transition = NOW - (c.transitionAgo ?? c.startedAgo ?? 600_000);
    return {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: `p${i}`, namespace: 'default', ...(c.deleting ? { deletionTimestamp: iso(NOW) } : {}) },
      status: {
        phase: c.phase ?? 'Running',
        startTime: iso(started),
        conditions:
          c.ready === 'none' ? [] : [{ type: 'Ready', status: c.ready ?? 'True', lastTransitionTime: iso(transition) }],
      },
    };
  });
}

/** Samples for p0..pN (undefined: no sample for that pod), taken at NOW over 15 s. */
function samples(values: (number | undefined)[]): PodSamples {
  const out: PodSamples = new Map();
  values.forEach((v, i) => {
    if (v !== undefined) out.set(`p${i}`, { value: v, timestamp: NOW, windowMs: 15_000 });
  });
  return out;
}

function requests(n: number, each = 1000): Map<string, number> {
  return new Map(Array.from({ length: n }, (_, i) => [`p${i}`, each]));
}

const o = { now: NOW };

describe('resource utilization replicas', () => {
  const table: {
    name: string;
    current: number;
    target: number;
    pods: PodCase[];
    usage: (number | undefined)[];
    replicas: number;
    utilization: number;
  }[] = [
    {
      name: 'scales up',
      current: 3,
      target: 30,
      pods: [{}, {}, {}],
      usage: [300, 500, 700],
      replicas: 5,
      utilization: 50,
    },
    {
      name: 'scales down',
      current: 5,
      target: 50,
      pods: [{}, {}, {}, {}, {}],
      usage: [100, 300, 500, 250, 250],
      replicas: 3,
      utilization: 28,
    },
    {
      name: 'keeps the count within the 10 % tolerance',
      current: 3,
      target: 100,
      pods: [{}, {}, {}],
      usage: [1010, 1030, 1020],
      replicas: 3,
      utilization: 102,
    },
    {
      name: 'counts an unready pod as 0 % when scaling up',
      current: 3,
      target: 30,
      pods: [{ ready: 'False', startedAgo: 60_000 }, {}, {}],
      usage: [300, 500, 700],
      replicas: 4,
      utilization: 60,
    },
    {
      name: 'ignores unready pods when scaling down',
      current: 3,
      target: 50,
      pods: [{ ready: 'False', startedAgo: 60_000 }, {}, {}],
      usage: [900, 100, 100],
      replicas: 1,
      utilization: 10,
    },
    {
      name: 'counts a pending pod as unready',
      current: 3,
      target: 30,
      pods: [{ phase: 'Pending' }, {}, {}],
      usage: [undefined, 500, 700],
      replicas: 4,
      utilization: 60,
    },
    {
      name: 'treats a pod without a sample as using 100 % when scaling down',
      current: 4,
      target: 50,
      pods: [{}, {}, {}, {}],
      usage: [100, 100, 100, undefined],
      replicas: 3,
      utilization: 10,
    },
    {
      name: 'treats a pod without a sample as using 0 % when scaling up',
      current: 4,
      target: 50,
      pods: [{}, {}, {}, {}],
      usage: [900, 900, 900, undefined],
      replicas: 6,
      utilization: 90,
    },
    {
      name: 'keeps the count when the missing pods turn the direction around',
      current: 4,
      target: 50,
      pods: [{}, {}, {}, {}],
      usage: [600, 600, 600, undefined],
      replicas: 4,
      utilization: 60,
    },
    {
      name: 'ignores pods being deleted and failed pods',
      current: 3,
      target: 50,
      pods: [{}, { deleting: true }, { phase: 'Failed' }],
      usage: [1000, 5000, 5000],
      replicas: 2,
      utilization: 100,
    },
    {
      name: 'counts a pod in its CPU initialization period as unready until a full window after it became ready',
      current: 3,
      target: 50,
      pods: [{ startedAgo: 60_000, transitionAgo: 10_000 }, {}, {}],
      usage: [1000, 1000, 1000],
      replicas: 4,
      utilization: 100,
    },
    {
      name: 'counts a pod past its initialization period that has been ready before as ready',
      current: 2,
      target: 50,
      pods: [{ ready: 'False', startedAgo: 900_000, transitionAgo: 60_000 }, {}],
      usage: [1000, 1000],
      replicas: 4,
      utilization: 100,
    },
  ];
  for (const row of table) {
    it(row.name, () => {
      const r = resourceUtilizationReplicas(
        row.current,
        row.target,
        pods(row.pods),
        samples(row.usage),
        requests(row.pods.length),
        true,
        o,
      );
      assert.equal(r.replicas, row.replicas);
      assert.equal(r.utilization, row.utilization);
    });
  }

  it('applies the readiness rules to CPU only', () => {
    // Memory: the unready pod's sample counts like any other.
    const r = resourceUtilizationReplicas(
      3,
      50,
      pods([{ ready: 'False' }, {}, {}]),
      samples([1000, 1000, 1000]),
      requests(3),
      false,
      o,
    );
    assert.equal(r.replicas, 6);
  });

  it('fails without pods, or without a sample of any ready pod', () => {
    assert.throws(() => resourceUtilizationReplicas(1, 50, [], samples([]), requests(0), true, o), {
      message: NO_PODS,
    });
    assert.throws(
      () => resourceUtilizationReplicas(1, 50, pods([{ phase: 'Pending' }]), samples([]), requests(1), true, o),
      { message: NO_METRICS_FOR_PODS },
    );
  });
});

describe('average value replicas (Pods metrics, Resource averageValue)', () => {
  it('scales by the average against the target', () => {
    assert.equal(
      averageValueReplicas(3, 10_000, pods([{}, {}, {}]), samples([20_000, 20_000, 20_000]), false, o).replicas,
      6,
    );
    assert.equal(
      averageValueReplicas(4, 10_000, pods([{}, {}, {}, {}]), samples([1000, 1000, 1000, 1000]), false, o).replicas,
      1,
    );
  });

  it('keeps the count within the tolerance', () => {
    assert.equal(averageValueReplicas(2, 10_000, pods([{}, {}]), samples([10_500, 10_500]), false, o).replicas, 2);
  });

  it('treats missing pods as at the target when scaling down and at 0 when scaling up', () => {
    assert.equal(
      averageValueReplicas(4, 10_000, pods([{}, {}, {}, {}]), samples([2000, 2000, 2000]), false, o).replicas,
      2,
    );
    assert.equal(
      averageValueReplicas(4, 10_000, pods([{}, {}, {}, {}]), samples([30_000, 30_000, 30_000]), false, o).replicas,
      9,
    );
  });
});

describe('object metric replicas', () => {
  it('value target: the ratio times the ready pods, or the ratio from zero', () => {
    assert.equal(objectValueReplicas(3, 30_000, 10_000, pods([{}, {}, {}])), 9);
    assert.equal(objectValueReplicas(3, 30_000, 10_000, pods([{}, { ready: 'False' }, {}])), 6);
    assert.equal(objectValueReplicas(3, 10_500, 10_000, pods([{}, {}, {}])), 3);
    assert.equal(objectValueReplicas(0, 25_000, 10_000, []), 3);
  });

  it('average value target: the value over the target average', () => {
    assert.deepEqual(objectAverageValueReplicas(3, 30_000, 5000), { replicas: 6, average: 10_000 });
    assert.deepEqual(objectAverageValueReplicas(3, 15_500, 5000), { replicas: 3, average: 5166 });
  });
});
