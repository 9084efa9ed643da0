import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { RequestMetrics } from './request-metrics';

describe('RequestMetrics', () => {
  it('counts requests in flight and per second over the window, per object', () => {
    let now = Date.UTC(2025, 0, 1, 12);
    const m = new RequestMetrics(() => now, 10_000);
    const web = { kind: 'services' as const, namespace: 'default', name: 'web' };
    const pod = { kind: 'pods' as const, namespace: 'default', name: 'web-1' };
    assert.equal(m.rates('services', 'default', 'web'), undefined);
    const ends = Array.from({ length: 20 }, () => m.begin([web, pod]));
    assert.deepEqual(
      {
        inFlight: m.rates('pods', 'default', 'web-1')?.inFlight,
        perSecond: m.rates('pods', 'default', 'web-1')?.perSecond,
      },
      { inFlight: 20, perSecond: 2 },
    );
    for (const end of ends.slice(0, 15)) end();
    ends[0]!(); // ending twice counts once
    assert.equal(m.rates('services', 'default', 'web')?.inFlight, 5);
    now += 11_000;
    // The window has passed: nothing started since, five still open.
    assert.deepEqual(
      {
        inFlight: m.rates('services', 'default', 'web')?.inFlight,
        perSecond: m.rates('services', 'default', 'web')?.perSecond,
      },
      { inFlight: 5, perSecond: 0 },
    );
    assert.equal(m.rates('ingresses', 'default', 'web'), undefined);
  });
});
