/**
 * A bounds-checked reader of the protobuf wire format. Every read checks what
 * is left of its buffer, a varint is at most 10 bytes, and every error names
 * the byte offset (from the start of the request body) where it happened.
 */
import { StatusError } from '../../store/errors';

export const WIRE = { varint: 0, fixed64: 1, bytes: 2, fixed32: 5 } as const;
const WIRE_NAMES = ['varint', 'fixed64', 'length-delimited', 'group start', 'group end', 'fixed32'];

export function wireName(wire: number): string {
  return WIRE_NAMES[wire] ?? `unknown (${wire})`;
}

export function protobufError(why: string, at: number): StatusError {
  return new StatusError(
    'BadRequest',
    `the body of the request could not be decoded as protobuf: ${why} at byte ${at}`,
  );
}

export class ProtoReader {
  private pos = 0;
  /** `base`: where `buf` starts in the request body, for error positions. */
  constructor(
    private readonly buf: Buffer,
    private readonly base = 0,
  ) {}

  get done(): boolean {
    return this.pos >= this.buf.length;
  }

  /** The offset of the next byte, from the start of the request body. */
  get offset(): number {
    return this.base + this.pos;
  }

  fail(why: string, at = this.offset): StatusError {
    return protobufError(why, at);
  }

  varint(): bigint {
    const start = this.offset;
    let result = 0n;
    for (let i = 0; i < 10; i++) {
      if (this.pos >= this.buf.length) throw this.fail('truncated varint', start);
      const byte = this.buf[this.pos++]!;
      result |= BigInt(byte & 0x7f) << BigInt(7 * i);
      if ((byte & 0x80) === 0) return BigInt.asUintN(64, result);
    }
    throw this.fail('varint longer than 10 bytes', start);
  }

  /** A field key: its number and wire type. */
  key(): { number: number; wire: number; at: number } {
    const at = this.offset;
    const key = this.varint();
    const number = Number(key >> 3n);
    if (number === 0 || number > 0x1fffffff) throw this.fail(`invalid field number ${number}`, at);
    return { number, wire: Number(key & 7n), at };
  }

  /** The payload of a length-delimited field, as a reader positioned in the body. */
  sub(): ProtoReader {
    const start = this.offset;
    const length = this.varint();
    if (length > BigInt(this.buf.length - this.pos))
      throw this.fail(`length ${length} runs past the end of its message`, start);
    const n = Number(length);
    const out = new ProtoReader(this.buf.subarray(this.pos, this.pos + n), this.offset);
    this.pos += n;
    return out;
  }

  rest(): Buffer {
    return this.buf.subarray(this.pos);
  }

  private fixed(size: number): void {
    if (this.buf.length - this.pos < size) throw this.fail(`truncated ${size * 8}-bit value`);
    this.pos += size;
  }

  skip(wire: number, at: number): void {
    if (wire === WIRE.varint) this.varint();
    else if (wire === WIRE.fixed64) this.fixed(8);
    else if (wire === WIRE.bytes) this.sub();
    else if (wire === WIRE.fixed32) this.fixed(4);
    else throw this.fail(`unsupported wire type ${wireName(wire)}`, at);
  }
}
