/**
 * Issue #17, item 1 (and the API fuzz test's seed 20250612): a server dry run changes nothing, for
 * every verb, whether `dryRun` is in the query (create, update, patch, apply, scale, binding) or in
 * a DeleteOptions body (`kubectl delete --dry-run=server`); a `dryRun` value other than `All` is a
 * 422 and changes nothing either (it deleted before: `DELETE …?dryRun=bogus`).
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { describe, it } from 'node:test';
import { BUNDLE, clusterFixture } from './support/cluster-process';
import { rawRequest } from './support/raw-api';

const CM = '/api/v1/namespaces/default/configmaps';

describe('server dry runs change nothing', { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' }, () => {
  const f = clusterFixture('kw-dry-run-');

  /** The ConfigMap `one` as stored: its resourceVersion and data. */
  const one = async () => {
    const r = await rawRequest(f.cluster, 'GET', `${CM}/one`);
    assert.equal(r.status, 200, `configmap one is gone: ${r.body}`);
    const parsed = JSON.parse(r.body) as {
      metadata: { resourceVersion: string; labels?: Record<string, string> };
      data?: Record<string, string>;
    };
    return { rv: parsed.metadata.resourceVersion, data: parsed.data, labels: parsed.metadata.labels };
  };

  it('kubectl delete --dry-run=server (dryRun in the DeleteOptions body) leaves the object', async () => {
    f.ok(['create', 'configmap', 'one', '--from-literal=a=b']);
    const before = await one();
    const out = f.ok(['delete', 'configmap', 'one', '--dry-run=server']);
    assert.match(out, /deleted \(server dry run\)/);
    assert.deepEqual(await one(), before);
    f.ok(['delete', 'configmaps', '--all', '--dry-run=server']);
    assert.deepEqual(await one(), before);
  });

  it('a raw DELETE and a delete-collection with dryRun in the body or the query leave everything', async () => {
    const before = await one();
    for (const [path, body] of [
      [`${CM}/one`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] }],
      [`${CM}/one?dryRun=All`, undefined],
      [CM, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['All'] }],
      [`${CM}?dryRun=All`, undefined],
    ] as const) {
      const r = await rawRequest(f.cluster, 'DELETE', path, body === undefined ? {} : { body });
      assert.equal(r.status, 200, `${path}: ${r.body}`);
      assert.deepEqual(await one(), before, path);
    }
  });

  it('kubectl create, apply, server-side apply, replace, patch, label and scale with --dry-run=server change nothing', async () => {
    const before = await one();
    f.ok(['create', 'configmap', 'two', '--from-literal=a=b', '--dry-run=server']);
    assert.equal(f.kubectl(['get', 'configmap', 'two']).code, 1, 'configmap two was created');
    const changed =
      'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: one\n  namespace: default\ndata:\n  a: changed\n';
    for (const args of [
      ['apply', '--dry-run=server', '-f', '-'],
      ['apply', '--server-side', '--force-conflicts', '--dry-run=server', '-f', '-'],
      ['replace', '--dry-run=server', '-f', '-'],
    ]) {
      const r = f.kubectl(args, changed);
      assert.equal(r.code, 0, `${args.join(' ')}: ${r.err}`);
      assert.deepEqual(await one(), before, args.join(' '));
    }
    f.ok(['patch', 'configmap', 'one', '--dry-run=server', '-p', '{"data":{"a":"patched"}}']);
    f.ok(['label', 'configmap', 'one', 'x=y', '--dry-run=server']);
    assert.deepEqual(await one(), before);

    f.ok(['create', 'deployment', 'web', '--image=nginx', '--replicas=1']);
    f.ok(['scale', 'deployment', 'web', '--replicas=3', '--dry-run=server']);
    assert.equal(f.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']), '1');
  });

  it('a dryRun value other than All is a 422 for every verb, and nothing changes', async () => {
    const before = await one();
    for (const [method, path, body, contentType] of [
      ['DELETE', `${CM}/one?dryRun=bogus`, undefined, undefined],
      ['DELETE', `${CM}/one`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: ['bogus'] }, undefined],
      ['DELETE', `${CM}/one`, { kind: 'DeleteOptions', apiVersion: 'v1', dryRun: 'All' }, undefined],
      ['DELETE', `${CM}?dryRun=bogus`, undefined, undefined],
      ['POST', `${CM}?dryRun=bogus`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'three' } }, undefined],
      ['PUT', `${CM}/one?dryRun=`, { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'one' } }, undefined],
      ['PATCH', `${CM}/one?dryRun=all`, { data: { a: 'patched' } }, 'application/merge-patch+json'],
    ] as const) {
      const r = await rawRequest(f.cluster, method, path, {
        ...(body !== undefined ? { body } : {}),
        ...(contentType !== undefined ? { contentType } : {}),
      });
      assert.equal(r.status, 422, `${method} ${path}: ${r.body}`);
      assert.match(r.body, /dryRun: Unsupported value/);
      assert.deepEqual(await one(), before, `${method} ${path}`);
    }
    assert.equal((await rawRequest(f.cluster, 'GET', `${CM}/three`)).status, 404);
  });

  it('a dry-run binding does not bind the pod', async () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'unscheduled' },
      spec: { schedulerName: 'nobody', containers: [{ name: 'c', image: 'nginx' }] },
    };
    const created = await rawRequest(f.cluster, 'POST', '/api/v1/namespaces/default/pods', { body: pod });
    assert.equal(created.status, 201, created.body);
    const binding = { apiVersion: 'v1', kind: 'Binding', metadata: { name: 'unscheduled' }, target: { name: 'n' } };
    const bound = await rawRequest(
      f.cluster,
      'POST',
      '/api/v1/namespaces/default/pods/unscheduled/binding?dryRun=All',
      { body: binding },
    );
    assert.equal(bound.status, 201, bound.body);
    const got = await rawRequest(f.cluster, 'GET', '/api/v1/namespaces/default/pods/unscheduled');
    assert.equal((JSON.parse(got.body) as { spec: { nodeName?: string } }).spec.nodeName, undefined);
  });
});
