/** The Debug Adapter Protocol's framing (`Content-Length` headers), and the one change made to messages on their way to the debugger. No `vscode` here. */

export interface DapMessage {
  type?: string;
  command?: string;
  arguments?: Record<string, unknown>;
  [key: string]: unknown;
}

/** Splits a DAP byte stream into messages; throws on a header without a valid length. */
export class DapFramer {
  private buffer = Buffer.alloc(0);

  /** The complete messages in `chunk` and what came before it. */
  push(chunk: Buffer): unknown[] {
    this.buffer = Buffer.concat([this.buffer, chunk]);
    const out: unknown[] = [];
    for (;;) {
      const end = this.buffer.indexOf('\r\n\r\n');
      if (end < 0) {
        if (this.buffer.length > 8192) throw new Error('DAP header longer than 8 KiB');
        return out;
      }
      const header = this.buffer.subarray(0, end).toString('ascii');
      const m = /(?:^|\r\n)Content-Length:\s*(\d{1,9})\s*(?:\r\n|$)/i.exec(header);
      if (!m) throw new Error(`DAP header without Content-Length: ${header.slice(0, 80)}`);
      const length = Number(m[1]);
      if (this.buffer.length < end + 4 + length) return out;
      out.push(JSON.parse(this.buffer.subarray(end + 4, end + 4 + length).toString('utf8')));
      this.buffer = this.buffer.subarray(end + 4 + length);
    }
  }
}

/** One DAP message with its header. */
export function frame(message: unknown): Buffer {
  const body = Buffer.from(JSON.stringify(message), 'utf8');
  return Buffer.concat([Buffer.from(`Content-Length: ${body.length}\r\n\r\n`, 'ascii'), body]);
}

/** A `disconnect` request made to leave the program running; any other message unchanged. */
export function keepDebuggee(message: DapMessage): DapMessage {
  if (message.type !== 'request' || message.command !== 'disconnect') return message;
  return { ...message, arguments: { ...message.arguments, terminateDebuggee: false } };
}
