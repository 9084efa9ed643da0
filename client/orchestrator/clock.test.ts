import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { rfc3339 } from './clock';

/** The text without the remembered second. */
const fresh = (ms: number) => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace('.000Z', 'Z');

describe('rfc3339 (the last second remembered)', () => {
  it('gives the same text as a fresh conversion, within a second, across seconds and back', () => {
    const t0 = Date.UTC(2026, 11, 4, 23, 59, 58, 1);
    const times = [t0, t0 + 1, t0 + 998, t0 + 999, t0 + 1999, t0 + 2500, t0, 0, 999, 1000, -1, -1000, -1001, t0 + 0.5];
    for (const ms of times) assert.equal(rfc3339(ms), fresh(ms), String(ms));
    assert.equal(rfc3339(t0 + 2500), '2026-12-05T00:00:00Z');
  });

  it('refuses a time that is no date, every time', () => {
    assert.throws(() => rfc3339(Number.NaN), RangeError);
    assert.throws(() => rfc3339(Number.NaN), RangeError);
    assert.throws(() => rfc3339(9e15), RangeError);
  });
});
