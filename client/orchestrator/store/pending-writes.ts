/**
 * Writes the store has committed in memory but the log has not yet made durable,
 * in resourceVersion order: each is delivered once it is durable, or taken back
 * when the log fails it.
 */
import type { StoreEvent } from './event-history';

export interface PendingWrite {
  event: StoreEvent;
  /** The object's key in its bucket (`namespace/name`). */
  key: string;
}

export class PendingWrites {
  private items: PendingWrite[] = [];
  /** Index of the oldest write still pending (shift() is linear). */
  private head = 0;

  get size(): number {
    return this.items.length - this.head;
  }

  push(write: PendingWrite): void {
    this.items.push(write);
  }

  /** Removes the writes up to resourceVersion `rv` (now durable): oldest first. */
  takeThrough(rv: number): StoreEvent[] {
    const taken: StoreEvent[] = [];
    while (this.size > 0 && this.items[this.head]!.event.rv <= rv) taken.push(this.items[this.head++]!.event);
    this.compact();
    return taken;
  }

  /** Removes the writes from resourceVersion `rv` on (the log failed them): newest first. */
  takeFrom(rv: number): PendingWrite[] {
    const taken: PendingWrite[] = [];
    while (this.size > 0 && this.items[this.items.length - 1]!.event.rv >= rv) taken.push(this.items.pop()!);
    this.compact();
    return taken;
  }

  private compact(): void {
    if (this.size === 0) {
      this.items = [];
      this.head = 0;
    }
  }
}
