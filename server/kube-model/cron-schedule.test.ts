import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { CronError, isKnownTimeZone, parseCronSchedule } from './cron-schedule';

const utc = (text: string) => Date.parse(text);
const iso = (ms: number | undefined) => (ms === undefined ? 'none' : new Date(ms).toISOString());

/** The next `n` times after `from`, in UTC ISO form. */
function times(schedule: string, from: string, n: number, timeZone = 'UTC'): string[] {
  const s = parseCronSchedule(schedule, timeZone);
  const out: string[] = [];
  let t = utc(from);
  for (let i = 0; i < n; i++) {
    const next = s.next(t);
    out.push(iso(next));
    if (next === undefined) break;
    t = next;
  }
  return out;
}

describe('cron schedules', () => {
  it('runs every minute, strictly after the given time', () => {
    assert.deepEqual(times('* * * * *', '2025-01-01T12:00:00Z', 2), [
      '2025-01-01T12:01:00.000Z',
      '2025-01-01T12:02:00.000Z',
    ]);
    assert.deepEqual(times('* * * * *', '2025-01-01T12:00:30Z', 1), ['2025-01-01T12:01:00.000Z']);
  });

  it('reads steps, ranges and lists', () => {
    assert.deepEqual(times('*/15 * * * *', '2025-01-01T12:07:00Z', 3), [
      '2025-01-01T12:15:00.000Z',
      '2025-01-01T12:30:00.000Z',
      '2025-01-01T12:45:00.000Z',
    ]);
    assert.deepEqual(times('5,50 9-10 * * *', '2025-01-01T09:06:00Z', 3), [
      '2025-01-01T09:50:00.000Z',
      '2025-01-01T10:05:00.000Z',
      '2025-01-01T10:50:00.000Z',
    ]);
    assert.deepEqual(times('10/20 * * * *', '2025-01-01T12:00:00Z', 3), [
      '2025-01-01T12:10:00.000Z',
      '2025-01-01T12:30:00.000Z',
      '2025-01-01T12:50:00.000Z',
    ]);
  });

  it('knows month and weekday names, and the macros', () => {
    // 2025-01-01 is a Wednesday.
    assert.deepEqual(times('0 9 * * MON-FRI', '2025-01-03T10:00:00Z', 2), [
      '2025-01-06T09:00:00.000Z',
      '2025-01-07T09:00:00.000Z',
    ]);
    assert.deepEqual(times('0 0 1 jun *', '2025-01-01T00:00:00Z', 1), ['2025-06-01T00:00:00.000Z']);
    assert.deepEqual(times('@hourly', '2025-01-01T12:30:00Z', 1), ['2025-01-01T13:00:00.000Z']);
    assert.deepEqual(times('@daily', '2025-01-01T12:30:00Z', 1), ['2025-01-02T00:00:00.000Z']);
    assert.deepEqual(times('@weekly', '2025-01-01T12:30:00Z', 1), ['2025-01-05T00:00:00.000Z']);
    assert.deepEqual(times('@monthly', '2025-01-15T00:00:00Z', 1), ['2025-02-01T00:00:00.000Z']);
    assert.deepEqual(times('@yearly', '2025-01-15T00:00:00Z', 1), ['2026-01-01T00:00:00.000Z']);
  });

  it('matches either day field when both are restricted, both when one is a wildcard', () => {
    // The 13th, or any Friday.
    assert.deepEqual(times('0 0 13 * 5', '2025-06-01T00:00:00Z', 3), [
      '2025-06-06T00:00:00.000Z',
      '2025-06-13T00:00:00.000Z',
      '2025-06-20T00:00:00.000Z',
    ]);
    assert.deepEqual(times('0 0 * * 5', '2025-06-01T00:00:00Z', 1), ['2025-06-06T00:00:00.000Z']);
  });

  it('finds rare dates and reports none for impossible ones', () => {
    assert.deepEqual(times('0 0 29 2 *', '2025-01-01T00:00:00Z', 1), ['2028-02-29T00:00:00.000Z']);
    assert.deepEqual(times('0 0 30 2 *', '2025-01-01T00:00:00Z', 1), ['none']);
  });

  it('reads the schedule in its time zone, across a daylight-saving change', () => {
    // 09:00 in New York is 14:00 UTC in winter and 13:00 UTC in summer (DST began 2025-03-09).
    assert.deepEqual(times('0 9 * * *', '2025-03-08T00:00:00Z', 2, 'America/New_York'), [
      '2025-03-08T14:00:00.000Z',
      '2025-03-09T13:00:00.000Z',
    ]);
    assert.deepEqual(times('30 0 * * *', '2025-03-29T00:00:00Z', 2, 'Europe/Berlin'), [
      '2025-03-29T23:30:00.000Z',
      '2025-03-30T22:30:00.000Z',
    ]);
  });

  it('runs @every on a constant delay', () => {
    assert.deepEqual(times('@every 90s', '2025-01-01T12:00:00.500Z', 2), [
      '2025-01-01T12:01:30.000Z',
      '2025-01-01T12:03:00.000Z',
    ]);
  });

  it('finds the latest scheduled time in a range, cheaply across a long gap', () => {
    const every5 = parseCronSchedule('*/5 * * * *', 'UTC');
    assert.equal(
      iso(every5.mostRecent(utc('2025-01-01T12:00:00Z'), utc('2025-01-01T12:14:59Z'))),
      '2025-01-01T12:10:00.000Z',
    );
    assert.equal(iso(every5.mostRecent(utc('2025-01-01T12:00:00Z'), utc('2025-01-01T12:04:59Z'))), 'none');
    assert.equal(
      iso(every5.mostRecent(utc('2024-01-01T00:00:00Z'), utc('2025-01-01T12:07:00Z'))),
      '2025-01-01T12:05:00.000Z',
    );
    const yearly = parseCronSchedule('@yearly', 'UTC');
    assert.equal(
      iso(yearly.mostRecent(utc('2020-06-01T00:00:00Z'), utc('2025-03-01T00:00:00Z'))),
      '2025-01-01T00:00:00.000Z',
    );
    const every = parseCronSchedule('@every 10m');
    assert.equal(
      iso(every.mostRecent(utc('2025-01-01T12:03:00Z'), utc('2025-01-01T12:35:00Z'))),
      '2025-01-01T12:33:00.000Z',
    );
  });

  it('says what is wrong with a bad schedule', () => {
    const error = (text: string) => {
      try {
        parseCronSchedule(text);
      } catch (e) {
        assert.ok(e instanceof CronError);
        return e.message;
      }
      return 'parsed';
    };
    assert.equal(error('* * * *'), 'expected exactly 5 fields, found 4: [* * * *]');
    assert.equal(error('60 * * * *'), 'end of range (60) above maximum (59): 60');
    assert.equal(error('* * 0 * *'), 'beginning of range (0) below minimum (1): 0');
    assert.equal(error('5-2 * * * *'), 'beginning of range (5) beyond end of range (2): 5-2');
    assert.equal(error('*/0 * * * *'), 'step of range should be a positive number: */0');
    assert.equal(error('x * * * *'), 'failed to parse int from x');
    assert.equal(error('* * * * 7'), 'end of range (7) above maximum (6): 7');
    assert.equal(error('@fortnightly'), 'unrecognized descriptor: @fortnightly');
    assert.equal(error(''), 'empty spec string');
    assert.throws(() => parseCronSchedule('* * * * *', 'Mars/Olympus'), /unknown time zone Mars\/Olympus/);
  });

  it('knows real time zones', () => {
    assert.equal(isKnownTimeZone('Europe/Berlin'), true);
    assert.equal(isKnownTimeZone('Etc/UTC'), true);
    assert.equal(isKnownTimeZone('Nowhere/Special'), false);
  });
});
