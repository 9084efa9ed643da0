/**
 * Issue #12, finding 7 (part): limits Kubernetes enforces. A body over 3 MiB gets the 413 Status
 * (the client reads it; the connection used to be reset before it could).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BUNDLE, clusterFixture } from './support/cluster-process';
import { rawRequest, statusMessage } from './support/raw-api';

describe('request limits', { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' }, () => {
  const f = clusterFixture('kw-limits-');

  it('answers a 4 MiB body with 413 and Kubernetes words, and keeps serving', async () => {
    const body = JSON.stringify({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'huge' },
      data: { v: 'x'.repeat(4 * 1024 * 1024) },
    });
    const r = await rawRequest(f.cluster, 'POST', '/api/v1/namespaces/default/configmaps', { body });
    assert.equal(r.status, 413, r.body);
    assert.equal(statusMessage(r.body), 'Request entity too large: limit is 3145728');
    const get = await rawRequest(f.cluster, 'GET', '/api/v1/namespaces/default/configmaps/huge');
    assert.equal(get.status, 404);
  });
});
