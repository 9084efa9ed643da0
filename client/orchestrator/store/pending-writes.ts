/**
 * Writes the store has committed in memory but the log has not yet made durable,
 * in resourceVersion order: each is delivered once it is durable, or taken back
 * when the log fails it.
 */
import type { StoreEvent } from './event-history';
import type { KubeObject } from './object';

export interface PendingWrite {
  event: StoreEvent;
  /** The object's key in its bucket (`namespace/name`). */
  key: string;
  /** Its log line's length (0 without a log), for the watch history's byte budget. */
  bytes: number;
}

export class PendingWrites {
  private items: PendingWrite[] = [];
  /** Index of the oldest write still pending (shift() is linear). */
  private head = 0;
  /** Waiting for no write to be pending. */
  private emptied: (() => void)[] = [];

  get size(): number {
    return this.items.length - this.head;
  }

  /** Resolves once no write is pending (at once when none is). */
  whenEmpty(): Promise<void> {
    if (this.size === 0) return Promise.resolve();
    return new Promise((resolve) => this.emptied.push(resolve));
  }

  /** The resourceVersion of the oldest write still pending, if any. */
  get oldestRv(): number | undefined {
    return this.size > 0 ? this.items[this.head]!.event.rv : undefined;
  }

  /**
   * For each key of `resource` with writes pending: the object as it was before the oldest of
   * them, i.e. as the log holds it (null: absent there).
   */
  durableStates(resource: string): Map<string, Readonly<KubeObject> | null> {
    const states = new Map<string, Readonly<KubeObject> | null>();
    for (let i = this.head; i < this.items.length; i++) {
      const { event, key } = this.items[i]!;
      if (event.resource === resource && !states.has(key)) states.set(key, event.old ?? null);
    }
    return states;
  }

  /** The object under `key` of `resource` as the log holds it, when a write to it is pending (null: absent there). */
  durableState(resource: string, key: string): Readonly<KubeObject> | null | undefined {
    for (let i = this.head; i < this.items.length; i++) {
      const { event } = this.items[i]!;
      if (event.resource === resource && this.items[i]!.key === key) return event.old ?? null;
    }
    return undefined;
  }

  push(write: PendingWrite): void {
    this.items.push(write);
  }

  /** The oldest write still pending if it is at or before resourceVersion `rv` (now durable), removed. */
  takeOldestThrough(rv: number): PendingWrite | undefined {
    const oldest = this.items[this.head];
    if (oldest === undefined || oldest.event.rv > rv) return undefined;
    this.head++;
    this.compact();
    return oldest;
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
      if (this.emptied.length > 0) for (const resolve of this.emptied.splice(0)) resolve();
    }
  }
}
