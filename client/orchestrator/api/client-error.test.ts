import { strict as assert } from 'node:assert';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { connect } from 'node:tls';
import { selfSignedCertificate } from './certificate';
import { answerClientErrors } from './client-error';

const tls = selfSignedCertificate('test');

/** Writes `bytes` on one TLS connection and reads until the server closes it. */
function exchange(port: number, bytes: Buffer | string): Promise<string> {
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect({ host: '127.0.0.1', port, ca: tls.cert, servername: 'localhost' }, () =>
      socket.write(bytes),
    );
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', (e: Error) =>
      reject(new Error(`${e.message} after ${Buffer.concat(chunks).toString('latin1')}`)),
    );
  });
}

/** The status lines of the responses in `text` (a body need not end in a line break). */
const statusLines = (text: string) => text.match(/HTTP\/1\.1 \d{3} [^\r]*/g) ?? [];

describe('answers for requests the HTTP parser refuses', () => {
  let server: Server;
  let port = 0;
  before(async () => {
    server = createServer({ key: tls.key, cert: tls.cert }, (req, res) => {
      req.resume();
      req.on('end', () => {
        res.writeHead(200, { 'Content-Type': 'text/plain' });
        res.end(`ok ${req.url}`);
      });
    });
    answerClientErrors(server);
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    port = (server.address() as AddressInfo).port;
  });
  after(() => {
    server.closeAllConnections();
    server.close();
  });

  const get = (target: string | Buffer) =>
    Buffer.concat([Buffer.from('GET '), Buffer.from(target), Buffer.from(' HTTP/1.1\r\nHost: x\r\n\r\n')]);

  for (const [what, target] of [
    ['a raw non-ASCII byte', Buffer.from('/api/v1/namespaces/\xe9/services/a', 'latin1')],
    ['raw UTF-8', Buffer.from('/api/v1/namespaces/é/services/a', 'utf8')],
    ['a control character', '/api/v1/namespaces/a\x01b'],
    ['a DEL', '/api/v1/namespaces/a\x7fb'],
  ] as const) {
    it(`answers a 400 Status for ${what} in the path, after the keep-alive answer before it`, async () => {
      const text = await exchange(port, Buffer.concat([get('/first'), get(target)]));
      assert.deepEqual(statusLines(text), ['HTTP/1.1 200 OK', 'HTTP/1.1 400 Bad Request']);
      assert.match(text, /ok \/first/);
      assert.match(text, /"reason":"BadRequest","code":400/);
      assert.match(text, /Connection: close/i);
    });
  }

  it('answers a 400 for a raw space in the request target, and a 400 for a bad request line', async () => {
    assert.deepEqual(statusLines(await exchange(port, 'GET /a b/c HTTP/1.1\r\nHost: x\r\n\r\n')), [
      'HTTP/1.1 400 Bad Request',
    ]);
    assert.deepEqual(statusLines(await exchange(port, 'GET\r\n\r\n')), ['HTTP/1.1 400 Bad Request']);
  });

  it('answers a PATCH with a body and a non-ASCII path with a 400, not a reset', async () => {
    const body = `[{"op":"add","path":"/x","value":"${'x'.repeat(100_000)}"}]`;
    const head =
      `PATCH /api/v1/namespaces/\xe9/services/fz HTTP/1.1\r\nHost: x\r\n` +
      `Content-Type: application/json-patch+json\r\nContent-Length: ${body.length}\r\n\r\n`;
    const text = await exchange(port, Buffer.concat([get('/first'), Buffer.from(head, 'latin1'), Buffer.from(body)]));
    assert.deepEqual(statusLines(text), ['HTTP/1.1 200 OK', 'HTTP/1.1 400 Bad Request']);
  });

  it('answers 431 for headers over the limit and 400 for a method the parser does not know', async () => {
    const big = `GET / HTTP/1.1\r\nHost: x\r\nX-Big: ${'a'.repeat(100_000)}\r\n\r\n`;
    assert.deepEqual(statusLines(await exchange(port, big)), ['HTTP/1.1 431 Request Header Fields Too Large']);
    assert.deepEqual(statusLines(await exchange(port, 'FROB / HTTP/1.1\r\nHost: x\r\n\r\n')), [
      'HTTP/1.1 400 Bad Request',
    ]);
  });

  it('answers a malformed header and a bad Content-Length', async () => {
    assert.deepEqual(statusLines(await exchange(port, 'GET / HTTP/1.1\r\nHost: x\r\nBad Header: v\r\n\r\n')), [
      'HTTP/1.1 400 Bad Request',
    ]);
    assert.deepEqual(statusLines(await exchange(port, 'POST / HTTP/1.1\r\nHost: x\r\nContent-Length: abc\r\n\r\n')), [
      'HTTP/1.1 400 Bad Request',
    ]);
  });

  it('keeps answering well-formed requests on new connections', async () => {
    const text = await exchange(port, 'GET /after HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n');
    assert.match(text, /ok \/after/);
  });
});
