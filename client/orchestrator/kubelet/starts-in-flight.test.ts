import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { StartsInFlight } from './starts-in-flight';

describe('StartsInFlight', () => {
  it('is busy while work runs and wakes waiters once the last one ends, failed or not', async () => {
    const starts = new StartsInFlight();
    assert.equal(starts.busy, false);
    await starts.settled(); // none in flight: at once
    let endA!: () => void;
    let failB!: (e: Error) => void;
    const a = starts.track(() => new Promise<string>((r) => (endA = () => r('a'))));
    const b = starts.track(() => new Promise<string>((_, reject) => (failB = reject)));
    assert.equal(starts.busy, true);
    let woke = false;
    const waiting = starts.settled().then(() => (woke = true));
    endA();
    assert.equal(await a, 'a');
    await Promise.resolve();
    assert.equal(woke, false, 'one still in flight');
    failB(new Error('engine said no'));
    await assert.rejects(b, /engine said no/);
    await waiting;
    assert.equal(woke, true);
    assert.equal(starts.busy, false);
  });
});
