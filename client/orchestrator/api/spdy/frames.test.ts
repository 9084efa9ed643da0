import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { decodeFrame, encodeFrame, FrameReader, GOAWAY, RST, SpdyProtocolError, type Frame } from './frames';

const samples: Frame[] = [
  { type: 'data', streamId: 1, fin: false, data: Buffer.from('hello') },
  { type: 'data', streamId: 0x7fffffff, fin: true, data: Buffer.alloc(0) },
  {
    type: 'syn_stream',
    streamId: 3,
    associatedId: 0,
    priority: 7,
    slot: 0,
    fin: false,
    unidirectional: true,
    block: Buffer.from([1, 2, 3]),
  },
  { type: 'syn_reply', streamId: 3, fin: true, block: Buffer.from([9, 9]) },
  { type: 'headers', streamId: 5, fin: false, block: Buffer.alloc(0) },
  { type: 'rst_stream', streamId: 7, status: RST.CANCEL },
  {
    type: 'settings',
    clear: true,
    entries: [
      { flags: 1, id: 4, value: 100 },
      { flags: 0, id: 7, value: 65536 },
    ],
  },
  { type: 'ping', id: 0xfffffffe },
  { type: 'goaway', lastGoodStreamId: 9, status: GOAWAY.PROTOCOL_ERROR },
  { type: 'window_update', streamId: 0, delta: 1 << 20 },
];

describe('SPDY frames', () => {
  it('decode to what was encoded, for every frame type', () => {
    for (const frame of samples) assert.deepEqual(decodeFrame(encodeFrame(frame)), frame, frame.type);
  });

  it('are laid out as the draft says: control bit, version 3, type, flags, 24-bit length', () => {
    const ping = encodeFrame({ type: 'ping', id: 1 });
    assert.deepEqual([...ping], [0x80, 0x03, 0x00, 0x06, 0x00, 0x00, 0x00, 0x04, 0, 0, 0, 1]);
    const data = encodeFrame({ type: 'data', streamId: 3, fin: true, data: Buffer.from('ab') });
    assert.deepEqual([...data], [0, 0, 0, 3, 0x01, 0, 0, 2, 0x61, 0x62]);
    const rst = encodeFrame({ type: 'rst_stream', streamId: 5, status: RST.PROTOCOL_ERROR });
    assert.deepEqual([...rst], [0x80, 0x03, 0x00, 0x03, 0, 0, 0, 8, 0, 0, 0, 5, 0, 0, 0, 1]);
  });

  it('are cut out of a byte stream that arrives one byte at a time or many frames at once', () => {
    const bytes = Buffer.concat(samples.map(encodeFrame));
    const oneByOne = new FrameReader();
    const got: Frame[] = [];
    for (const b of bytes) got.push(...oneByOne.push(Buffer.from([b])));
    assert.deepEqual(got, samples);
    assert.equal(oneByOne.buffered, 0);
    const allAtOnce = new FrameReader();
    assert.deepEqual(allAtOnce.push(bytes), samples);
    // A frame split across two pushes comes out once the second part is there.
    const split = new FrameReader();
    const ping = encodeFrame({ type: 'ping', id: 5 });
    assert.deepEqual(split.push(Buffer.concat([ping, ping.subarray(0, 9)])), [{ type: 'ping', id: 5 }]);
    assert.equal(split.buffered, 9);
    assert.deepEqual(split.push(ping.subarray(9)), [{ type: 'ping', id: 5 }]);
  });

  it('keeps a large data frame whole', () => {
    const data = Buffer.alloc(300_000, 7);
    const reader = new FrameReader();
    const encoded = encodeFrame({ type: 'data', streamId: 1, fin: false, data });
    const frames = [
      ...reader.push(encoded.subarray(0, 100_000)),
      ...reader.push(encoded.subarray(100_000, 200_000)),
      ...reader.push(encoded.subarray(200_000)),
    ];
    assert.equal(frames.length, 1);
    assert.deepEqual(frames[0], { type: 'data', streamId: 1, fin: false, data });
  });

  it('reads unknown control frames as unknown (to ignore) and refuses other versions and stream 0 data', () => {
    const unknown = Buffer.from([0x80, 0x03, 0x00, 0x0a, 0, 0, 0, 2, 1, 2]);
    assert.deepEqual(decodeFrame(unknown), { type: 'unknown', controlType: 10 });
    const v2 = Buffer.from([0x80, 0x02, 0x00, 0x06, 0, 0, 0, 4, 0, 0, 0, 1]);
    assert.throws(() => decodeFrame(v2), SpdyProtocolError);
    const zero = Buffer.from([0, 0, 0, 0, 0, 0, 0, 0]);
    assert.throws(() => decodeFrame(zero), SpdyProtocolError);
    const shortPing = Buffer.from([0x80, 0x03, 0x00, 0x06, 0, 0, 0, 2, 0, 1]);
    assert.throws(() => decodeFrame(shortPing), /PING frame of 2 bytes is too short/);
  });
});
