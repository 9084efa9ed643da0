import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { podSpecRequests } from './pod-requests';

describe('podSpecRequests', () => {
  it('sums the containers, counts limits for requests left out, and takes the largest init container when it is larger', () => {
    const spec = {
      initContainers: [{ resources: { requests: { cpu: '2', memory: '1Mi' } } }],
      containers: [
        { resources: { requests: { cpu: '250m', memory: '64Mi' } } },
        { resources: { limits: { cpu: '500m', memory: '128Mi' } } },
        { name: 'none' },
      ],
    };
    assert.deepEqual(podSpecRequests(spec), { milliCpu: 2000, memory: 192 * 2 ** 20 });
  });

  it('is zero for what is not a pod spec', () => {
    for (const spec of [undefined, null, 'x', [], { containers: 'x' }, { containers: [null, 3] }])
      assert.deepEqual(podSpecRequests(spec), { milliCpu: 0, memory: 0 });
  });
});
