import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AGGREGATE_AFTER, AGGREGATE_WINDOW_MS, EventSubject, SPAM_BURST, SPAM_REFILL_MS } from './event-correlator';

/** Each new entry is a fresh number: entries tell Events apart as the recorder's keys did. */
const counter = () => {
  let n = 0;
  return () => ++n;
};

describe('EventSubject', () => {
  it('keeps the first similar events apart, then folds the rest into one combined event', () => {
    const rs = new EventSubject<number>(0);
    const make = counter();
    const seen = Array.from({ length: 15 }, (_, i) =>
      rs.observe('Normal', 'SuccessfulCreate', `Created pod: web-${i}`, 0, make)!,
    );
    const single = seen.slice(0, AGGREGATE_AFTER - 1);
    assert.equal(new Set(single.map((o) => o.entry)).size, AGGREGATE_AFTER - 1);
    assert.deepEqual(
      single.map((o) => o.message),
      single.map((_, i) => `Created pod: web-${i}`),
    );
    const combined = seen.slice(AGGREGATE_AFTER - 1);
    assert.equal(new Set(combined.map((o) => o.entry)).size, 1);
    assert.ok(!single.some((o) => o.entry === combined[0]!.entry));
    assert.equal(combined[0]!.message, '(combined from similar events): Created pod: web-9');
    // A message seen before keeps its own event.
    assert.equal(rs.observe('Normal', 'SuccessfulCreate', 'Created pod: web-0', 0, make)!.entry, single[0]!.entry);
    // Another reason, or the same reason as a Warning, is not similar.
    const other = rs.observe('Normal', 'SuccessfulDelete', 'Deleted pod: web-0', 0, make)!;
    const warning = rs.observe('Warning', 'SuccessfulCreate', 'Created pod: web-20', 0, make)!;
    assert.equal(other.message, 'Deleted pod: web-0');
    assert.equal(warning.message, 'Created pod: web-20');
    assert.equal(new Set([other.entry, warning.entry, combined[0]!.entry]).size, 3);
  });

  it('starts a new window of similar events after ten minutes; a repeat still names its Event', () => {
    const rs = new EventSubject<number>(0);
    const make = counter();
    const first = Array.from({ length: AGGREGATE_AFTER }, (_, i) => rs.observe('Normal', 'R', `m${i}`, 0, make)!);
    assert.match(first.at(-1)!.message, /^\(combined/);
    const later = AGGREGATE_WINDOW_MS + 1;
    const again = rs.observe('Normal', 'R', 'm0', later, make)!;
    assert.equal(again.entry, first[0]!.entry);
    assert.equal(rs.observe('Normal', 'R', 'fresh', later, make)!.message, 'fresh');
  });

  it('drops events about one object beyond the burst until tokens come back', () => {
    const a = new EventSubject<number>(0);
    const make = counter();
    const kept = Array.from({ length: SPAM_BURST + 5 }, () => a.observe('Warning', 'BackOff', 'Back-off', 0, make));
    assert.equal(kept.filter((o) => o !== undefined).length, SPAM_BURST);
    assert.equal(new Set(kept.filter((o) => o !== undefined).map((o) => o.entry)).size, 1);
    const b = new EventSubject<number>(0);
    assert.equal(
      b.observe('Warning', 'BackOff', 'Back-off', 0, make) !== undefined,
      true,
      'another object has its own bucket',
    );
    assert.equal(a.observe('Warning', 'BackOff', 'Back-off', SPAM_REFILL_MS, make) !== undefined, true);
    assert.equal(a.observe('Warning', 'BackOff', 'Back-off', SPAM_REFILL_MS, make), undefined);
  });
});
