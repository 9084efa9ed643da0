import type { Readable } from 'node:stream';
import { logStep } from '../parallel/step-log.js';

/** Header bytes past which the input is not read as LSP framing any more (the monitor gives up). */
const MAX_HEADER_BYTES = 8 * 1024;

/** The longest `settled()` waits: a client that stops half-way through a message never stalls background work. */
export const MAX_WAIT_MS = 1000;

/**
 * Whether a message from the editor is partly received, read from the same bytes the connection
 * reads (`Content-Length` framing, as over --stdio): a large `didOpen` arrives in 64 kB reads, and
 * background work (the start-up scan's parsing) that runs between them holds back its arrival.
 * `settled()` lets such work wait until the message is whole. The monitor only observes: input it
 * cannot frame (a malformed or oversized header) switches it off, and the connection reports that.
 * Other transports (VS Code's node IPC) deliver whole messages only: there, nothing is ever partial.
 */
export class MessageInFlight {
  /** Body bytes of the current message not received yet; 0 between messages. */
  private remaining = 0;
  /** The current message's header as received so far (ASCII). */
  private header = '';
  private off = false;
  /** The current message is over 64 kB (the step log notes its first and last read). */
  private large = false;
  private waiters: (() => void)[] = [];

  /**
   * Reads `input`'s 'data' events beside the connection's own reader: call it once the connection
   * listens (a 'data' listener starts the stream flowing). Unwatched, nothing is ever partial.
   */
  watch(input: Readable): void {
    input.on('data', (chunk: Buffer | string) => this.received(typeof chunk === 'string' ? Buffer.from(chunk) : chunk));
  }

  /** True while part of a message has arrived and the rest has not. */
  get partial(): boolean {
    return !this.off && (this.remaining > 0 || this.header.length > 0);
  }

  /** Resolves once no message is partly received (at once when none is), or after `MAX_WAIT_MS` at most. */
  settled(): Promise<void> {
    if (!this.partial) return Promise.resolve();
    return new Promise((resolve) => {
      const timer = setTimeout(resolve, MAX_WAIT_MS);
      this.waiters.push(() => {
        clearTimeout(timer);
        resolve();
      });
    });
  }

  /** Follows the framing over one chunk of input. */
  received(chunk: Buffer): void {
    let at = 0;
    while (!this.off && at < chunk.length) {
      if (this.remaining > 0) {
        const taken = Math.min(this.remaining, chunk.length - at);
        this.remaining -= taken;
        at += taken;
        if (this.remaining === 0 && this.large) logStep('message whole');
        continue;
      }
      // The header's end may straddle two chunks: look for it across the join first.
      const kept = this.header.length;
      const probe = kept > 0 ? this.header + chunk.toString('latin1', at, Math.min(chunk.length, at + 3)) : '';
      const across = kept > 0 ? probe.indexOf('\r\n\r\n', Math.max(0, kept - 3)) : -1;
      const end = across >= 0 ? -1 : chunk.indexOf('\r\n\r\n', at, 'latin1');
      if (across < 0 && end < 0) {
        this.header += chunk.toString('latin1', at);
        if (this.header.length > MAX_HEADER_BYTES) this.giveUp();
        return;
      }
      const header = across >= 0 ? probe.slice(0, across) : this.header + chunk.toString('latin1', at, end);
      at = across >= 0 ? at + across + 4 - kept : end + 4;
      this.header = '';
      const length = /(?:^|\r\n)content-length:[ \t]*(\d{1,12})[ \t]*(?:\r\n|$)/i.exec(header);
      if (!length) return this.giveUp();
      this.remaining = Number(length[1]);
      this.large = this.remaining > 65536;
      if (this.large) logStep('message first read');
    }
    if (!this.partial) this.wake();
  }

  private giveUp(): void {
    this.off = true;
    this.header = '';
    this.remaining = 0;
    this.wake();
  }

  private wake(): void {
    const waiters = this.waiters;
    this.waiters = [];
    for (const resolve of waiters) resolve();
  }
}
