import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { checkLoadOptions, sendLoad } from './load-generator';

describe('the load generator', () => {
  let server: Server;
  let url = '';
  let hosts: string[] = [];
  let inFlight = 0;
  let most = 0;
  before(async () => {
    server = createServer((req, res) => {
      hosts.push(req.headers.host ?? '');
      inFlight++;
      most = Math.max(most, inFlight);
      setTimeout(() => {
        inFlight--;
        res.writeHead(req.url === '/missing' ? 404 : 200).end('ok');
      }, 20);
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => server.close());

  it('refuses targets off loopback, other schemes and out-of-bounds settings, saying which', async () => {
    const base = { concurrency: 1, ratePerSecond: 0, durationSeconds: 1 };
    await assert.rejects(checkLoadOptions({ ...base, url: 'http://192.0.2.1/' }), /loopback addresses only/);
    await assert.rejects(checkLoadOptions({ ...base, url: 'https://127.0.0.1/' }), /http:\/\/ only/);
    await assert.rejects(checkLoadOptions({ ...base, url: 'not a url' }), /is not a URL/);
    await assert.rejects(
      checkLoadOptions({ ...base, url, concurrency: 0 }),
      /concurrency must be a whole number from 1 to 200/,
    );
    await assert.rejects(checkLoadOptions({ ...base, url, concurrency: 1.5 }), /concurrency/);
    await assert.rejects(checkLoadOptions({ ...base, url, durationSeconds: 1e9 }), /duration must be .* to 600/);
    await assert.rejects(checkLoadOptions({ ...base, url, ratePerSecond: -1 }), /rate/);
    assert.equal((await checkLoadOptions({ ...base, url: 'http://localhost:1/' })).port, '1');
  });

  it('keeps at most its concurrency in flight, sends the Host header, and stops by itself', async () => {
    hosts = [];
    most = 0;
    const stats = await sendLoad({
      url: `${url}/`,
      host: 'web.example',
      concurrency: 4,
      ratePerSecond: 0,
      durationSeconds: 1,
    });
    assert.ok(stats.sent > 4, `it sent ${stats.sent} requests`);
    assert.equal(stats.ok, stats.sent);
    assert.equal(stats.inFlight, 0);
    assert.ok(most <= 4, `the server saw ${most} at once`);
    assert.ok(hosts.every((h) => h === 'web.example'));
    assert.ok(stats.p50Ms !== null && stats.p95Ms !== null && stats.p95Ms >= stats.p50Ms);
  });

  it('holds an overall rate, counts answers by status, and stops when aborted', async () => {
    const rated = await sendLoad({ url: `${url}/missing`, concurrency: 8, ratePerSecond: 20, durationSeconds: 1 });
    // 20/s for one second: the first slot is at once, so at most 21 start.
    assert.ok(rated.sent <= 21 && rated.sent >= 5, `it sent ${rated.sent}`);
    assert.deepEqual(Object.keys(rated.statuses), ['404']);
    assert.equal(rated.failed, rated.sent);
    const abort = new AbortController();
    setTimeout(() => abort.abort(), 200);
    const aborted = await sendLoad({
      url: `${url}/`,
      concurrency: 2,
      ratePerSecond: 0,
      durationSeconds: 600,
      signal: abort.signal,
    });
    assert.ok(aborted.elapsedSeconds < 60, `it stopped after ${aborted.elapsedSeconds} s`);
  });
});
