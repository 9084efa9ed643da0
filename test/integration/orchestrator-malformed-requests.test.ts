/**
 * The API fuzz test's `no answer: ECONNRESET` (seed 20250612): a request the HTTP parser refuses
 * (a raw non-ASCII byte, a raw space or a control character in its path, headers over the limit)
 * gets an HTTP status on a keep-alive connection too, never a reset, and the server goes on.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { connect } from 'node:tls';
import { BUNDLE, clusterFixture, type ClusterProcess } from './support/cluster-process';
import { rawRequest } from './support/raw-api';

/** Writes `bytes` on one TLS connection to the API and reads until the server closes it. */
function exchange(cluster: ClusterProcess, bytes: Buffer): Promise<string> {
  const api = new URL(cluster.api);
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    const socket = connect(
      { host: api.hostname, port: Number(api.port), ca: readFileSync(join(cluster.dataDir, 'apiserver.crt')) },
      () => socket.write(bytes),
    );
    socket.on('data', (c: Buffer) => chunks.push(c));
    socket.on('end', () => resolve(Buffer.concat(chunks).toString('latin1')));
    socket.on('error', (e: Error) =>
      reject(new Error(`${e.message} after ${Buffer.concat(chunks).toString('latin1')}`)),
    );
  });
}

describe('requests the HTTP parser refuses', { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' }, () => {
  const f = clusterFixture('kw-malformed-');
  const head = (method: string, target: Buffer | string, extra = '') => {
    const token = readFileSync(join(f.cluster.dataDir, 'token'), 'utf8').trim();
    return Buffer.concat([
      Buffer.from(`${method} `),
      Buffer.from(target),
      Buffer.from(` HTTP/1.1\r\nHost: x\r\nAuthorization: Bearer ${token}\r\n${extra}\r\n`),
    ]);
  };
  /** The status lines of the responses in `text` (a body need not end in a line break). */
  const statuses = (text: string) => text.match(/HTTP\/1\.1 \d{3} [^\r]*/g) ?? [];

  it('a PATCH with a raw non-ASCII namespace after a keep-alive GET gets a 400, and the next request works', async () => {
    const body = '[{"op":"add","path":"/spec/replicas","value":1}]';
    const text = await exchange(
      f.cluster,
      Buffer.concat([
        head('GET', '/api/v1/namespaces/default'),
        head(
          'PATCH',
          Buffer.from('/api/v1/namespaces/\xe9/services/fz-11', 'latin1'),
          `Content-Type: application/json-patch+json\r\nContent-Length: ${body.length}\r\n`,
        ),
        Buffer.from(body),
      ]),
    );
    assert.deepEqual(statuses(text), ['HTTP/1.1 200 OK', 'HTTP/1.1 400 Bad Request']);
    assert.match(text, /"kind":"Status".*"code":400/);
    const next = await rawRequest(f.cluster, 'GET', '/api/v1/namespaces/default');
    assert.equal(next.status, 200);
  });

  for (const [what, target] of [
    ['raw UTF-8', Buffer.from('/api/v1/namespaces/caf\u00e9/configmaps', 'utf8')],
    ['a raw space', Buffer.from('/api/v1/namespaces/a b/configmaps')],
    ['a control character', Buffer.from('/api/v1/namespaces/a\x01b/configmaps')],
  ] as const) {
    it(`${what} in the path gets a 400`, async () => {
      assert.deepEqual(statuses(await exchange(f.cluster, head('GET', target))), ['HTTP/1.1 400 Bad Request']);
    });
  }

  it('headers over the limit get a 431, and kubectl still answers', async () => {
    const text = await exchange(f.cluster, head('GET', '/api/v1/namespaces', `X-Big: ${'a'.repeat(100_000)}\r\n`));
    assert.deepEqual(statuses(text), ['HTTP/1.1 431 Request Header Fields Too Large']);
    assert.match(f.ok(['get', 'namespaces', '-o', 'name']), /namespace\/default/);
  });
});
