import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AGGREGATE_AFTER, EventCorrelator, SPAM_BURST, SPAM_REFILL_MS } from './event-correlator';

describe('EventCorrelator', () => {
  it('keeps the first similar events apart, then folds the rest into one combined event', () => {
    const c = new EventCorrelator();
    const seen = Array.from({ length: 15 }, (_, i) =>
      c.observe('rs/web', 'Normal', 'SuccessfulCreate', `Created pod: web-${i}`, 0)!,
    );
    const single = seen.slice(0, AGGREGATE_AFTER - 1);
    assert.equal(new Set(single.map((o) => o.key)).size, AGGREGATE_AFTER - 1);
    const combined = seen.slice(AGGREGATE_AFTER - 1);
    assert.equal(new Set(combined.map((o) => o.key)).size, 1);
    assert.equal(combined[0]!.message, '(combined from similar events): Created pod: web-9');
    // A message seen before keeps its own event.
    assert.equal(c.observe('rs/web', 'Normal', 'SuccessfulCreate', 'Created pod: web-0', 0)!.key, single[0]!.key);
  });

  it('drops events about one object beyond the burst until tokens come back', () => {
    const c = new EventCorrelator();
    const kept = Array.from({ length: SPAM_BURST + 5 }, () => c.observe('pod/a', 'Warning', 'BackOff', 'Back-off', 0));
    assert.equal(kept.filter((o) => o !== undefined).length, SPAM_BURST);
    assert.equal(
      c.observe('pod/b', 'Warning', 'BackOff', 'Back-off', 0) !== undefined,
      true,
      'another object has its own bucket',
    );
    assert.equal(c.observe('pod/a', 'Warning', 'BackOff', 'Back-off', SPAM_REFILL_MS) !== undefined, true);
    assert.equal(c.observe('pod/a', 'Warning', 'BackOff', 'Back-off', SPAM_REFILL_MS), undefined);
  });
});
