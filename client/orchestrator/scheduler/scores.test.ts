import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { taintsOf, tolerates, matchesTerm } from '../machinery/node-fit';
import { NodeInfo } from './node-info';
import { podRequests, type PodRequests } from './pod-requests';
import { scoreNodes } from './scores';

/** The scores as written before the loops (one object and four arrays per call): the reference. */
function referenceScores(pod: Stored, requests: PodRequests, candidates: readonly NodeInfo[]): number[] {
  const spec = isObject(pod.spec) ? pod.spec : {};
  const tolerations = Array.isArray(spec.tolerations) ? spec.tolerations.filter(isObject) : [];
  const preferred = (node: Stored) => {
    const a = isObject(spec.affinity) && isObject(spec.affinity.nodeAffinity) ? spec.affinity.nodeAffinity : undefined;
    const terms = a?.preferredDuringSchedulingIgnoredDuringExecution;
    if (!Array.isArray(terms)) return 0;
    let sum = 0;
    for (const p of terms.filter(isObject))
      if (isObject(p.preference) && matchesTerm(p.preference, node)) sum += typeof p.weight === 'number' ? p.weight : 0;
    return sum;
  };
  const raw = candidates.map((info) => ({
    taints: taintsOf(info.node).filter((t) => t.effect === 'PreferNoSchedule' && !tolerates(tolerations, t)).length,
    affinity: preferred(info.node),
    siblings: requests.owner === '' ? 0 : (info.podsByOwner.get(requests.owner) ?? 0),
  }));
  const maxTaints = Math.max(0, ...raw.map((r) => r.taints));
  const maxAffinity = Math.max(0, ...raw.map((r) => r.affinity));
  const maxSiblings = Math.max(0, ...raw.map((r) => r.siblings));
  const part = (used: number, capacity: number) =>
    capacity <= 0 || used > capacity ? 0 : ((capacity - used) * 100) / capacity;
  return candidates.map((info, i) => {
    const r = raw[i]!;
    const taint = maxTaints === 0 ? 100 : (100 * (maxTaints - r.taints)) / maxTaints;
    const affinity = maxAffinity === 0 ? 0 : (100 * r.affinity) / maxAffinity;
    const spread = maxSiblings === 0 ? 100 : (100 * (maxSiblings - r.siblings)) / maxSiblings;
    const least =
      (part(info.scoreMilliCpu + requests.scoreMilliCpu, info.allocatable.milliCpu) +
        part(info.scoreMemory + requests.scoreMemory, info.allocatable.memory)) /
      2;
    return 3 * taint + 2 * affinity + 2 * spread + least;
  });
}

const TAINTS = [
  undefined,
  [],
  [{ key: 'slow', effect: 'PreferNoSchedule' }],
  [
    { key: 'slow', effect: 'PreferNoSchedule' },
    { key: 'gpu', value: 'yes', effect: 'PreferNoSchedule' },
    { key: 'x', effect: 'NoSchedule' },
  ],
  'not a list',
];
const TOLERATIONS = [
  undefined,
  [],
  [{ key: 'slow', operator: 'Exists' }],
  [{ operator: 'Exists' }],
  [{ key: 'gpu', value: 'yes' }, 'junk'],
];
const AFFINITY = [
  undefined,
  {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        { weight: 5, preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['a'] }] } },
      ],
    },
  },
  // Weights JSON can carry but no Kubernetes would take: 1e400 parses to Infinity, and Infinity - Infinity is NaN.
  {
    nodeAffinity: {
      preferredDuringSchedulingIgnoredDuringExecution: [
        {
          weight: JSON.parse('1e400') as number,
          preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] },
        },
        {
          weight: -JSON.parse('1e400'),
          preference: { matchExpressions: [{ key: 'zone', operator: 'In', values: ['b'] }] },
        },
        { weight: 'heavy', preference: { matchExpressions: [{ key: 'zone', operator: 'Exists' }] } },
      ],
    },
  },
];

function node(i: number, taints: unknown): NodeInfo {
  const info = new NodeInfo({
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `n${i}`, labels: { zone: i % 2 === 0 ? 'a' : 'b' } },
    spec: taints === undefined ? {} : { taints },
    status: { allocatable: { cpu: `${1 + (i % 3)}`, memory: `${1 + i}Gi`, pods: '110' } },
  });
  for (let k = 0; k < i % 4; k++)
    info.add(
      `p${k}`,
      { milliCpu: 100, memory: 1, scoreMilliCpu: 100, scoreMemory: 1, hostPorts: [], owner: k % 2 ? 'rs' : 'other' },
      1,
    );
  return info;
}

describe('scoreNodes', () => {
  it('gives the scores of the reference for every mix of taints, tolerations, affinity and siblings', () => {
    let cases = 0;
    for (const tolerations of TOLERATIONS)
      for (const affinity of AFFINITY)
        for (const owner of ['', 'rs'])
          for (let shift = 0; shift < TAINTS.length; shift++) {
            const nodes = Array.from({ length: 7 }, (_, i) => node(i, TAINTS[(i + shift) % TAINTS.length]));
            const pod = {
              apiVersion: 'v1',
              kind: 'Pod',
              metadata: {
                name: 'p',
                namespace: 'd',
                ...(owner
                  ? {
                      ownerReferences: [
                        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: owner, controller: true },
                      ],
                    }
                  : {}),
              },
              spec: {
                containers: [{ name: 'c' }],
                ...(tolerations ? { tolerations } : {}),
                ...(affinity ? { affinity } : {}),
              },
            } as Stored;
            const requests = podRequests(pod);
            const got = Array.from(scoreNodes(pod, requests, nodes).subarray(0, nodes.length));
            const want = referenceScores(pod, requests, nodes);
            assert.deepEqual(got, want, JSON.stringify({ tolerations, affinity, owner, shift }));
            cases++;
          }
    assert.equal(cases, TOLERATIONS.length * AFFINITY.length * 2 * TAINTS.length);
    assert.deepEqual(
      scoreNodes(
        { apiVersion: 'v1', kind: 'Pod', metadata: {} },
        podRequests({ apiVersion: 'v1', kind: 'Pod', metadata: {} }),
        [],
      ).subarray(0, 0),
      new Float64Array(0),
    );
  });
});
