/**
 * What client-go's EventCorrelator does before an Event is written, for one
 * object as one source reports it (a subject):
 * - spam filter: a token bucket per subject (burst 25, then one per 5
 *   minutes); events beyond it are dropped;
 * - aggregation: once 10 events with the same type and reason but different
 *   messages arrive within 10 minutes, further ones become one Event,
 *   "(combined from similar events): <message>", whose count grows.
 * The caller keeps one entry per Event it writes (its name, its count's
 * writes) in the subject: a repeat of a message returns the same entry.
 */

export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
export const AGGREGATE_AFTER = 10;
export const AGGREGATE_WINDOW_MS = 600_000;
const COMBINED = '(combined from similar events): ';

export interface Observed<T> {
  /** Repeats of one Event share this entry (the caller's). */
  entry: T;
  message: string;
}

/** The events of one type and reason about a subject. */
interface Similar<T> {
  since: number;
  /** The caller's entry for each distinct message of the current window. */
  messages: Map<string, T>;
  /** Those of the window before: a repeat of one is still the same Event. */
  earlier: Map<string, T> | undefined;
  combined: T | undefined;
}

/** One object as one source reports it: its spam bucket and its similar events by type and reason. */
export class EventSubject<T> {
  private tokens = SPAM_BURST;
  private at: number;
  /** Similar events by reason (a few literal strings): Normal ones, then the others (by type and reason). */
  private readonly normal = new Map<string, Similar<T>>();
  private others: Map<string, Similar<T>> | undefined;

  constructor(now: number) {
    this.at = now;
  }

  /** The entry and message to record (`make` makes the entry of a new Event), or undefined when the spam filter drops it. */
  observe(type: string, reason: string, message: string, now: number, make: () => T): Observed<T> | undefined {
    if (!this.take(now)) return undefined;
    const normal = type === 'Normal';
    const byReason = normal ? this.normal : (this.others ??= new Map<string, Similar<T>>());
    const key = normal ? reason : `${type}\u0000${reason}`;
    let similar = byReason.get(key);
    if (!similar) {
      similar = { since: now, messages: new Map(), earlier: undefined, combined: undefined };
      byReason.set(key, similar);
    } else if (now - similar.since > AGGREGATE_WINDOW_MS) {
      similar.earlier = similar.messages;
      similar.messages = new Map();
      similar.since = now;
    }
    let entry = similar.messages.get(message);
    if (entry !== undefined) return { entry, message };
    if (similar.messages.size < AGGREGATE_AFTER - 1) {
      entry = similar.earlier?.get(message) ?? make();
      similar.messages.set(message, entry);
      return { entry, message };
    }
    similar.combined ??= make();
    return { entry: similar.combined, message: COMBINED + message };
  }

  private take(now: number): boolean {
    const refill = Math.floor((now - this.at) / SPAM_REFILL_MS);
    if (refill > 0) {
      this.tokens = Math.min(SPAM_BURST, this.tokens + refill);
      this.at += refill * SPAM_REFILL_MS;
    }
    if (this.tokens <= 0) return false;
    this.tokens--;
    return true;
  }
}
