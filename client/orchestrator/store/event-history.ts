/** A bounded window of recent events, so watches can resume from a resourceVersion. */
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
  private start = 0;
  private count = 0;

  /** Every event with rv > `floor` is in the window. */
  constructor(
    private floor: number,
    capacity = 10_000,
  ) {
    this.ring = new Array<StoreEvent | undefined>(capacity);
  }

  get oldestResumable(): number {
    return this.floor;
  }

  push(event: StoreEvent): void {
    const capacity = this.ring.length;
    if (this.count === capacity) {
      const evicted = this.ring[this.start];
      if (evicted) this.floor = evicted.rv;
      this.ring[this.start] = event;
      this.start = (this.start + 1) % capacity;
    } else {
      this.ring[(this.start + this.count) % capacity] = event;
      this.count++;
    }
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
