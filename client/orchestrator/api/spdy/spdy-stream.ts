/**
 * One SPDY stream as a Node duplex: what is written goes out as DATA frames,
 * `end()` sends an empty DATA frame with FIN (half close), DATA from the peer
 * is read, its FIN ends the readable side. A RST_STREAM from the peer
 * destroys the stream (event 'reset' with the status first); destroying it
 * before both sides have closed sends RST_STREAM CANCEL. No 'error' events
 * come from the protocol: a reset stream just closes.
 */
import { Duplex } from 'node:stream';
import { MAX_PAYLOAD, RST } from './frames';
import type { SpdyHeaders } from './header-codec';

/** What a stream needs from its session. */
export interface StreamHost {
  /** `done` once the transport took the frame (also when the session is gone: the stream is destroyed then). */
  sendData(streamId: number, data: Buffer, fin: boolean, done?: () => void): void;
  sendReply(streamId: number, headers: Readonly<Record<string, string | readonly string[]>>, fin: boolean): void;
  sendReset(streamId: number, status: number): void;
  /** The stream's reader is behind: stop reading the transport. */
  block(stream: SpdyStream): void;
  unblock(stream: SpdyStream): void;
  /** Both sides closed or reset: no more frames for this stream. */
  forget(stream: SpdyStream): void;
}

/** Bytes written to a stream and not yet taken by the session before `write` says wait. */
export const WRITABLE_HIGH_WATER_MARK = 128 * 1024;

export class SpdyStream extends Duplex {
  /** Headers of the SYN_REPLY, once it came (streams this side opened). */
  replyHeaders: SpdyHeaders | undefined;
  /** The RST_STREAM status the peer sent, if it reset the stream. */
  resetStatus: number | undefined;
  private localClosed = false;
  private remoteClosed = false;
  private replied = false;

  constructor(
    private readonly host: StreamHost,
    readonly id: number,
    /** Headers of the SYN_STREAM. */
    readonly headers: SpdyHeaders,
    options: { remoteClosed?: boolean; localClosed?: boolean } = {},
  ) {
    // A pod's socket reads 64 KiB at a time: one read must not already be over the mark.
    super({ allowHalfOpen: true, writableHighWaterMark: WRITABLE_HIGH_WATER_MARK });
    if (options.localClosed) this.localClosed = true;
    if (options.remoteClosed) {
      this.remoteClosed = true;
      this.push(null);
    }
  }

  /** Answers a stream the peer opened (SYN_REPLY); data may follow. */
  reply(headers: Readonly<Record<string, string | readonly string[]>> = {}, fin = false): void {
    if (this.replied || this.destroyed) return;
    this.replied = true;
    if (fin) this.localClosed = true;
    this.host.sendReply(this.id, headers, fin);
    if (fin) this.end();
    this.settle();
  }

  /** Resets the stream (RST_STREAM with `status`) and destroys it. */
  reset(status: number = RST.CANCEL): void {
    if (this.destroyed) return;
    if (!this.fullyClosed) this.host.sendReset(this.id, status);
    this.localClosed = this.remoteClosed = true;
    this.destroy();
  }

  get fullyClosed(): boolean {
    return this.localClosed && this.remoteClosed;
  }

  /** @internal DATA from the peer. */
  receiveData(data: Buffer, fin: boolean): void {
    if (this.remoteClosed) {
      this.reset(RST.STREAM_ALREADY_CLOSED);
      return;
    }
    if (data.length > 0 && !this.push(data)) this.host.block(this);
    if (fin) this.receiveFin();
  }

  /** @internal FIN from the peer (on DATA, SYN_REPLY or HEADERS). */
  receiveFin(): void {
    if (this.remoteClosed) return;
    this.remoteClosed = true;
    this.push(null);
    this.settle();
  }

  /** @internal SYN_REPLY from the peer. */
  receiveReply(headers: SpdyHeaders, fin: boolean): void {
    this.replyHeaders = headers;
    this.emit('reply', headers);
    if (fin) this.receiveFin();
  }

  /** @internal RST_STREAM from the peer. */
  receiveReset(status: number): void {
    this.resetStatus = status;
    this.localClosed = this.remoteClosed = true;
    this.emit('reset', status);
    this.destroy();
  }

  override _write(chunk: Buffer, _encoding: BufferEncoding, callback: (error?: Error | null) => void): void {
    if (this.localClosed) return callback(new Error(`SPDY stream ${this.id} is closed for writing`));
    if (chunk.length === 0) return callback();
    for (let at = 0; at < chunk.length; at += MAX_PAYLOAD) {
      const last = at + MAX_PAYLOAD >= chunk.length;
      this.host.sendData(this.id, chunk.subarray(at, at + MAX_PAYLOAD), false, last ? () => callback() : undefined);
    }
  }

  override _final(callback: (error?: Error | null) => void): void {
    if (!this.localClosed) {
      this.localClosed = true;
      this.host.sendData(this.id, Buffer.alloc(0), true);
      this.settle();
    }
    callback();
  }

  override _read(): void {
    this.host.unblock(this);
  }

  override _destroy(error: Error | null, callback: (error?: Error | null) => void): void {
    if (!this.fullyClosed) this.host.sendReset(this.id, RST.CANCEL);
    this.localClosed = this.remoteClosed = true;
    this.host.unblock(this);
    this.host.forget(this);
    callback(error);
  }

  private settle(): void {
    if (this.fullyClosed) this.host.forget(this);
  }
}
