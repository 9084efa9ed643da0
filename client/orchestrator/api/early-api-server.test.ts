/**
 * The early API socket: answers /version and liveness with the token at once,
 * parks everything else (other paths, a wrong token, writes, upgrades) and hands
 * it all, in order of arrival, to the API's listeners; closing it drops what is parked.
 */
import assert from 'node:assert/strict';
import type { IncomingMessage, ServerResponse } from 'node:http';
import { request } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import type { Duplex } from 'node:stream';
import { bindPort } from './bound-port';
import { selfSignedCertificate } from './certificate';
import { listenEarly, type EarlyApi } from './early-api-server';
import { versionInfo } from './version-info';

const TOKEN = 'early-token';

interface Answer {
  status: number | string;
  body: string;
}

function call(port: number, path: string, opts: { token?: string; method?: string; upgrade?: boolean } = {}) {
  return new Promise<Answer>((resolve) => {
    const req = request({
      host: '127.0.0.1',
      port,
      path,
      method: opts.method ?? 'GET',
      rejectUnauthorized: false,
      agent: false,
      headers: {
        ...(opts.token === undefined ? {} : { authorization: `Bearer ${opts.token}` }),
        ...(opts.upgrade ? { connection: 'Upgrade', upgrade: 'websocket' } : {}),
      },
    });
    req.on('response', (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
    });
    req.on('upgrade', (_res, socket) => {
      socket.destroy();
      resolve({ status: 101, body: '' });
    });
    req.on('error', (error: NodeJS.ErrnoException) => resolve({ status: error.code ?? 'error', body: '' }));
    req.end();
  });
}

describe('early API socket', () => {
  const tls = selfSignedCertificate('kube-workbench');
  let early: EarlyApi;
  before(async () => {
    early = await listenEarly({ token: TOKEN, tls, port: 0 });
  });
  after(() => early.close());

  it('answers /version and liveness at once, with the token', async () => {
    const version = await call(early.port, '/version?timeout=32s', { token: TOKEN });
    assert.deepEqual(
      { status: version.status, body: JSON.parse(version.body) as unknown },
      {
        status: 200,
        body: versionInfo(),
      },
    );
    assert.deepEqual(await call(early.port, '/livez', { token: TOKEN }), { status: 200, body: 'ok' });
  });

  it('parks the rest and hands it over in order of arrival; later requests go straight to the API', async () => {
    const seen: string[] = [];
    let arrived = 0;
    const count = (req: IncomingMessage) => void (req.url === '/healthz' || arrived++);
    early.server.on('request', count);
    early.server.on('upgrade', count);
    const answers = [
      call(early.port, '/api/v1/namespaces', { token: TOKEN }),
      call(early.port, '/version'), // no token: the API says 401, not the early socket
      call(early.port, '/readyz', { token: TOKEN }),
      call(early.port, '/api/v1/namespaces', { token: TOKEN, method: 'POST' }),
      call(early.port, '/api/v1/namespaces/default/pods/p/exec', { token: TOKEN, upgrade: true }),
    ];
    for (const deadline = Date.now() + 10_000; arrived < answers.length;) {
      assert.ok(Date.now() < deadline, `only ${arrived} requests arrived`);
      // Still answered while the others wait.
      assert.equal((await call(early.port, '/healthz', { token: TOKEN })).status, 200);
    }
    early.server.off('request', count);
    early.server.off('upgrade', count);
    early.handOver(
      (req: IncomingMessage, res: ServerResponse) => {
        seen.push(`${req.method} ${req.url}`);
        res.writeHead(req.headers.authorization ? 200 : 401);
        res.end(`api ${req.method} ${req.url}`);
      },
      (req: IncomingMessage, socket: Duplex) => {
        seen.push(`upgrade ${req.url}`);
        socket.end('HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: websocket\r\n\r\n');
      },
    );
    const got = await Promise.all(answers);
    assert.deepEqual(
      got.map((a) => a.status),
      [200, 401, 200, 200, 101],
    );
    assert.equal(got[0]!.body, 'api GET /api/v1/namespaces');
    assert.equal(seen.length, 5);
    // Taken over: the API answers /version now too.
    assert.deepEqual(await call(early.port, '/version', { token: TOKEN }), { status: 200, body: 'api GET /version' });
  });

  it('drops what is parked when closed without a hand-over', async () => {
    const other = await listenEarly({ token: TOKEN, tls, port: 0, kubernetesVersion: '1.33' });
    const parked = call(other.port, '/version', { token: TOKEN }); // a chosen version: parked too
    assert.equal((await call(other.port, '/livez', { token: TOKEN })).status, 200);
    await other.close();
    const answer = await parked;
    assert.equal(typeof answer.status, 'string'); // the connection was closed unanswered
  });

  it('refuses a port already taken', async () => {
    await assert.rejects(listenEarly({ token: TOKEN, tls, port: early.port }), /EADDRINUSE/);
    await assert.rejects(bindPort(early.port, '127.0.0.1'), /EADDRINUSE/);
  });

  it('answers clients that connected to the bound port before TLS was set up, and those after', async () => {
    const bound = await bindPort(0, '127.0.0.1');
    const port = (bound.server.address() as AddressInfo).port;
    // Connected while only the plain socket listens: their TLS hellos wait, unanswered.
    const waiting = [call(port, '/version', { token: TOKEN }), call(port, '/api/v1/pods', { token: TOKEN })];
    await new Promise((resolve) => setTimeout(resolve, 200));
    const other = await listenEarly({ token: TOKEN, tls, port, bound });
    try {
      assert.equal(other.port, port);
      const version = await waiting[0]!;
      assert.deepEqual(
        { status: version.status, body: JSON.parse(version.body) as unknown },
        {
          status: 200,
          body: versionInfo(),
        },
      );
      assert.deepEqual(await call(port, '/livez', { token: TOKEN }), { status: 200, body: 'ok' });
      other.handOver(
        (req: IncomingMessage, res: ServerResponse) => res.end(`api ${req.url}`),
        (_req: IncomingMessage, socket: Duplex) => socket.destroy(),
      );
      assert.deepEqual(await waiting[1], { status: 200, body: 'api /api/v1/pods' });
    } finally {
      await other.close();
    }
    // Closed: the port is free again.
    const again = await bindPort(port, '127.0.0.1');
    await new Promise((resolve) => again.server.close(resolve));
  });
});
