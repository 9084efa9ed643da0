/**
 * Cron schedules as CronJobs write them: five fields (minute, hour, day of
 * month, month, day of week) with `*`, `?`, lists, ranges, steps and month /
 * weekday names, the `@hourly`-style macros and `@every <duration>`, read in
 * a time zone (the process's own when none is given). `next` finds the first
 * scheduled minute after a time without stepping through every minute.
 */

export class CronError extends Error {}

export interface CronSchedule {
  /** The first scheduled time strictly after `afterMs` (ms since the epoch), or undefined when there is none. */
  next(afterMs: number): number | undefined;
  /** The latest scheduled time in (`earliestMs`, `nowMs`], or undefined when none falls there. */
  mostRecent(earliestMs: number, nowMs: number): number | undefined;
}

interface Field {
  values: boolean[];
  /** Written as `*` or `?`: for the day fields this changes how they combine. */
  star: boolean;
}

interface Bounds {
  min: number;
  max: number;
  names?: readonly string[];
}

const MINUTE: Bounds = { min: 0, max: 59 };
const HOUR: Bounds = { min: 0, max: 23 };
const DAY: Bounds = { min: 1, max: 31 };
const MONTH: Bounds = {
  min: 1,
  max: 12,
  names: ['jan', 'feb', 'mar', 'apr', 'may', 'jun', 'jul', 'aug', 'sep', 'oct', 'nov', 'dec'],
};
const WEEKDAY: Bounds = { min: 0, max: 6, names: ['sun', 'mon', 'tue', 'wed', 'thu', 'fri', 'sat'] };

const MACROS: Record<string, string> = {
  '@yearly': '0 0 1 1 *',
  '@annually': '0 0 1 1 *',
  '@monthly': '0 0 1 * *',
  '@weekly': '0 0 * * 0',
  '@daily': '0 0 * * *',
  '@midnight': '0 0 * * *',
  '@hourly': '0 * * * *',
};

const MINUTE_MS = 60_000;

function number(text: string, bounds: Bounds): number {
  const named = bounds.names?.indexOf(text.toLowerCase()) ?? -1;
  if (named !== -1) return named + bounds.min;
  if (!/^\d+$/.test(text)) throw new CronError(`failed to parse int from ${text}`);
  return Number(text);
}

function parseField(text: string, bounds: Bounds, questionMark: boolean): Field {
  const values = new Array<boolean>(bounds.max + 1).fill(false);
  let star = false;
  for (const part of text.split(',')) {
    const [range = '', stepText, extra] = part.split('/');
    if (extra !== undefined) throw new CronError(`too many slashes: ${part}`);
    let [from, to] = [bounds.min, bounds.max];
    const wildcard = range === '*' || (questionMark && range === '?');
    if (!wildcard) {
      const [a = '', b, more] = range.split('-');
      if (more !== undefined) throw new CronError(`too many hyphens: ${part}`);
      from = number(a, bounds);
      to = b !== undefined ? number(b, bounds) : stepText !== undefined ? bounds.max : from;
    } else if (stepText === undefined) star = true;
    const step = stepText === undefined ? 1 : Number(stepText);
    if (stepText !== undefined && !/^\d+$/.test(stepText)) throw new CronError(`failed to parse int from ${stepText}`);
    if (from < bounds.min) throw new CronError(`beginning of range (${from}) below minimum (${bounds.min}): ${part}`);
    if (to > bounds.max) throw new CronError(`end of range (${to}) above maximum (${bounds.max}): ${part}`);
    if (from > to) throw new CronError(`beginning of range (${from}) beyond end of range (${to}): ${part}`);
    if (step <= 0) throw new CronError(`step of range should be a positive number: ${part}`);
    for (let v = from; v <= to; v += step) values[v] = true;
  }
  return { values, star };
}

/** A Go duration such as `90s`, `5m` or `1h30m`, in ms. */
function parseDuration(text: string): number {
  const units: Record<string, number> = { h: 3_600_000, m: 60_000, s: 1000, ms: 1 };
  let total = 0;
  let rest = text;
  while (rest !== '') {
    const match = /^(\d+(?:\.\d+)?)(ms|h|m|s)/.exec(rest);
    if (!match) throw new CronError(`failed to parse duration ${text}`);
    total += Number(match[1]) * units[match[2]!]!;
    rest = rest.slice(match[0].length);
  }
  if (text === '') throw new CronError('failed to parse duration');
  return total;
}

const formatters = new Map<string, Intl.DateTimeFormat>();

function formatter(timeZone: string): Intl.DateTimeFormat {
  let f = formatters.get(timeZone);
  if (!f) {
    f = new Intl.DateTimeFormat('en-US', {
      timeZone,
      hourCycle: 'h23',
      year: 'numeric',
      month: 'numeric',
      day: 'numeric',
      hour: 'numeric',
      minute: 'numeric',
      weekday: 'short',
    });
    formatters.set(timeZone, f);
  }
  return f;
}

/** Whether the runtime knows the IANA time zone `name`. */
export function isKnownTimeZone(name: string): boolean {
  try {
    formatter(name);
    return true;
  } catch {
    return false;
  }
}

interface Wall {
  month: number;
  day: number;
  weekday: number;
  hour: number;
  minute: number;
}

