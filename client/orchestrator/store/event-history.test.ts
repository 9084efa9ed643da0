import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { EventHistory, type StoreEvent } from './event-history';

const event = (rv: number): StoreEvent => ({
  type: 'ADDED',
  resource: '/configmaps',
  object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `c${rv}`, resourceVersion: String(rv) } },
  rv,
});

describe('EventHistory', () => {
  it('keeps the newest events up to its count and says when a resourceVersion is too old', () => {
    const h = new EventHistory(0, 3);
    for (let rv = 1; rv <= 5; rv++) h.push(event(rv));
    assert.deepEqual(
      h.since(2)?.map((e) => e.rv),
      [3, 4, 5],
    );
    assert.equal(h.since(1), undefined);
    assert.equal(h.oldestResumable, 2);
  });

  it('keeps the newest events within its byte budget, each resumable point before them answered Gone', () => {
    const h = new EventHistory(0, 100, 1000);
    for (let rv = 1; rv <= 10; rv++) h.push(event(rv), 300);
    // 3 x 300 fit in 1,000 bytes: events 8-10.
    assert.deepEqual(
      h.since(7)?.map((e) => e.rv),
      [8, 9, 10],
    );
    assert.equal(h.since(6), undefined);
    assert.deepEqual(
      h.since(9)?.map((e) => e.rv),
      [10],
    );
  });

  it('keeps one event bigger than the whole budget (a watch can still resume from just before it)', () => {
    const h = new EventHistory(0, 100, 100);
    h.push(event(1), 10);
    h.push(event(2), 5000);
    assert.deepEqual(
      h.since(1)?.map((e) => e.rv),
      [2],
    );
    h.push(event(3), 10);
    assert.deepEqual(
      h.since(2)?.map((e) => e.rv),
      [3],
    );
    assert.equal(h.since(1), undefined);
  });

  it('mixes count and byte bounds over a long run without losing order', () => {
    const h = new EventHistory(0, 50, 5000);
    for (let rv = 1; rv <= 1000; rv++) h.push(event(rv), (rv * 37) % 400);
    const kept = h.since(h.oldestResumable)!.map((e) => e.rv);
    assert.ok(kept.length > 0 && kept.length <= 50);
    assert.deepEqual(
      kept,
      Array.from({ length: kept.length }, (_, i) => 1000 - kept.length + 1 + i),
    );
    assert.equal(kept[0], h.oldestResumable + 1);
  });
});
