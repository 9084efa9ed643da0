/**
 * The sending side of a SPDY session. Frames leave in the order they were
 * given, also when one of them is still being made (a header block waiting
 * for its compression: everything sent after it waits too, so no DATA can
 * overtake the SYN_REPLY of its stream). Frames made in the same turn of the
 * event loop leave in one transport write (one TLS record and one wake-up of
 * the peer, one WebSocket message): the flush waits for `setImmediate`, after
 * every socket read of that turn, so the replies and DATA of all streams that
 * were served in it share a write.
 *
 * A frame counts as taken while the transport holds less than `bufferLimit`
 * bytes (256 KiB), not only below its own high-water mark (16 KiB): a stream
 * writing 64 KiB reads from a pod is then not stopped after every read until
 * the transport drained (a round trip through the event loop per read).
 *
 * A turn that made only DATA frames still open (`lazy`: a pod's answer) of
 * few bytes waits one more turn of the loop before it is written: the end of
 * the answer (the pod closing, read in the next turn) then leaves with it,
 * the answer and its FINs in one write and one wake-up of the peer instead
 * of two. A turn that made anything else, or more DATA, is written at its end.
 */
import type { Duplex } from 'node:stream';

/** Bytes a transport may hold before senders wait for its 'drain'. */
export const DEFAULT_BUFFER_LIMIT = 256 * 1024;

/** A turn's DATA frames under this many bytes wait one more turn for what may end them. */
export const LAZY_BATCH_LIMIT = 16 * 1024;

interface Outgoing {
  bytes: Buffer | Promise<Buffer>;
  done?: (() => void) | undefined;
  lazy: boolean;
}

export class FrameWriter {
  private queue: Outgoing[] = [];
  private pumping = false;
  private batch: Buffer[] = [];
  private batchBytes = 0;
  /** The batch holds a frame that is not lazy: it leaves at the end of this turn. */
  private eager = false;
  /** The flush was put off by one turn already. */
  private deferred = false;
  private batchDone: (() => void)[] = [];
  private drainWaiters: (() => void)[] = [];
  private closed = false;
  private readonly bufferLimit: number;

  constructor(
    private readonly transport: Duplex,
    /** A frame that could not be made (its compression failed). */
    private readonly onError: (error: unknown) => void,
    bufferLimit = DEFAULT_BUFFER_LIMIT,
  ) {
    // 'drain' comes only after a write over the transport's own mark: never wait below it.
    this.bufferLimit = Math.max(bufferLimit, transport.writableHighWaterMark);
    transport.on('drain', () => {
      for (const w of this.drainWaiters.splice(0)) w();
    });
  }

  /**
   * Queues a frame. `done` is called once the transport took it holding at
   * most `bufferLimit` bytes, or once it drained (also when the writer closes:
   * the session is gone then). `lazy`: a DATA frame that may wait one more
   * turn for what follows it.
   */
  send(bytes: Buffer | Promise<Buffer>, done?: () => void, lazy = false): void {
    if (this.closed) return done?.();
    if (this.queue.length === 0 && Buffer.isBuffer(bytes)) return this.write(bytes, done, lazy);
    this.queue.push({ bytes, done, lazy });
    if (!this.pumping) void this.pump();
  }

  /** A frame ahead of whatever still waits in the queue (the GOAWAY of a failing session). */
  sendNow(bytes: Buffer): void {
    if (!this.closed) this.write(bytes);
  }

  /** Stops: what is ready goes out if `flush`, queued frames are dropped; every callback is called. */
  close(flush: boolean): void {
    if (this.closed) return;
    this.closed = true;
    for (const o of this.queue.splice(0)) o.done?.();
    if (flush) this.flush();
    this.batch = [];
    this.batchBytes = 0;
    for (const d of [...this.batchDone.splice(0), ...this.drainWaiters.splice(0)]) d();
  }

  private async pump(): Promise<void> {
    this.pumping = true;
    while (this.queue.length > 0 && !this.closed) {
      let bytes: Buffer;
      try {
        bytes = await this.queue[0]!.bytes;
      } catch (error) {
        this.queue.shift()?.done?.();
        this.pumping = false;
        return this.onError(error);
      }
      const head = this.queue.shift();
      if (head) this.write(bytes, head.done, head.lazy);
    }
    this.pumping = false;
  }

  private write(bytes: Buffer, done?: () => void, lazy = false): void {
    this.batch.push(bytes);
    this.batchBytes += bytes.length;
    if (!lazy) this.eager = true;
    if (done) this.batchDone.push(done);
    if (this.batch.length === 1 && !this.deferred) setImmediate(this.flushLater);
  }

  private readonly flushLater = (): void => {
    if (!this.eager && !this.deferred && this.batchBytes < LAZY_BATCH_LIMIT && this.batch.length > 0) {
      this.deferred = true;
      setImmediate(this.flushLater);
      return;
    }
    this.flush();
  };

  private flush(): void {
    this.deferred = false;
    this.eager = false;
    if (this.batch.length === 0) return;
    const bytes = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch, this.batchBytes);
    const done = this.batchDone;
    this.batch = [];
    this.batchBytes = 0;
    this.batchDone = [];
    if (this.transport.destroyed) return done.forEach((d) => d());
    if (this.transport.write(bytes) || this.transport.writableLength <= this.bufferLimit) done.forEach((d) => d());
    else this.drainWaiters.push(...done);
  }
}
