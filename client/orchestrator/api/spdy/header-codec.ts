/**
 * SPDY/3 name/value header blocks (SPDY/3 draft, section 2.6.10): a 32-bit
 * count, then for each pair the name and the value, each after its 32-bit
 * big-endian length; names are lowercase, several values of one name are
 * joined with NUL bytes. Every block a peer sends is compressed with zlib in
 * ONE stream for the whole session (primed with `SPDY3_DICTIONARY` and
 * flushed with Z_SYNC_FLUSH after each block), so each direction keeps one
 * compressor or decompressor and feeds it the blocks in frame order.
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
  let at = 0;
  const read = (n: number, what: string): Buffer => {
    if (at + n > block.length) throw new SpdyProtocolError(`header block ends inside ${what}`);
    const out = block.subarray(at, at + n);
    at += n;
    return out;
  };
  const count = read(4, 'the pair count').readUInt32BE(0);
  let problem: string | undefined;
  for (let i = 0; i < count; i++) {
    const name = read(read(4, 'a name length').readUInt32BE(0), 'a name').toString('utf8');
    const value = read(read(4, 'a value length').readUInt32BE(0), 'a value').toString('utf8');
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

/**
 * Runs blocks one at a time through a zlib stream that lives as long as the
 * session, flushing after each so the block's output is complete.
 */
class ZlibBlocks {
  private tail: Promise<unknown> = Promise.resolve();
  private failed: Error | undefined;
  /** Output of the block in progress ('data' comes before the flush callback). */
  private output: Buffer[] = [];
  private size = 0;
  private rejectCurrent: ((error: Error) => void) | undefined;

  constructor(private readonly z: Deflate | Inflate) {
    z.on('error', (error: Error) => {
      this.failed ??= error;
      this.rejectCurrent?.(this.failed);
    });
    z.on('data', (chunk: Buffer) => {
      this.size += chunk.length;
      if (this.size <= MAX_BLOCK) this.output.push(chunk);
    });
  }

  run(block: Buffer): Promise<Buffer> {
    const next = this.tail.then(() => this.once(block));
    this.tail = next.catch(() => undefined);
    return next;
  }

  close(): void {
    this.failed ??= new Error('the SPDY session is closed');
    this.rejectCurrent?.(this.failed);
    this.z.destroy();
  }

  private once(block: Buffer): Promise<Buffer> {
    return new Promise((resolve, reject) => {
      if (this.failed) return reject(this.failed);
      this.output = [];
      this.size = 0;
      this.rejectCurrent = reject;
      this.z.write(block);
      this.z.flush(constants.Z_SYNC_FLUSH, () => {
        this.rejectCurrent = undefined;
        if (this.failed) return reject(this.failed);
        if (this.size > MAX_BLOCK) {
          this.failed = new SpdyProtocolError(`header block of more than ${MAX_BLOCK} bytes`);
          return reject(this.failed);
        }
        resolve(Buffer.concat(this.output, this.size));
      });
    });
  }
}

/** Compresses the header blocks one side sends, in the order it sends them. */
export class HeaderCompressor {
  private readonly blocks = new ZlibBlocks(createDeflate({ dictionary: SPDY3_DICTIONARY }));

  compress(headers: Readonly<Record<string, string | readonly string[]>>): Promise<Buffer> {
    return this.blocks.run(encodeNameValues(headers));
  }

  close(): void {
    this.blocks.close();
  }
}

/** Decompresses the header blocks one side receives, in the order it receives them. */
export class HeaderDecompressor {
  private readonly blocks = new ZlibBlocks(createInflate({ dictionary: SPDY3_DICTIONARY }));

  /** The raw name/value block (to decode with `decodeNameValues`). */
  decompress(compressed: Buffer): Promise<Buffer> {
    return this.blocks.run(compressed);
  }

  close(): void {
    this.blocks.close();
  }
}
