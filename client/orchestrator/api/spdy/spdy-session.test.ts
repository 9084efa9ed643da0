import { strict as assert } from 'node:assert';
import { once } from 'node:events';
import { createServer, connect, type AddressInfo, type Server, type Socket } from 'node:net';
import { afterEach, beforeEach, describe, it } from 'node:test';
import { encodeFrame, FrameReader, GOAWAY, RST, type Frame } from './frames';
import { SpdySession } from './spdy-session';
import type { SpdyStream } from './spdy-stream';

/** Everything a stream delivers until its readable side ends or it closes. */
function readAll(stream: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.once('end', () => resolve(text));
    stream.once('close', () => resolve(text));
  });
}

/** Resolves once the stream has closed (at once if it already has). */
function closed(stream: SpdyStream): Promise<unknown> {
  return stream.closed ? Promise.resolve() : once(stream, 'close');
}

function nextStream(session: SpdySession): Promise<SpdyStream> {
  return new Promise((resolve) => session.once('stream', resolve));
}

describe('SPDY session over a loopback socket', () => {
  let server: Server;
  let serverSocket: Socket;
  let clientSocket: Socket;
  let serverSession: SpdySession;
  let clientSession: SpdySession;

  beforeEach(async () => {
    server = createServer();
    server.listen(0, '127.0.0.1');
    await once(server, 'listening');
    const accepted = once(server, 'connection') as Promise<[Socket]>;
    clientSocket = connect((server.address() as AddressInfo).port, '127.0.0.1');
    [serverSocket] = await accepted;
    serverSession = new SpdySession(serverSocket, 'server');
    clientSession = new SpdySession(clientSocket, 'client');
  });

  afterEach(() => {
    clientSession.destroy();
    serverSession.destroy();
    server.close();
  });

  it('opens streams with headers, answers them, carries data both ways and half-closes', async () => {
    const incoming = nextStream(serverSession);
    const stream = clientSession.openStream({ streamtype: 'data', port: '80', requestid: '0' });
    const accepted = await incoming;
    assert.equal(accepted.id, 1);
    assert.deepEqual({ ...accepted.headers }, { streamtype: ['data'], port: ['80'], requestid: ['0'] });
    const replied = once(stream, 'reply');
    accepted.reply({ answer: 'yes' });
    assert.deepEqual({ ...((await replied)[0] as object) }, { answer: ['yes'] });
    const serverGot = readAll(accepted);
    stream.end('ping from client');
    // The client closed its side; the server still answers, then closes its own.
    assert.equal(await serverGot, 'ping from client');
    const clientGot = readAll(stream);
    accepted.end('pong from server');
    assert.equal(await clientGot, 'pong from server');
    await closed(stream);
    assert.equal(clientSession.openStreams, 0);
    assert.equal(serverSession.openStreams, 0);
  });

  it('keeps one header compression context across many streams, opened together', async () => {
    const seen: string[] = [];
    serverSession.on('stream', (s) => {
      seen.push(`${s.id}:${s.headers.requestid?.[0]}:${s.headers.streamtype?.[0]}`);
      s.reply();
      s.on('data', (c: Buffer) => s.write(c.toString().toUpperCase()));
      s.on('end', () => s.end());
    });
    const streams = Array.from({ length: 20 }, (_, i) =>
      clientSession.openStream({ streamtype: i % 2 ? 'data' : 'error', port: '80', requestid: String(i >> 1) }),
    );
    const answers = await Promise.all(
      streams.map((s, i) => {
        const got = readAll(s);
        s.end(`stream ${i}`);
        return got;
      }),
    );
    assert.deepEqual(
      answers,
      streams.map((_, i) => `STREAM ${i}`),
    );
    assert.deepEqual(
      seen,
      streams.map((s, i) => `${s.id}:${i >> 1}:${i % 2 ? 'data' : 'error'}`),
    );
    assert.deepEqual(
      streams.map((s) => s.id),
      streams.map((_, i) => 1 + 2 * i),
    );
  });

  it('moves megabytes through one stream intact, with back-pressure', async () => {
    const payload = Buffer.alloc(8 * 1024 * 1024);
    for (let i = 0; i < payload.length; i++) payload[i] = (i * 7 + (i >> 10)) & 0xff;
    serverSession.on('stream', (s) => {
      s.reply();
      s.pipe(s);
    });
    const stream = clientSession.openStream({ streamtype: 'data', port: '1' });
    const chunks: Buffer[] = [];
    stream.on('data', (c: Buffer) => chunks.push(c));
    const ended = once(stream, 'end');
    for (let at = 0; at < payload.length; at += 100_000) {
      if (!stream.write(payload.subarray(at, at + 100_000))) await once(stream, 'drain');
    }
    stream.end();
    await ended;
    assert.ok(Buffer.concat(chunks).equals(payload));
  });

  it('echoes PINGs from the peer and resolves its own', async () => {
    await clientSession.ping();
    await serverSession.ping();
    await Promise.all([clientSession.ping(), clientSession.ping(), serverSession.ping()]);
  });

  it('destroys a stream the peer resets, and the peer learns of a stream destroyed here', async () => {
    const incoming = nextStream(serverSession);
    const stream = clientSession.openStream({ port: '80', streamtype: 'data' });
    const accepted = await incoming;
    accepted.reply();
    const reset = once(accepted, 'reset');
    stream.reset(RST.CANCEL);
    assert.deepEqual(await reset, [RST.CANCEL]);
    await closed(accepted);
    assert.equal(accepted.resetStatus, RST.CANCEL);
    assert.equal(serverSession.openStreams, 0);

    // The other way round: destroying an open stream sends RST_STREAM CANCEL.
    const incoming2 = nextStream(serverSession);
    const stream2 = clientSession.openStream({ port: '80', streamtype: 'data' });
    const accepted2 = await incoming2;
    const reset2 = once(stream2, 'reset');
    accepted2.destroy();
    assert.deepEqual(await reset2, [RST.CANCEL]);
    // The session goes on.
    await clientSession.ping();
  });

  it('ends the session with GOAWAY PROTOCOL_ERROR on bytes that are no SPDY', async () => {
    const raw = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const [socket] = (await once(server, 'connection')) as [Socket];
    const session = new SpdySession(socket, 'server');
    const closed = once(session, 'close');
    const reader = new FrameReader();
    const frames: Frame[] = [];
    raw.on('data', (c: Buffer) => frames.push(...reader.push(c)));
    raw.write(Buffer.from([0x80, 0x02, 0x00, 0x01, 0, 0, 0, 0]));
    const [error] = (await closed) as [Error];
    assert.match(error.message, /unsupported SPDY version 2/);
    await once(raw, 'close');
    assert.deepEqual(frames, [{ type: 'goaway', lastGoodStreamId: 0, status: GOAWAY.PROTOCOL_ERROR }]);
  });

  it('refuses new streams after GOAWAY and resets data for streams never opened', async () => {
    const raw = connect((server.address() as AddressInfo).port, '127.0.0.1');
    const [socket] = (await once(server, 'connection')) as [Socket];
    const session = new SpdySession(socket, 'server');
    const reader = new FrameReader();
    const frames: Frame[] = [];
    raw.on('data', (c: Buffer) => frames.push(...reader.push(c)));
    raw.write(encodeFrame({ type: 'data', streamId: 9, fin: false, data: Buffer.from('x') }));
    raw.write(encodeFrame({ type: 'ping', id: 1 }));
    while (frames.length < 2) await once(raw, 'data');
    assert.deepEqual(frames.splice(0), [
      { type: 'rst_stream', streamId: 9, status: RST.INVALID_STREAM },
      { type: 'ping', id: 1 },
    ]);
    session.goAway();
    while (frames.length < 1) await once(raw, 'data');
    assert.deepEqual(frames, [{ type: 'goaway', lastGoodStreamId: 0, status: GOAWAY.OK }]);
    raw.destroy();
    session.destroy();
  });
});
