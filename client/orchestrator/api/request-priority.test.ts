import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { requestsInFlight, requestStarted, staysOpen } from './request-priority';

describe('request priority', () => {
  it('reports requests in flight until each is answered, once per request however often it is released', async () => {
    assert.equal(requestsInFlight(), undefined);
    const a = requestStarted();
    const b = requestStarted();
    const idle = requestsInFlight();
    assert.ok(idle);
    let resolved = false;
    void idle.then(() => (resolved = true));
    a();
    a();
    await new Promise((r) => setImmediate(r));
    assert.equal(resolved, false, 'one request is still in flight');
    assert.ok(requestsInFlight());
    b();
    await idle;
    assert.equal(requestsInFlight(), undefined);
  });

  it('lets a request that is never answered hold the workers back only for a while', async () => {
    requestStarted();
    const idle = requestsInFlight();
    assert.ok(idle);
    // The hold's timer does not keep a process alive (the server does): this test has to.
    const alive = setInterval(() => {}, 1000);
    await idle;
    clearInterval(alive);
    assert.equal(requestsInFlight(), undefined);
  });

  it('tells watches and followed logs, which stay open, from requests', () => {
    for (const url of [
      '/api/v1/pods?watch=true',
      '/api/v1/namespaces/default/pods?labelSelector=a%3Db&watch=1&resourceVersion=5',
      '/api/v1/watch/namespaces/default/pods',
      '/apis/apps/v1/watch/deployments',
      '/api/v1/namespaces/default/pods/p/log?follow=true&container=c',
    ])
      assert.equal(staysOpen(url), true, url);
    for (const url of [
      undefined,
      '/api/v1/pods',
      '/api/v1/pods?watch=false',
      '/api/v1/pods?labelSelector=watch%3Dtrue',
      '/api/v1/namespaces/watch/pods/p',
      '/apis/apps/v1/namespaces/watch/deployments/watch/',
      '/api/v1/namespaces/default/pods/p/log?follow=false',
      '/api/v1/pods?nowatch=true',
    ])
      assert.equal(staysOpen(url), false, String(url));
  });
});
