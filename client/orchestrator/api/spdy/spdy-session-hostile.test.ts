/**
 * A server-side SPDY session against a peer that writes raw frames: frame
 * lengths, flow-control windows and stream ids chosen to break it.
 */
import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { encodeFrame, FrameReader, GOAWAY, MAX_CONTROL_PAYLOAD, RST, type Frame } from './frames';
import { HeaderCompressor } from './header-codec';
import { SpdySession } from './spdy-session';

/** A raw peer of a server session: what it writes, and every frame the session sent back. */
interface RawPeer {
  raw: Socket;
  session: SpdySession;
  frames: Frame[];
  compressor: HeaderCompressor;
  /** Waits until the session has sent `n` frames in all. */
  received(n: number): Promise<Frame[]>;
}

describe('SPDY session against hostile frames', () => {
  let server: Server;

  before(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
  });

  after(() => server.close());

  const peer = async (): Promise<RawPeer> => {
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    const raw = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const [socket] = await accepted;
    const session = new SpdySession(socket, 'server');
    // An echo server: every stream is answered and what it carries comes back on it.
    session.on('stream', (stream) => {
      stream.reply();
      stream.pipe(stream);
    });
    const reader = new FrameReader();
    const frames: Frame[] = [];
    raw.on('data', (c: Buffer) => frames.push(...reader.push(c)));
    const received = async (n: number) => {
      while (frames.length < n) await Promise.race([once(raw, 'data'), once(raw, 'close')]);
      return frames;
    };
    return { raw, session, frames, compressor: new HeaderCompressor(), received };
  };

  const synStream = (p: RawPeer, streamId: number, fin = false) =>
    encodeFrame({
      type: 'syn_stream',
      streamId,
      associatedId: 0,
      priority: 0,
      slot: 0,
      fin,
      unidirectional: false,
      block: p.compressor.compress({ streamtype: 'data' }),
    });

  it('refuses a control frame longer than any header block from its 8 bytes of header, naming where it starts', async () => {
    const p = await peer();
    const closed = once(p.session, 'close');
    p.raw.write(encodeFrame({ type: 'ping', id: 1 }));
    // A SYN_STREAM that says 16 MiB follow: nothing more is sent, the session must not wait for them.
    p.raw.write(Buffer.from([0x80, 0x03, 0x00, 0x01, 0x00, 0xff, 0xff, 0xff]));
    const [error] = (await closed) as [Error];
    assert.equal(error.message, `control frame of ${0xffffff} bytes at byte 12 (at most ${MAX_CONTROL_PAYLOAD})`);
    assert.deepEqual(await p.received(2), [
      { type: 'ping', id: 1 },
      { type: 'goaway', lastGoodStreamId: 0, status: GOAWAY.PROTOCOL_ERROR },
    ]);
    p.raw.destroy();
  });

  it('keeps carrying data after windows grown past 2^31-1 and frames for streams that never existed', async () => {
    const p = await peer();
    p.raw.write(synStream(p, 1));
    const max = 0x7fffffff;
    for (const streamId of [1, 1, 0, 0, 41]) p.raw.write(encodeFrame({ type: 'window_update', streamId, delta: max }));
    p.raw.write(encodeFrame({ type: 'rst_stream', streamId: 43, status: RST.CANCEL }));
    p.raw.write(encodeFrame({ type: 'headers', streamId: 45, fin: true, block: p.compressor.compress({ a: 'b' }) }));
    p.raw.write(encodeFrame({ type: 'data', streamId: 1, fin: false, data: Buffer.from('still ') }));
    p.raw.write(encodeFrame({ type: 'data', streamId: 1, fin: true, data: Buffer.from('here') }));
    const frames = await p.received(4);
    assert.equal(frames[0]?.type, 'syn_reply');
    const echoed = frames
      .slice(1)
      .map((f) => (f.type === 'data' && f.streamId === 1 ? f.data.toString() : `${f.type} ${JSON.stringify(f)}`))
      .join('');
    assert.equal(echoed, 'still here');
    assert.equal(p.session.isClosed, false);
    p.raw.destroy();
  });

  it('resets a stream that gets DATA after its FIN, and DATA for a stream id the peer never opened', async () => {
    const p = await peer();
    // In one write, so 'late' is read while stream 1 is still open for sending.
    p.raw.write(
      Buffer.concat([
        synStream(p, 1, true),
        encodeFrame({ type: 'data', streamId: 1, fin: false, data: Buffer.from('late') }),
        encodeFrame({ type: 'data', streamId: 7, fin: false, data: Buffer.from('who?') }),
      ]),
    );
    const frames = await p.received(3);
    assert.deepEqual(
      frames.filter((f) => f.type === 'rst_stream'),
      [
        { type: 'rst_stream', streamId: 1, status: RST.STREAM_ALREADY_CLOSED },
        { type: 'rst_stream', streamId: 7, status: RST.INVALID_STREAM },
      ],
    );
    p.raw.destroy();
  });

  it('ends the session when a SYN_STREAM reuses a stream id or has the server side parity', async () => {
    for (const [ids, bad, lastGood] of [
      [[3, 1], 1, 3],
      [[3, 3], 3, 3],
      [[2], 2, 0],
    ] as const) {
      const p = await peer();
      const closed = once(p.session, 'close');
      const ended = once(p.raw, 'end');
      p.raw.write(Buffer.concat(ids.map((id) => synStream(p, id))));
      const [error] = (await closed) as [Error];
      assert.equal(error.message, `SYN_STREAM with stream id ${bad}`);
      await ended;
      assert.deepEqual(
        p.frames.filter((f) => f.type === 'goaway'),
        [{ type: 'goaway', lastGoodStreamId: lastGood, status: GOAWAY.PROTOCOL_ERROR }],
      );
      p.raw.destroy();
    }
  });
});
