import { isUtf8 } from 'node:buffer';
import { TextDecoder } from 'node:util';

/** A byte sequence that is not UTF-8, at a UTF-16 offset of the decoded text (where U+FFFD stands for it). */
export interface EncodingProblem {
  readonly offset: number;
  /** go-yaml's words, which kubectl prints: "invalid leading UTF-8 octet" and the like. */
  readonly message: string;
}

export type Encoding = 'utf-8' | 'utf-16le' | 'utf-16be';

/**
 * Turns a file's bytes into text block by block, as kubectl's YAML reader
 * does: a UTF-16 byte order mark (LE or BE) selects UTF-16, a UTF-8 one is
 * skipped, anything else is UTF-8, and a byte sequence that is not UTF-8 is a
 * problem at its place (decoded as U+FFFD so the rest keeps its positions).
 * A sequence cut by the end of a block waits for the next one.
 */
export class ByteDecoder {
  private encoding: Encoding | undefined;
  private utf16: TextDecoder | undefined;
  private carry: Buffer = Buffer.alloc(0);
  private started = false;

  get detected(): Encoding | undefined {
    return this.encoding;
  }

  /** The text of the next block (`final` for the last), with the problems in it (offsets into that text). */
  decode(block: Buffer, final = false): { text: string; problems: EncodingProblem[] } {
    let bytes = this.carry.length > 0 ? Buffer.concat([this.carry, block]) : block;
    this.carry = Buffer.alloc(0);
    if (!this.started) {
      if (bytes.length < 3 && !final) {
        this.carry = Buffer.from(bytes); // too few bytes yet to tell a byte order mark
        return { text: '', problems: [] };
      }
      this.started = true;
      if (bytes[0] === 0xff && bytes[1] === 0xfe) this.encoding = 'utf-16le';
      else if (bytes[0] === 0xfe && bytes[1] === 0xff) this.encoding = 'utf-16be';
      else this.encoding = 'utf-8';
      if (this.encoding !== 'utf-8') {
        this.utf16 = new TextDecoder(this.encoding);
        bytes = bytes.subarray(2);
      } else if (bytes[0] === 0xef && bytes[1] === 0xbb && bytes[2] === 0xbf) bytes = bytes.subarray(3);
    }
    if (this.utf16) return { text: this.utf16.decode(bytes, { stream: !final }), problems: [] };
    const end = final ? bytes.length : completeEnd(bytes);
    this.carry = Buffer.from(bytes.subarray(end));
    const whole = bytes.subarray(0, end);
    return isUtf8(whole) ? { text: whole.toString('utf8'), problems: [] } : decodeChecked(whole);
  }
}

/** Where the last complete UTF-8 sequence of a block ends (a sequence cut at the end is left for the next block). */
function completeEnd(bytes: Buffer): number {
  for (let back = 1; back <= 3 && back <= bytes.length; back++) {
    const b = bytes[bytes.length - back] ?? 0;
    if (b < 0x80) return bytes.length; // ASCII: nothing cut
    if (b >= 0xc0) return sequenceLength(b) > back ? bytes.length - back : bytes.length;
  }
  return bytes.length;
}

function sequenceLength(lead: number): number {
  if (lead >= 0xc2 && lead <= 0xdf) return 2;
  if (lead >= 0xe0 && lead <= 0xef) return 3;
  if (lead >= 0xf0 && lead <= 0xf4) return 4;
  return 0;
}

/** Decodes UTF-8 byte by byte, noting every ill-formed sequence (the slow path, only for blocks that need it). */
function decodeChecked(bytes: Buffer): { text: string; problems: EncodingProblem[] } {
  const parts: string[] = [];
  const problems: EncodingProblem[] = [];
  let length = 0;
  let from = 0;
  const flush = (to: number): void => {
    if (to > from) {
      const piece = bytes.toString('utf8', from, to);
      parts.push(piece);
      length += piece.length;
    }
  };
  for (let i = 0; i < bytes.length;) {
    const lead = bytes[i] ?? 0;
    if (lead < 0x80) {
      i++;
      continue;
    }
    const size = sequenceLength(lead);
    let problem: string | undefined;
    let bad = 1;
    if (size === 0) problem = 'invalid leading UTF-8 octet';
    else if (i + size > bytes.length && validPrefix(bytes, i, bytes.length)) {
      problem = 'incomplete UTF-8 octet sequence';
      bad = bytes.length - i;
    } else {
      for (let k = 1; k < size; k++) {
        if (!validContinuation(lead, k, bytes[i + k] ?? 0)) {
          problem = 'invalid trailing UTF-8 octet';
          bad = k;
          break;
        }
      }
    }
    if (problem === undefined) {
      i += size;
      continue;
    }
    flush(i);
    problems.push({ offset: length, message: problem });
    parts.push('\ufffd');
    length += 1;
    i += bad;
    from = i;
  }
  flush(bytes.length);
  return { text: parts.join(''), problems };
}

function validPrefix(bytes: Buffer, start: number, end: number): boolean {
  const lead = bytes[start] ?? 0;
  for (let k = 1; start + k < end; k++) if (!validContinuation(lead, k, bytes[start + k] ?? 0)) return false;
  return true;
}

/** Whether `b` may be the k-th byte of a sequence led by `lead` (no overlong forms, surrogates or values past U+10FFFF). */
function validContinuation(lead: number, k: number, b: number): boolean {
  if (k === 1) {
    if (lead === 0xe0) return b >= 0xa0 && b <= 0xbf;
    if (lead === 0xed) return b >= 0x80 && b <= 0x9f;
    if (lead === 0xf0) return b >= 0x90 && b <= 0xbf;
    if (lead === 0xf4) return b >= 0x80 && b <= 0x8f;
  }
  return b >= 0x80 && b <= 0xbf;
}

/** A whole file's text, decoded as `ByteDecoder` does (the problems dropped: the editor shows its own). */
export function decodeFileBytes(bytes: Buffer): string {
  return new ByteDecoder().decode(bytes, true).text;
}
