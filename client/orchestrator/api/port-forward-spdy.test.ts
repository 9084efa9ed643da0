/**
 * pods/portforward over plain SPDY (the upgrade kubectl falls back to) in
 * process: the API server on loopback TLS, a SPDY client session of our own
 * speaking kubectl's stream pairs, and "pods" that are TCP servers on
 * 127.0.0.1 (PodIo.portForward connects to them).
 */
import { strict as assert } from 'node:assert';
import { randomBytes } from 'node:crypto';
import { once } from 'node:events';
import type { IncomingHttpHeaders } from 'node:http';
import { request } from 'node:https';
import { connect, createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { selfSignedCertificate } from './certificate';
import { FakeClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { chain } from './admission/admission';
import { defaultsAdmission } from './admission/defaults';
import { validationAdmission } from './admission/validation';
import { ApiServer, type RunningApiServer } from './api-server';
import type { PodIo } from './pod-io';
import { STREAM_CREATION_TIMEOUT_MS } from './port-forward-spdy';
import { Registry } from './registry';
import { RST } from './spdy/frames';
import { SpdySession } from './spdy/spdy-session';
import { SPDY_TUNNEL_PROTOCOL } from './port-forward-upgrade';
import type { SpdyStream } from './spdy/spdy-stream';

const TOKEN = 'test-token';
const tls = selfSignedCertificate('test');

type Upgrade = { session: SpdySession; headers: IncomingHttpHeaders } | { status: number; body: string };

function readAll(stream: SpdyStream): Promise<string> {
  return new Promise((resolve) => {
    let text = '';
    stream.on('data', (c: Buffer) => (text += c.toString()));
    stream.once('end', () => resolve(text));
    stream.once('close', () => resolve(text));
  });
}

describe('pods/portforward over SPDY', () => {
  const clock = new FakeClock();
  let store: ObjectStore;
  let running: RunningApiServer;
  let echo: Server;
  const podConnections: Socket[] = [];
  let closedPort: number;

  const upgrade = (pod: string, version = 'portforward.k8s.io'): Promise<Upgrade> =>
    new Promise((resolve, reject) => {
      const req = request(new URL(`/api/v1/namespaces/default/pods/${pod}/portforward`, running.url), {
        method: 'POST',
        ca: tls.cert,
        headers: {
          Authorization: `Bearer ${TOKEN}`,
          Connection: 'Upgrade',
          Upgrade: 'SPDY/3.1',
          'X-Stream-Protocol-Version': version,
        },
      });
      req.on('upgrade', (res, socket, head) => {
        if (head.length > 0) socket.unshift(head);
        resolve({ session: new SpdySession(socket, 'client'), headers: res.headers });
      });
      req.on('response', (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      });
      req.on('error', reject);
      req.end();
    });

  const session = async (): Promise<SpdySession> => {
    const u = await upgrade('web');
    assert.ok('session' in u, JSON.stringify(u));
    assert.equal(u.headers['x-stream-protocol-version'], 'portforward.k8s.io');
    assert.equal(u.headers.upgrade, 'SPDY/3.1');
    return u.session;
  };

  /** The two streams kubectl opens for one local connection. */
  const pair = (s: SpdySession, port: number, requestId: string | undefined) => {
    const headers = { port: String(port), ...(requestId !== undefined ? { requestid: requestId } : {}) };
    const error = s.openStream({ ...headers, streamtype: 'error' });
    error.end();
    const data = s.openStream({ ...headers, streamtype: 'data' });
    return { error, data, errorText: readAll(error) };
  };

  before(async () => {
    echo = createServer((socket) => {
      podConnections.push(socket);
      socket.pipe(socket);
    });
    echo.listen(0, '127.0.0.1');
    await once(echo, 'listening');
    const spare = createServer().listen(0, '127.0.0.1');
    await once(spare, 'listening');
    closedPort = (spare.address() as AddressInfo).port;
    spare.close();
    const pods: PodIo = {
      logs: () => Promise.reject(new Error('no logs here')),
      exec: () => Promise.reject(new Error('no exec here')),
      attach: () => Promise.reject(new Error('no attach here')),
      portForward: (_pod, port) =>
        new Promise((resolve, reject) => {
          const target = port === 80 ? (echo.address() as AddressInfo).port : closedPort;
          const socket = connect(target, '127.0.0.1', () => resolve(socket));
          socket.once('error', reject);
        }),
    };
    store = await ObjectStore.open({ clock, historySize: 3 });
    await store.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
    await store.create('/pods', { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'web', namespace: 'default' } });
    const ctx = {
      store,
      clock,
      registry: new Registry(),
      admission: chain(defaultsAdmission, validationAdmission),
      pods,
    };
    running = await new ApiServer({ ...ctx, token: TOKEN, tls, port: 0 }).listen();
  });

  after(async () => {
    await running.close();
    echo.close();
  });

  it('forwards each stream pair to its own connection into the pod, several at once', async () => {
    const s = await session();
    const pairs = [0, 1, 2].map((i) => pair(s, 80, String(i)));
    const answers = await Promise.all(
      pairs.map((p, i) => {
        const got = readAll(p.data);
        p.data.end(`request ${i}`);
        return got;
      }),
    );
    // The pod answered each and closed when the client closed: both streams end, the error stream empty.
    assert.deepEqual(answers, ['request 0', 'request 1', 'request 2']);
    assert.deepEqual(await Promise.all(pairs.map((p) => p.errorText)), ['', '', '']);
    // Later requests on the same session work too, and PINGs are answered.
    const later = pair(s, 80, '3');
    const got = readAll(later.data);
    later.data.end('again');
    assert.equal(await got, 'again');
    await s.ping();
    s.destroy();
  });

  it('writes why a port cannot be reached on the error stream and closes both streams', async () => {
    const s = await session();
    const p = pair(s, 81, '0');
    const data = readAll(p.data);
    const text = await p.errorText;
    assert.match(
      text,
      /^error forwarding port 81 to pod web, uid [0-9a-f-]{36}: connect ECONNREFUSED 127\.0\.0\.1:\d+$/,
    );
    assert.equal(await data, '');
    // The session is still usable for the next request.
    const ok = pair(s, 80, '1');
    const got = readAll(ok.data);
    ok.data.end('still here');
    assert.equal(await got, 'still here');
    s.destroy();
  });

  it('pairs streams by stream id for clients that send no requestid', async () => {
    const s = await session();
    const p = pair(s, 80, undefined);
    assert.equal(p.data.id, p.error.id + 2);
    const got = readAll(p.data);
    p.data.end('old client');
    assert.equal(await got, 'old client');
    s.destroy();
  });

  it('drops the pod connection when the client resets the data stream', async () => {
    const s = await session();
    const before = podConnections.length;
    const p = pair(s, 80, '0');
    const got = new Promise<string>((resolve) => p.data.once('data', (c: Buffer) => resolve(c.toString())));
    p.data.write('hello');
    assert.equal(await got, 'hello');
    const conn = podConnections[before]!;
    const connClosed = once(conn, 'close');
    p.data.reset(RST.CANCEL);
    await connClosed;
    assert.equal(await p.errorText, '');
    s.destroy();
  });

  it('connects to the pod with the first stream of a request, and closes that connection if the pair never completes', async () => {
    const s = await session();
    const before = podConnections.length;
    const accepted = once(echo, 'connection');
    const error = s.openStream({ streamtype: 'error', port: '80', requestid: '9' });
    const replied = once(error, 'reply');
    error.end();
    const text = readAll(error);
    // The pod is reached before the data stream exists.
    await accepted;
    assert.equal(podConnections.length, before + 1);
    const connClosed = once(podConnections[before]!, 'close');
    await replied;
    await s.ping();
    clock.advance(STREAM_CREATION_TIMEOUT_MS);
    assert.equal(await text, 'timed out waiting for streams of request 9');
    await connClosed;
    s.destroy();
  });

  it('forwards to the port the data stream names when the error stream named another', async () => {
    const s = await session();
    const error = s.openStream({ streamtype: 'error', port: '81', requestid: '0' });
    error.end();
    const errorText = readAll(error);
    const data = s.openStream({ streamtype: 'data', port: '80', requestid: '0' });
    const got = readAll(data);
    data.end('to port 80');
    assert.equal(await got, 'to port 80');
    assert.equal(await errorText, '');
    s.destroy();
  });

  it('resets streams with bad headers, and tells a request whose pair never completes', async () => {
    const s = await session();
    const noPort = s.openStream({ streamtype: 'data', requestid: '0' });
    assert.deepEqual(await once(noPort, 'reset'), [RST.PROTOCOL_ERROR]);
    const badType = s.openStream({ streamtype: 'stdin', port: '80', requestid: '0' });
    assert.deepEqual(await once(badType, 'reset'), [RST.PROTOCOL_ERROR]);
    const badPort = s.openStream({ streamtype: 'data', port: '70000', requestid: '0' });
    assert.deepEqual(await once(badPort, 'reset'), [RST.PROTOCOL_ERROR]);
    const lonely = s.openStream({ streamtype: 'error', port: '80', requestid: '7' });
    lonely.end();
    const text = readAll(lonely);
    await once(lonely, 'reply');
    await s.ping();
    clock.advance(STREAM_CREATION_TIMEOUT_MS);
    assert.equal(await text, 'timed out waiting for streams of request 7');
    s.destroy();
  });

  it('answers with a Status instead of upgrading for a missing pod or another protocol', async () => {
    const missing = await upgrade('nope');
    assert.ok('status' in missing);
    assert.equal(missing.status, 404);
    assert.equal((JSON.parse(missing.body) as { message: string }).message, 'pods "nope" not found');
    const other = await upgrade('web', 'channel.k8s.io');
    assert.ok('status' in other);
    assert.equal(other.status, 403);
    assert.match((JSON.parse(other.body) as { message: string }).message, /unable to negotiate protocol/);
  });

  it("refuses kubectl's WebSocket tunnel with a 400 it falls back from, and serves the tunnel to other clients", async () => {
    // The handshake only: the SPDY inside the tunnel is the same session (the kubectl integration test carries data).
    const tunnel = (userAgent: string) =>
      new Promise<{ status: number; body: string; protocol?: string }>((resolve, reject) => {
        const req = request(new URL('/api/v1/namespaces/default/pods/web/portforward', running.url), {
          ca: tls.cert,
          headers: {
            Authorization: `Bearer ${TOKEN}`,
            'User-Agent': userAgent,
            Connection: 'Upgrade',
            Upgrade: 'websocket',
            'Sec-WebSocket-Version': '13',
            'Sec-WebSocket-Key': randomBytes(16).toString('base64'),
            'Sec-WebSocket-Protocol': SPDY_TUNNEL_PROTOCOL,
          },
        });
        req.on('upgrade', (res, socket) => {
          socket.destroy();
          resolve({ status: res.statusCode ?? 0, body: '', protocol: String(res.headers['sec-websocket-protocol']) });
        });
        req.on('response', (res) => {
          let body = '';
          res.on('data', (c: Buffer) => (body += c.toString()));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
        });
        req.on('error', reject);
        req.end();
      });
    const kubectl = await tunnel('kubectl/v1.32.4 (linux/amd64) kubernetes/4cb5f07');
    assert.equal(kubectl.status, 400);
    assert.match((JSON.parse(kubectl.body) as { message: string }).message, /served to kubectl over plain SPDY/);
    const other = await tunnel('some-tool/1.0');
    assert.equal(other.status, 101);
    assert.equal(other.protocol, SPDY_TUNNEL_PROTOCOL);
  });
});
