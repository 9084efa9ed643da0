/**
 * A bounded window of recent events, so watches can resume from a resourceVersion: at most
 * `capacity` events and, when the events' sizes are given, about `maxBytes` of them (their
 * log lines' length): 10,000 versions of big objects would otherwise stay in memory only for this.
 */
import type { KubeObject } from './object';

export type EventType = 'ADDED' | 'MODIFIED' | 'DELETED';

export interface StoreEvent {
  type: EventType;
  /** `group/resource` of the object. */
  resource: string;
  /** The object after the change (for DELETED: as it was, with the deletion's resourceVersion). */
  object: Readonly<KubeObject>;
  /** The previous version, if any (useful to controllers, never sent to clients). */
  old?: Readonly<KubeObject>;
  rv: number;
}

export class EventHistory {
  private readonly ring: (StoreEvent | undefined)[];
  private readonly sizes: number[];
  private start = 0;
  private count = 0;
  private bytes = 0;

  /** Every event with rv > `floor` is in the window. */
  constructor(
    private floor: number,
    capacity = 10_000,
    private readonly maxBytes = Infinity,
  ) {
    this.ring = new Array<StoreEvent | undefined>(capacity);
    this.sizes = new Array<number>(capacity).fill(0);
  }

  get oldestResumable(): number {
    return this.floor;
  }

  /** Adds the newest event; `bytes` is its size (0 when unknown). */
  push(event: StoreEvent, bytes = 0): void {
    const capacity = this.ring.length;
    if (this.count === capacity) this.evictOldest();
    while (this.count > 0 && this.bytes + bytes > this.maxBytes) this.evictOldest();
    const at = (this.start + this.count) % capacity;
    this.ring[at] = event;
    this.sizes[at] = bytes;
    this.bytes += bytes;
    this.count++;
  }

  private evictOldest(): void {
    const evicted = this.ring[this.start];
    if (evicted) this.floor = evicted.rv;
    this.bytes -= this.sizes[this.start]!;
    this.ring[this.start] = undefined;
    this.sizes[this.start] = 0;
    this.start = (this.start + 1) % this.ring.length;
    this.count--;
  }

  /** Events after `rv` in order, or undefined when the window no longer reaches back that far. */
  since(rv: number): StoreEvent[] | undefined {
    if (rv < this.floor) return undefined;
    const out: StoreEvent[] = [];
    for (let i = 0; i < this.count; i++) {
      const e = this.ring[(this.start + i) % this.ring.length];
      if (e && e.rv > rv) out.push(e);
    }
    return out;
  }
}