const WEEKDAYS = ['Sun', 'Mon', 'Tue', 'Wed', 'Thu', 'Fri', 'Sat'];

function wallClock(ms: number, timeZone: string | undefined): Wall {
  if (timeZone === undefined) {
    const d = new Date(ms);
    return {
      month: d.getMonth() + 1,
      day: d.getDate(),
      weekday: d.getDay(),
      hour: d.getHours(),
      minute: d.getMinutes(),
    };
  }
  const parts: Record<string, string> = {};
  for (const p of formatter(timeZone).formatToParts(ms)) parts[p.type] = p.value;
  return {
    month: Number(parts.month),
    day: Number(parts.day),
    weekday: WEEKDAYS.indexOf(parts.weekday ?? ''),
    hour: Number(parts.hour),
    minute: Number(parts.minute),
  };
}

class FieldSchedule implements CronSchedule {
  constructor(
    private readonly minute: Field,
    private readonly hour: Field,
    private readonly day: Field,
    private readonly month: Field,
    private readonly weekday: Field,
    private readonly timeZone: string | undefined,
  ) {}

  private dayMatches(w: Wall): boolean {
    const byDate = this.day.values[w.day] === true;
    const byWeekday = this.weekday.values[w.weekday] === true;
    // Both restricted: either may match (as cron does); otherwise both must.
    return this.day.star || this.weekday.star ? byDate && byWeekday : byDate || byWeekday;
  }

  /** Some month has one of the days (when the weekday does not widen them): else no date ever matches. */
  private possible(): boolean {
    if (this.day.star || !this.weekday.star) return true;
    const longest = [0, 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31];
    return this.month.values.some((on, m) => on && this.day.values.some((d, day) => d && day <= longest[m]!));
  }

  next(afterMs: number): number | undefined {
    if (!this.possible()) return undefined;
    let t = Math.floor(afterMs / MINUTE_MS) * MINUTE_MS + MINUTE_MS;
    // About five years of skipping by day and hour; a schedule that never matches (Feb 30) ends here.
    for (let i = 0; i < 100_000; i++) {
      const w = wallClock(t, this.timeZone);
      if (!this.month.values[w.month] || !this.dayMatches(w)) {
        // To the next wall-clock midnight; from afar, stop two hours short so a daylight-saving shift cannot carry past it.
        const left = (23 - w.hour) * 60 + (60 - w.minute);
        t += (left > 180 ? left - 120 : left) * MINUTE_MS;
        continue;
      }
      if (!this.hour.values[w.hour]) {
        t += (60 - w.minute) * MINUTE_MS;
        continue;
      }
      if (!this.minute.values[w.minute]) {
        const later = this.minute.values.findIndex((v, m) => v && m > w.minute);
        t += (later === -1 ? 60 - w.minute : later - w.minute) * MINUTE_MS;
        continue;
      }
      return t;
    }
    return undefined;
  }

  mostRecent(earliestMs: number, nowMs: number): number | undefined {
    // Look back from now over a window that doubles, so a long gap costs a few searches, not one per missed time.
    for (let window = MINUTE_MS; ; window *= 2) {
      const from = Math.max(earliestMs, nowMs - window);
      let t = this.next(from);
      if (t !== undefined && t <= nowMs) {
        let latest = t;
        while ((t = this.next(latest)) !== undefined && t <= nowMs) latest = t;
        return latest;
      }
      if (from === earliestMs || t === undefined) return undefined;
    }
  }
}

class EverySchedule implements CronSchedule {
  constructor(private readonly delayMs: number) {}

  next(afterMs: number): number {
    return Math.floor(afterMs / 1000) * 1000 + this.delayMs;
  }

  /** The times are counted from `earliestMs` (the last run, or the CronJob's creation). */
  mostRecent(earliestMs: number, nowMs: number): number | undefined {
    const start = Math.floor(earliestMs / 1000) * 1000;
    const runs = Math.floor((nowMs - start) / this.delayMs);
    return runs >= 1 ? start + runs * this.delayMs : undefined;
  }
}

/** Parses a schedule; throws CronError with what is wrong. `timeZone` must be known (see isKnownTimeZone). */
export function parseCronSchedule(text: string, timeZone?: string): CronSchedule {
  const spec = text.trim();
  if (spec === '') throw new CronError('empty spec string');
  if (spec.startsWith('@every ')) {
    const delay = parseDuration(spec.slice('@every '.length).trim());
    return new EverySchedule(Math.max(1000, Math.floor(delay / 1000) * 1000));
  }
  const expanded = spec.startsWith('@') ? MACROS[spec.toLowerCase()] : spec;
  if (expanded === undefined) throw new CronError(`unrecognized descriptor: ${spec}`);
  const fields = expanded.split(/\s+/);
  if (fields.length !== 5)
    throw new CronError(`expected exactly 5 fields, found ${fields.length}: [${fields.join(' ')}]`);
  const [minute, hour, day, month, weekday] = fields as [string, string, string, string, string];
  if (timeZone !== undefined && !isKnownTimeZone(timeZone)) throw new CronError(`unknown time zone ${timeZone}`);
  return new FieldSchedule(
    parseField(minute, MINUTE, false),
    parseField(hour, HOUR, false),
    parseField(day, DAY, true),
    parseField(month, MONTH, false),
    parseField(weekday, WEEKDAY, true),
    timeZone,
  );
}
