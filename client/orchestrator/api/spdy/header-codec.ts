/**
 * SPDY/3 name/value header blocks (SPDY/3 draft, section 2.6.10): a 32-bit
 * count, then for each pair the name and the value, each after its 32-bit
 * big-endian length; names are lowercase, several values of one name are
 * joined with NUL bytes. Every block a peer sends is compressed with zlib in
 * ONE stream for the whole session (primed with `SPDY3_DICTIONARY` and
 * flushed with Z_SYNC_FLUSH after each block), so each direction keeps one
 * compressor or decompressor and feeds it the blocks in frame order,
 * synchronously (a header block costs microseconds; no frame waits for it).
 */
import { constants, createDeflate, createInflate, type Deflate, type Inflate } from 'node:zlib';
import { SPDY3_DICTIONARY } from './header-dictionary';
import { SpdyProtocolError } from './frames';

/** Header names (lowercase) to their values. */
export type SpdyHeaders = Record<string, string[]>;

/** Headers a stream cannot accept (empty, repeated or uppercase names): that stream is reset, the session goes on. */
export class SpdyHeaderError extends Error {}

/** The largest decompressed header block accepted. */
const MAX_BLOCK = 256 * 1024;

/** The uncompressed name/value block of `headers` (names lowercased, arrays joined with NUL). */
export function encodeNameValues(headers: Readonly<Record<string, string | readonly string[]>>): Buffer {
  const entries = Object.entries(headers);
  const parts: Buffer[] = [u32(entries.length)];
  for (const [name, value] of entries) {
    const n = Buffer.from(name.toLowerCase(), 'utf8');
    const v = Buffer.from(typeof value === 'string' ? value : value.join('\0'), 'utf8');
    parts.push(u32(n.length), n, u32(v.length), v);
  }
  return Buffer.concat(parts);
}

/** The headers in an uncompressed name/value block. */
export function decodeNameValues(block: Buffer): SpdyHeaders {
  const headers: SpdyHeaders = Object.create(null) as SpdyHeaders;
  // Offsets into the block, no sub-buffer per field: this runs for every stream kubectl opens.
  let at = 0;
  const length = (what: string): number => {
    if (at + 4 > block.length) throw new SpdyProtocolError(`header block ends inside ${what}`);
    const n = block.readUInt32BE(at);
    at += 4;
    return n;
  };
  const text = (n: number, what: string): string => {
    if (at + n > block.length) throw new SpdyProtocolError(`header block ends inside ${what}`);
    const out = block.toString('utf8', at, at + n);
    at += n;
    return out;
  };
  const count = length('the pair count');
  let problem: string | undefined;
  for (let i = 0; i < count; i++) {
    const name = text(length('a name length'), 'a name');
    const value = text(length('a value length'), 'a value');
    if (name === '') problem ??= 'empty header name';
    else if (name !== name.toLowerCase()) problem ??= `header name ${JSON.stringify(name)} is not lowercase`;
    else if (headers[name]) problem ??= `header ${JSON.stringify(name)} appears twice`;
    headers[name.toLowerCase()] = value.split('\0');
  }
  if (at !== block.length) throw new SpdyProtocolError('header block has bytes after its last pair');
  if (problem) throw new SpdyHeaderError(problem);
  return headers;
}

/** The first value of a header, if present. */
export function headerValue(headers: SpdyHeaders, name: string): string | undefined {
  return headers[name]?.[0];
}

function u32(n: number): Buffer {
  const b = Buffer.alloc(4);
  b.writeUInt32BE(n);
  return b;
}

/** What a Node zlib stream keeps inside: its native handle and where that handle reports how far it got. */
interface ZlibInternals {
  _handle?: {
    writeSync(
      flush: number,
      input: Buffer,
      inOff: number,
      inLen: number,
      out: Buffer,
      outOff: number,
      outLen: number,
    ): void;
    onerror: (errno: number, code: number | string, message: string) => void;
  };
  _writeState?: Uint32Array;
}

/**
 * Runs blocks one at a time, synchronously, through a zlib context that
 * lives as long as the session, flushing after each so the block's output
 * is complete. Node has no public API for a synchronous zlib stream (its
 * `*Sync` functions make a fresh context per call, and the stream API goes
 * through the thread pool: a round trip per header block, with every later
 * frame waiting behind it), so this drives the stream's native handle
 * directly, as Node's own `inflateSync` does, without closing it after each block.
 */
class ZlibBlocks {
  private failed: Error | undefined;
  private readonly out = Buffer.allocUnsafe(16 * 1024);
  private readonly handle: NonNullable<ZlibInternals['_handle']>;
  private readonly state: Uint32Array;

  constructor(private readonly z: Deflate | Inflate) {
    const inside = z as unknown as ZlibInternals;
    if (typeof inside._handle?.writeSync !== 'function' || !(inside._writeState instanceof Uint32Array))
      throw new Error('this Node.js has no synchronous zlib handle');
    this.handle = inside._handle;
    this.state = inside._writeState;
    // Called synchronously from writeSync when zlib reports an error.
    this.handle.onerror = (_errno, _code, message) => {
      this.failed ??= new SpdyProtocolError(`header block: ${message}`);
    };
  }

  run(block: Buffer): Buffer {
    this.throwIfFailed();
    const parts: Buffer[] = [];
    let size = 0;
    let inOff = 0;
    let inLen = block.length;
    for (;;) {
      this.handle.writeSync(constants.Z_SYNC_FLUSH, block, inOff, inLen, this.out, 0, this.out.length);
      this.throwIfFailed(); // onerror may have run inside writeSync
      const availOut = this.state[0]!;
      const availIn = this.state[1]!;
      const have = this.out.length - availOut;
      size += have;
      if (size > MAX_BLOCK) {
        this.failed = new SpdyProtocolError(`header block of more than ${MAX_BLOCK} bytes`);
        throw this.failed;
      }
      if (have > 0) parts.push(Buffer.from(this.out.subarray(0, have)));
      inOff += inLen - availIn;
      inLen = availIn;
      // Output space left over: zlib took all it could and flushed.
      if (availOut !== 0) break;
    }
    return parts.length === 1 ? parts[0]! : Buffer.concat(parts, size);
  }

  private throwIfFailed(): void {
    if (this.failed) throw this.failed;
  }

  close(): void {
    this.failed ??= new Error('the SPDY session is closed');
    this.z.close();
  }
}

/** Compresses the header blocks one side sends, in the order it sends them. */
export class HeaderCompressor {
  private readonly blocks = new ZlibBlocks(createDeflate({ dictionary: SPDY3_DICTIONARY }));

  /** Throws once closed. */
  compress(headers: Readonly<Record<string, string | readonly string[]>>): Buffer {
    return this.blocks.run(encodeNameValues(headers));
  }

  close(): void {
    this.blocks.close();
  }
}

/** Decompresses the header blocks one side receives, in the order it receives them. */
export class HeaderDecompressor {
  private readonly blocks = new ZlibBlocks(createInflate({ dictionary: SPDY3_DICTIONARY }));

  /** The raw name/value block (to decode with `decodeNameValues`); throws on a corrupt or oversized block, and after any earlier failure. */
  decompress(compressed: Buffer): Buffer {
    return this.blocks.run(compressed);
  }

  close(): void {
    this.blocks.close();
  }
}
