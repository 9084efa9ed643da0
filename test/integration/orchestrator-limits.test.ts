/**
 * Issue #12, finding 7: limits Kubernetes enforces. A body over 3 MiB gets the 413 Status
 * (the client reads it; the connection used to be reset before it could); ConfigMap and Secret
 * data: at most 1 MiB, string values, base64 that decodes, config keys.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { BUNDLE, clusterFixture } from './support/cluster-process';
import { rawRequest, statusMessage, type RawResponse } from './support/raw-api';

interface Cause {
  reason: string;
  message: string;
  field: string;
}

function causes(r: RawResponse): Cause[] {
  return (JSON.parse(r.body) as { details?: { causes?: Cause[] } }).details?.causes ?? [];
}

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

  it('answers query parameters Kubernetes cannot decode with 400, and reads the valid ones', async () => {
    const bad: [string, RegExp][] = [
      ['/api/v1/namespaces/default/configmaps?limit=abc', /^limit: strconv\.ParseInt: parsing "abc": invalid syntax$/],
      ['/api/v1/namespaces/default/configmaps?limit=1.5', /^limit: strconv\.ParseInt: parsing "1\.5"/],
      ['/api/v1/namespaces/default/configmaps?watch=1&timeoutSeconds=abc', /^timeoutSeconds: strconv\.ParseInt/],
      ['/api/v1/namespaces/default/configmaps?watch=maybe', /^watch: strconv\.ParseBool: parsing "maybe"/],
      ['/api/v1/namespaces/default/configmaps?continue=garbage', /^continue key is not valid/],
      ['/api/v1/namespaces/default/configmaps?resourceVersion=abc', /^invalid resource version "abc"/],
    ];
    for (const [path, message] of bad) {
      const r = await rawRequest(f.cluster, 'GET', path);
      assert.equal(r.status, 400, `${path}: ${r.body}`);
      assert.match(statusMessage(r.body), message, path);
    }
    const grace = await rawRequest(
      f.cluster,
      'DELETE',
      '/api/v1/namespaces/default/configmaps/x?gracePeriodSeconds=1.5',
    );
    assert.equal(grace.status, 400, grace.body);
    assert.match(statusMessage(grace.body), /^gracePeriodSeconds: strconv\.ParseInt: parsing "1\.5"/);
    const loose = await rawRequest(f.cluster, 'POST', '/api/v1/namespaces/default/configmaps?fieldValidation=Loose', {
      body: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'loose' } },
    });
    assert.equal(loose.status, 400, loose.body);
    assert.equal(statusMessage(loose.body), 'fieldValidation parameter unsupported: Loose');
    // What kubectl and the extension send is still read.
    const list = await rawRequest(
      f.cluster,
      'GET',
      '/api/v1/namespaces/default/configmaps?limit=500&resourceVersion=0',
    );
    assert.equal(list.status, 200, list.body);
    const watch = await rawRequest(
      f.cluster,
      'GET',
      '/api/v1/namespaces/default/configmaps?watch=true&timeoutSeconds=1',
    );
    assert.equal(watch.status, 200, watch.body);
  });
});

describe('ConfigMap and Secret data', { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' }, () => {
  const f = clusterFixture('kw-config-data-');
  const MiB = 1024 * 1024;
  const post = (resource: 'configmaps' | 'secrets', body: Record<string, unknown>) =>
    rawRequest(f.cluster, 'POST', `/api/v1/namespaces/default/${resource}`, {
      body: { apiVersion: 'v1', kind: resource === 'configmaps' ? 'ConfigMap' : 'Secret', ...body },
    });

  it('refuses a ConfigMap over 1 MiB with 422 `[]: Too long` (kubectl create configmap --from-file)', () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-big-'));
    try {
      const file = join(dir, 'big.txt');
      writeFileSync(file, 'x'.repeat(1.5 * MiB));
      const r = f.kubectl(['create', 'configmap', 'big', `--from-file=${file}`]);
      assert.notEqual(r.code, 0, r.out);
      assert.match(r.err, /ConfigMap "big" is invalid: \[\]: Too long: must have at most 1048576 bytes/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
    assert.notEqual(f.kubectl(['get', 'configmap', 'big']).code, 0);
  });

  it('counts data and decoded binaryData together; exactly 1 MiB is fine', async () => {
    const two = await post('configmaps', { metadata: { name: 'two' }, data: { a: 'x'.repeat(2 * MiB) } });
    assert.equal(two.status, 422, two.body);
    assert.deepEqual(causes(two), [
      { reason: 'FieldValueTooLong', message: 'Too long: must have at most 1048576 bytes', field: '[]' },
    ]);
    const half = Buffer.alloc(MiB / 2 + 1).toString('base64');
    const mixed = await post('configmaps', {
      metadata: { name: 'mixed' },
      data: { a: 'x'.repeat(MiB / 2) },
      binaryData: { b: half },
    });
    assert.equal(mixed.status, 422, mixed.body);
    const exact = await post('configmaps', {
      metadata: { name: 'exact' },
      data: { a: 'x'.repeat(MiB / 2) },
      binaryData: { b: Buffer.alloc(MiB / 2).toString('base64') },
    });
    assert.equal(exact.status, 201, exact.body);
  });

  it('refuses a Secret over 1 MiB with 422 `data: Too long`, stringData included', async () => {
    const r = await post('secrets', { metadata: { name: 'big' }, stringData: { a: 'x'.repeat(1.5 * MiB) } });
    assert.equal(r.status, 422, r.body);
    assert.equal(statusMessage(r.body), 'Secret "big" is invalid: data: Too long: must have at most 1048576 bytes');
  });

  it("refuses non-string values at decoding with 400 in the decoder's words", async () => {
    const n = await post('configmaps', { metadata: { name: 'num' }, data: { replicas: 3 } });
    assert.equal(n.status, 400, n.body);
    assert.equal(
      statusMessage(n.body),
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: json: cannot unmarshal number into Go struct field ConfigMap.data of type string',
    );
    const b = await post('secrets', { metadata: { name: 'bool' }, stringData: { on: true } });
    assert.equal(b.status, 400, b.body);
    assert.equal(
      statusMessage(b.body),
      'Secret in version "v1" cannot be handled as a Secret: json: cannot unmarshal bool into Go struct field Secret.stringData of type string',
    );
    const o = await post('configmaps', { metadata: { name: 'obj' }, data: { nested: { a: 'b' } } });
    assert.equal(o.status, 400, o.body);
    assert.match(statusMessage(o.body), /cannot unmarshal object into Go struct field ConfigMap\.data of type string$/);
    assert.equal((await rawRequest(f.cluster, 'GET', '/api/v1/namespaces/default/configmaps/num')).status, 404);
  });

  it('refuses base64 that does not decode with 400 `illegal base64 data at input byte N`', async () => {
    const cm = await post('configmaps', { metadata: { name: 'bin' }, binaryData: { a: 'not base64!' } });
    assert.equal(cm.status, 400, cm.body);
    assert.equal(
      statusMessage(cm.body),
      'ConfigMap in version "v1" cannot be handled as a ConfigMap: illegal base64 data at input byte 3',
    );
    const secret = await post('secrets', { metadata: { name: 'unpadded' }, data: { a: 'YWJjZ' } });
    assert.equal(secret.status, 400, secret.body);
    assert.equal(
      statusMessage(secret.body),
      'Secret in version "v1" cannot be handled as a Secret: illegal base64 data at input byte 4',
    );
    // Line breaks inside base64 are skipped, as Kubernetes' decoder skips them.
    const wrapped = await post('secrets', { metadata: { name: 'wrapped' }, data: { a: 'YWJj\nZA==' } });
    assert.equal(wrapped.status, 201, wrapped.body);
    // kubectl describe reads what was stored.
    assert.match(f.ok(['describe', 'secret', 'wrapped']), /a:\s+4 bytes/);
  });

  it('refuses keys ., .., ..x, over 253 characters, outside [-._a-zA-Z0-9], and a key in data and binaryData', async () => {
    const long = 'k'.repeat(254);
    const r = await post('configmaps', {
      metadata: { name: 'keys' },
      data: { '.': 'a', '..': 'b', '..data': 'c', [long]: 'd', 'a/b': 'e', both: 'f', '.ok': 'g' },
      binaryData: { both: 'Zg==' },
    });
    assert.equal(r.status, 422, r.body);
    const got = causes(r).map((c) => `${c.field}: ${c.message}`);
    assert.deepEqual(got, [
      `data[.]: Invalid value: ".": must not be '.'`,
      `data[..]: Invalid value: "..": must not be '..'`,
      `data[..data]: Invalid value: "..data": must not start with '..'`,
      `data[${long}]: Invalid value: "${long}": must be no more than 253 characters`,
      `data[a/b]: Invalid value: "a/b": a valid config key must consist of alphanumeric characters, '-', '_' or '.' (e.g. 'key.name',  or 'KEY_NAME',  or 'key-name', regex used for validation is '[-._a-zA-Z0-9]+')`,
      `data[both]: Invalid value: "both": duplicate of key present in binaryData`,
      `binaryData[both]: Invalid value: "both": duplicate of key present in data`,
    ]);
    assert.ok(causes(r).every((c) => c.reason === 'FieldValueInvalid'));
    const s = await post('secrets', { metadata: { name: 'keys' }, stringData: { '..': 'x' } });
    assert.equal(s.status, 422, s.body);
    assert.equal(statusMessage(s.body), `Secret "keys" is invalid: data[..]: Invalid value: "..": must not be '..'`);
  });

  it('still takes what kubectl create configmap and secret make', () => {
    f.ok(['create', 'configmap', 'fine', '--from-literal=.env=x', '--from-literal=a..b=y', '--from-literal=K_1-x=z']);
    f.ok(['create', 'secret', 'generic', 'fine', '--from-literal=token=abc', '--from-literal=.dot=1']);
    assert.match(f.ok(['get', 'secret', 'fine', '-o', 'jsonpath={.data.token}']), /^YWJj$/);
  });

  it("writes a Secret's stringData into data, over a key of the same name, and never stores it", () => {
    f.apply(`apiVersion: v1
kind: Secret
metadata: {name: merged}
data: {k1: djE=, k2: ""}
stringData: {k2: v2, k3: v3}
`);
    const stored = JSON.parse(f.ok(['get', 'secret', 'merged', '-o', 'json'])) as {
      data?: Record<string, string>;
      stringData?: unknown;
    };
    assert.deepEqual(stored.data, { k1: 'djE=', k2: 'djI=', k3: 'djM=' });
    assert.equal(stored.stringData, undefined);
    f.ok(['patch', 'secret', 'merged', '--type=merge', '-p', '{"stringData":{"k1":"new"}}']);
    assert.equal(f.ok(['get', 'secret', 'merged', '-o', 'jsonpath={.data.k1}']), Buffer.from('new').toString('base64'));
  });
});

describe('label and field selectors', { skip: existsSync(BUNDLE) ? false : 'run `npm run build` first' }, () => {
  const f = clusterFixture('kw-selectors-');

  it('refuses what Kubernetes refuses, with its words (kubectl get -l)', () => {
    const bad: [string, string][] = [
      ['a==b==c', "found '==', expected: ',' or 'end of string'"],
      ['a=b,', "found '', expected: identifier after ','"],
      ['app:web', 'unable to parse requirement: <nil>: Invalid value: "app:web": name part must consist of'],
      ['app=we$b', 'unable to parse requirement: values[0][app]: Invalid value: "we$b": a valid label must be'],
    ];
    for (const [selector, words] of bad) {
      const r = f.kubectl(['get', 'pods', '-l', selector]);
      assert.notEqual(r.code, 0, selector);
      assert.ok(r.err.includes('(BadRequest)') && r.err.includes(words), `${selector}: ${r.err}`);
    }
  });

  it('takes `in ()` as the set holding the empty string', () => {
    f.ok(['create', 'configmap', 'empty-tier']);
    f.ok(['label', 'configmap', 'empty-tier', 'tier=']);
    f.ok(['create', 'configmap', 'no-tier']);
    assert.equal(f.ok(['get', 'configmaps', '-l', 'tier in ()', '-o', 'name']).trim(), 'configmap/empty-tier');
    assert.match(f.ok(['get', 'configmaps', '-l', 'tier notin ()', '-o', 'name']), /configmap\/no-tier/);
    assert.equal(f.ok(['get', 'configmaps', '-l', 'tier,tier in (a,)', '-o', 'name']).trim(), 'configmap/empty-tier');
  });

  it('refuses a field a kind cannot be selected by', async () => {
    const pods = await rawRequest(f.cluster, 'GET', '/api/v1/namespaces/default/pods?fieldSelector=spec.nope%3Dx');
    assert.equal(pods.status, 400, pods.body);
    assert.equal(statusMessage(pods.body), 'field label not supported: spec.nope');
    const cms = await rawRequest(f.cluster, 'GET', '/api/v1/configmaps?fieldSelector=status.phase%3DRunning');
    assert.equal(cms.status, 400, cms.body);
    assert.equal(
      statusMessage(cms.body),
      '"status.phase" is not a known field selector: only "metadata.name", "metadata.namespace"',
    );
    assert.equal(
      f.ok(['get', 'configmaps', '--field-selector', 'metadata.name=no-tier', '-o', 'name']).trim(),
      'configmap/no-tier',
    );
  });
});
