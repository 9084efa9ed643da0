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
 */
import type { Duplex } from 'node:stream';

/** Bytes a transport may hold before senders wait for its 'drain'. */
export const DEFAULT_BUFFER_LIMIT = 256 * 1024;

interface Outgoing {
  bytes: Buffer | Promise<Buffer>;
  done?: (() => void) | undefined;
}

export class FrameWriter {
  private queue: Outgoing[] = [];
  private pumping = false;
  private batch: Buffer[] = [];
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
   * the session is gone then).
   */
  send(bytes: Buffer | Promise<Buffer>, done?: () => void): void {
    if (this.closed) return done?.();
    if (this.queue.length === 0 && Buffer.isBuffer(bytes)) return this.write(bytes, done);
    this.queue.push({ bytes, done });
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
      if (head) this.write(bytes, head.done);
    }
    this.pumping = false;
  }

  private write(bytes: Buffer, done?: () => void): void {
    this.batch.push(bytes);
    if (done) this.batchDone.push(done);
    if (this.batch.length === 1) setImmediate(this.flushLater);
  }

  private readonly flushLater = (): void => this.flush();

  private flush(): void {
    if (this.batch.length === 0) return;
    const bytes = this.batch.length === 1 ? this.batch[0]! : Buffer.concat(this.batch);
    const done = this.batchDone;
    this.batch = [];
    this.batchDone = [];
    if (this.transport.destroyed) return done.forEach((d) => d());
    if (this.transport.write(bytes) || this.transport.writableLength <= this.bufferLimit) done.forEach((d) => d());
    else this.drainWaiters.push(...done);
  }
}
