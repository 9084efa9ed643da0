import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { randomBytes } from 'node:crypto';
import { deflateSync, inflateSync } from 'node:zlib';
import { SpdyProtocolError } from './frames';
import {
  decodeNameValues,
  encodeNameValues,
  HeaderCompressor,
  HeaderDecompressor,
  headerValue,
  SpdyHeaderError,
} from './header-codec';
import { SPDY3_DICTIONARY } from './header-dictionary';

function adler32(b: Buffer): number {
  let a = 1;
  let s = 0;
  for (const x of b) {
    a = (a + x) % 65521;
    s = (s + a) % 65521;
  }
  return ((s << 16) | a) >>> 0;
}

const request = { streamtype: 'data', port: '8080', requestid: '0' };

/** The decoder as first written (a sub-buffer per field): the reference the offset-based one must match. */
function referenceDecode(block: Buffer): Record<string, string[]> {
  const headers = Object.create(null) as Record<string, string[]>;
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

const outcome = (decode: (b: Buffer) => unknown, block: Buffer): string => {
  try {
    return JSON.stringify(decode(block));
  } catch (e) {
    return `${(e as Error).constructor.name}: ${(e as Error).message}`;
  }
};

describe('SPDY header blocks', () => {
  it('lay out names and values after 32-bit lengths, lowercase names, several values joined by NUL', () => {
    const block = encodeNameValues({ Port: '80', accept: ['a', 'b'] });
    const expected = Buffer.concat([
      Buffer.from([0, 0, 0, 2]),
      Buffer.from([0, 0, 0, 4]),
      Buffer.from('port'),
      Buffer.from([0, 0, 0, 2]),
      Buffer.from('80'),
      Buffer.from([0, 0, 0, 6]),
      Buffer.from('accept'),
      Buffer.from([0, 0, 0, 3]),
      Buffer.from('a\0b'),
    ]);
    assert.deepEqual(block, expected);
    const decoded = decodeNameValues(block);
    assert.deepEqual({ ...decoded }, { port: ['80'], accept: ['a', 'b'] });
    assert.equal(headerValue(decoded, 'port'), '80');
    assert.equal(headerValue(decoded, 'missing'), undefined);
  });

  it('decodes exactly as the reference decoder, for valid, cut, padded, bit-flipped and hostile blocks', () => {
    const valid = [
      encodeNameValues(request),
      encodeNameValues({ a: ['x', 'y', ''], __proto__x: 'p', ü: 'ö', empty: '' }),
      encodeNameValues({}),
    ];
    const hostile = [
      Buffer.from([0xff, 0xff, 0xff, 0xff]),
      Buffer.from([0, 0, 0, 1, 0xff, 0xff, 0xff, 0xff, 0x61]),
      Buffer.from([0, 0, 0, 2, 0, 0, 0, 1, 0x61, 0, 0, 0, 0, 0, 0, 0, 1, 0x41, 0, 0, 0, 0]),
      Buffer.from([0, 0, 0, 1, 0, 0, 0, 9, ...Buffer.from('__proto__'), 0, 0, 0, 1, 0x78]),
      Buffer.alloc(0),
    ];
    let compared = 0;
    for (const block of [...valid, ...hostile]) {
      const cases = [block, Buffer.concat([block, Buffer.from([0])])];
      for (let cut = 0; cut < block.length; cut++) cases.push(block.subarray(0, cut));
      for (let i = 0; i < 200; i++) {
        const flipped = Buffer.from(block);
        if (flipped.length > 0) flipped[i % flipped.length]! ^= 1 << (i % 8);
        cases.push(flipped);
      }
      for (let i = 0; i < 50; i++) cases.push(randomBytes(i));
      for (const c of cases) {
        assert.equal(outcome(decodeNameValues, c), outcome(referenceDecode, c), c.toString('hex'));
        compared++;
      }
    }
    assert.ok(compared > 2000);
  });

  it('refuses truncated blocks (session error) and repeated or uppercase names (stream error)', () => {
    const block = encodeNameValues(request);
    assert.throws(() => decodeNameValues(block.subarray(0, block.length - 1)), SpdyProtocolError);
    assert.throws(() => decodeNameValues(Buffer.concat([block, Buffer.from([0])])), SpdyProtocolError);
    const twice = Buffer.concat([
      Buffer.from([0, 0, 0, 2]),
      encodeNameValues({ a: '1' }).subarray(4),
      encodeNameValues({ a: '2' }).subarray(4),
    ]);
    assert.throws(() => decodeNameValues(twice), SpdyHeaderError);
    const upper = Buffer.concat([Buffer.from([0, 0, 0, 1, 0, 0, 0, 1]), Buffer.from('A'), Buffer.from([0, 0, 0, 0])]);
    assert.throws(() => decodeNameValues(upper), /not lowercase/);
  });

  it('uses the SPDY/3 dictionary, announced by its Adler-32 in the zlib header', () => {
    assert.equal(SPDY3_DICTIONARY.length, 1423);
    assert.equal(SPDY3_DICTIONARY.subarray(0, 11).toString('latin1'), '\0\0\0\x07options');
    assert.ok(SPDY3_DICTIONARY.toString('latin1').endsWith('charset=utf-8charset=iso-8859-1,utf-,*,enq=0.'));
    const compressor = new HeaderCompressor();
    try {
      const first = compressor.compress(request);
      // CMF/FLG with FDICT set, then the dictionary id (kubectl's zlib reader checks it).
      assert.equal(first[0]! & 0x0f, 8);
      assert.equal(first[1]! & 0x20, 0x20);
      assert.equal(first.readUInt32BE(2), adler32(SPDY3_DICTIONARY));
      assert.equal(first.readUInt32BE(2), 0xe3c6a7c2);
      // Flushed with Z_SYNC_FLUSH: the block is complete on its own.
      assert.deepEqual(first.subarray(-4), Buffer.from([0, 0, 0xff, 0xff]));
      assert.deepEqual(inflateSync(first, { dictionary: SPDY3_DICTIONARY, finishFlush: 2 }), encodeNameValues(request));
    } finally {
      compressor.close();
    }
  });

  it('compress several blocks in one zlib stream that the decompressor follows in order', () => {
    const compressor = new HeaderCompressor();
    const decompressor = new HeaderDecompressor();
    try {
      const blocks = [
        { ...request, streamtype: 'error' },
        request,
        { ...request, requestid: '1', streamtype: 'error' },
        { ...request, requestid: '1' },
        {},
      ];
      const compressed = blocks.map((b) => compressor.compress(b));
      // Later blocks refer back to earlier ones: repeating headers costs few bytes.
      assert.ok(compressed[1]!.length < compressed[0]!.length, `${compressed[1]!.length} < ${compressed[0]!.length}`);
      const decoded = compressed.map((c) => decompressor.decompress(c));
      assert.deepEqual(
        decoded.map((d) => ({ ...decodeNameValues(d) })),
        blocks.map((b) => Object.fromEntries(Object.entries(b).map(([k, v]) => [k, [v]]))),
      );
      // A second block makes no sense without the first: one fresh decompressor cannot read it.
      const fresh = new HeaderDecompressor();
      assert.throws(() => fresh.decompress(compressed[1]!));
      fresh.close();
    } finally {
      compressor.close();
      decompressor.close();
    }
  });

  it('fails every later block once the stream is corrupt, and after close', () => {
    const decompressor = new HeaderDecompressor();
    assert.throws(() => decompressor.decompress(Buffer.from('not zlib at all')), SpdyProtocolError);
    assert.throws(() => decompressor.decompress(Buffer.from([0x78, 0xbb])), SpdyProtocolError);
    decompressor.close();
    const compressor = new HeaderCompressor();
    compressor.close();
    assert.throws(() => compressor.compress(request), /closed/);
  });

  it('refuses a block that inflates past 256 KiB (a few bytes on the wire), and everything after it', () => {
    const bomb = deflateSync(Buffer.alloc(1024 * 1024), { dictionary: SPDY3_DICTIONARY, finishFlush: 2 });
    assert.ok(bomb.length < 2048);
    const decompressor = new HeaderDecompressor();
    try {
      assert.throws(() => decompressor.decompress(bomb), /more than 262144 bytes/);
      assert.throws(() => decompressor.decompress(Buffer.from([0, 0, 0, 0xff, 0xff])), /more than 262144 bytes/);
    } finally {
      decompressor.close();
    }
  });

  it('gives blocks of any size whole, across many output buffers', () => {
    const compressor = new HeaderCompressor();
    const decompressor = new HeaderDecompressor();
    try {
      for (const size of [0, 1, 16 * 1024 - 40, 16 * 1024, 100_000, 200_000]) {
        // Repetitive (tiny when compressed) and random (compressed as large as it is).
        for (const value of ['x'.repeat(size), randomBytes(Math.ceil(size / 2)).toString('hex')]) {
          const raw = decompressor.decompress(compressor.compress({ big: value, other: ['a', 'b'] }));
          assert.deepEqual({ ...decodeNameValues(raw) }, { big: [value], other: ['a', 'b'] });
        }
      }
    } finally {
      compressor.close();
      decompressor.close();
    }
  });
});
