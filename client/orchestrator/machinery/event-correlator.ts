/**
 * What client-go's EventCorrelator does before an Event is written:
 * - spam filter: a token bucket per source and object (burst 25, then one
 *   per 5 minutes); events beyond it are dropped;
 * - aggregation: once 10 events with the same source, object, type and
 *   reason but different messages arrive within 10 minutes, further ones
 *   become one Event, "(combined from similar events): <message>", whose
 *   count grows.
 * The caller then dedupes by the returned key (count and lastTimestamp).
 */
import { BoundedMap } from './bounded-map';

export const SPAM_BURST = 25;
export const SPAM_REFILL_MS = 300_000;
export const AGGREGATE_AFTER = 10;
export const AGGREGATE_WINDOW_MS = 600_000;
const COMBINED = '(combined from similar events): ';

export interface Observed {
  /** Events with the same key are one Event (its count grows). */
  key: string;
  message: string;
}

export class EventCorrelator {
  private readonly buckets: BoundedMap<string, { tokens: number; at: number }>;
  private readonly similar: BoundedMap<string, { messages: Set<string>; since: number }>;

  constructor(maxTracked = 4096) {
    this.buckets = new BoundedMap(maxTracked);
    this.similar = new BoundedMap(maxTracked);
  }

  /** The key and message to record, or undefined when the spam filter drops the event. */
  observe(objectKey: string, type: string, reason: string, message: string, now: number): Observed | undefined {
    if (!this.take(objectKey, now)) return undefined;
    const aggregateKey = `${objectKey}\u0000${type}\u0000${reason}`;
    let record = this.similar.get(aggregateKey);
    if (!record || now - record.since > AGGREGATE_WINDOW_MS) {
      record = { messages: new Set(), since: now };
      this.similar.set(aggregateKey, record);
    }
    if (record.messages.has(message) || record.messages.size < AGGREGATE_AFTER - 1) {
      record.messages.add(message);
      return { key: `${aggregateKey}\u0000${message}`, message };
    }
    return { key: aggregateKey, message: COMBINED + message };
  }

  private take(key: string, now: number): boolean {
    let bucket = this.buckets.get(key);
    if (!bucket) {
      bucket = { tokens: SPAM_BURST, at: now };
      this.buckets.set(key, bucket);
    }
    const refill = Math.floor((now - bucket.at) / SPAM_REFILL_MS);
    if (refill > 0) {
      bucket.tokens = Math.min(SPAM_BURST, bucket.tokens + refill);
      bucket.at += refill * SPAM_REFILL_MS;
    }
    if (bucket.tokens <= 0) return false;
    bucket.tokens--;
    return true;
  }
}
