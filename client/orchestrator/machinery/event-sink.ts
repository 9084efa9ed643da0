/**
 * Where recorded Events wait to be written. client-go's recorder hands an Event to a
 * broadcaster and returns; a sink writes it later, off the path of the controller
 * that made it. Here that path and the sink share one thread, so the sink writes
 * only when the store has no other write in flight: a burst of pods is written
 * first and its Events after it, in the order they were recorded, a slice at a
 * time with a turn of the event loop (and the requests waiting) between slices.
 * Bounded: past `maxWaiting` the oldest are written at once, so a store that is
 * never idle holds at most that many back. An Event's times are those of its
 * recording, so what is finally stored does not depend on when it was written.
 */
import { turnIfDue } from './io-turn';

/** What the sink asks of the store: whether it is writing, and when it stops. */
export interface WriteActivity {
  /** Whether a write is committed in memory and not yet durable. */
  readonly writing: boolean;
  /** Resolves once no write is in flight (at once when none is). */
  idle(): Promise<void>;
}

/** Events written per slice: one turn of the event loop (~4 ms of work) and one batch of the log. */
const SLICE = 256;

/**
 * Events held back at most (~10 MB): a 10,000-pod burst records 50,100 (10,000 of them SuccessfulCreate, which the
 * spam filter mostly drops when they are written), so its first hundred are written during the burst.
 */
const MAX_WAITING = 50_000;

/** The write of an item whose write threw. */
const DROPPED: Promise<void> = Promise.resolve();

export class EventSink<T> {
  private items: T[] = [];
  private head = 0;
  /** Pushed and not yet written (or dropped): `flush` waits for none. */
  private unwritten = 0;
  private readonly flushed: (() => void)[] = [];
  private running = false;

  constructor(
    private readonly store: WriteActivity,
    /** Writes one item; the write itself (up to the store's commit) must be synchronous, so items commit in order. */
    private readonly write: (item: T) => Promise<void>,
    private readonly maxWaiting = MAX_WAITING,
  ) {}

  /** Items waiting to be written. */
  get waiting(): number {
    return this.items.length - this.head;
  }

  push(item: T): void {
    this.items.push(item);
    this.unwritten++;
    if (this.waiting > this.maxWaiting) void this.writeSlice(this.waiting - this.maxWaiting);
    if (!this.running) void this.run();
  }

  /** Writes every waiting item now; resolves once all are written (for tests and shutdown). */
  async flush(): Promise<void> {
    if (this.unwritten === 0) return;
    const done = new Promise<void>((resolve) => this.flushed.push(resolve));
    while (this.waiting > 0) await this.writeSlice(SLICE);
    await done;
  }

  /** Writes slices whenever the store has nothing else in flight, until none waits. */
  private async run(): Promise<void> {
    this.running = true;
    try {
      while (this.waiting > 0) {
        await this.store.idle();
        // A turn more: the work the last acknowledged writes woke commits its own writes first.
        await new Promise<void>((resolve) => setImmediate(resolve));
        if (this.store.writing || this.waiting === 0) continue;
        await this.writeSlice(SLICE);
        const turn = turnIfDue();
        if (turn) await turn;
      }
    } finally {
      this.running = false;
    }
  }

  /** Starts writing the `n` oldest items, in order; resolves when they are written. */
  private writeSlice(n: number): Promise<void> {
    const end = Math.min(this.items.length, this.head + n);
    const writes: Promise<void>[] = [];
    for (; this.head < end; this.head++) {
      const item = this.items[this.head]!;
      // A failed write is dropped, one that throws too: recording never fails its caller, nor stops the others.
      let write: Promise<void>;
      try {
        write = this.write(item);
      } catch {
        write = DROPPED;
      }
      writes.push(write.then(this.written, this.written));
    }
    if (this.head > 1024 && this.head * 2 > this.items.length) {
      this.items = this.items.slice(this.head);
      this.head = 0;
    } else if (this.head === this.items.length) {
      this.items = [];
      this.head = 0;
    }
    return Promise.all(writes).then(() => undefined);
  }

  private readonly written = (): void => {
    if (--this.unwritten === 0) for (const resolve of this.flushed.splice(0)) resolve();
  };
}
