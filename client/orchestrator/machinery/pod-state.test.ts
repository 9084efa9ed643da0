import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { Stored } from '../store/object-store';
import { isPodAvailable, isPodReady, podCondition, podConditions, readySince } from './pod-state';

describe('podCondition', () => {
  it('answers the first condition of a type as the filtered list would, hostile conditions skipped', () => {
    const ready = { type: 'Ready', status: 'True', lastTransitionTime: '2026-12-05T06:00:00Z' };
    const proto = JSON.parse('{"__proto__":{"type":"Ready"},"type":"Ready","status":"False"}') as object;
    const lists: unknown[] = [
      undefined,
      null,
      'Ready',
      { type: 'Ready' },
      [],
      [null, 3, 'Ready', ['Ready'], true, undefined],
      [null, ready],
      [{ type: 'PodScheduled', status: 'True' }, proto, ready],
      [ready, { type: 'Ready', status: 'False' }],
      [{ type: 'ready', status: 'True' }, { status: 'True' }, { type: 1e308 }],
    ];
    for (const conditions of lists) {
      for (const status of [conditions === undefined ? undefined : { conditions }, 'x', null]) {
        const pod = {
          apiVersion: 'v1',
          kind: 'Pod',
          metadata: { name: 'p' },
          ...(status === undefined ? {} : { status }),
        } as Stored;
        for (const type of ['Ready', 'PodScheduled', 'ready', '__proto__', '']) {
          assert.equal(
            podCondition(pod, type),
            podConditions(pod).find((c) => c.type === type),
            JSON.stringify({ conditions, type }),
          );
        }
      }
    }
    const pod = { apiVersion: 'v1', kind: 'Pod', metadata: {}, status: { conditions: [proto, ready] } } as Stored;
    assert.equal(podCondition(pod, 'Ready'), proto);
    assert.equal(isPodReady(pod), false);
    const up = { apiVersion: 'v1', kind: 'Pod', metadata: {}, status: { conditions: [null, ready] } } as Stored;
    assert.equal(isPodReady(up), true);
    assert.equal(readySince(up), Date.parse('2026-12-05T06:00:00Z'));
    assert.equal(isPodAvailable(up, 10, Date.parse('2026-12-05T06:00:05Z')), false);
    assert.equal(isPodAvailable(up, 10, Date.parse('2026-12-05T06:00:10Z')), true);
  });
});
