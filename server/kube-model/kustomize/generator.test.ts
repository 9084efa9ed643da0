import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { generateConfigMap, generateSecret, kustomizeBase64, mergeOptions, readGeneratorOptions } from './generator';
import { memoryHost } from './memory-host';
import { nameSuffixHash } from './hash';

const host = memoryHost({ '/k/app.env': 'MODE=dev\n', '/k/tls.key': 'not-a-real-key\n' });

// Expected objects and suffixes are what `kubectl kustomize` printed for the same entries.
describe('configMap and secret generators', () => {
  it('makes a ConfigMap with sorted data, and its hash', () => {
    const r = generateConfigMap({ name: 'app-env', envs: ['app.env'] }, undefined, host, '/k');
    assert.deepEqual(r.problems, []);
    assert.deepEqual(r.resource, {
      object: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-env' }, data: { MODE: 'dev' } },
      behavior: 'create',
      needsHash: true,
    });
    assert.equal(nameSuffixHash(r.resource.object), 'bk2hmt6gd5');
    assert.deepEqual(r.files, ['/k/app.env']);
  });

  it('makes a Secret with kustomize base64 (wrapped at 70, each line ending in a newline) and a type', () => {
    const long = 'a-rather-long-password-that-needs-more-than-seventy-base64-characters-to-encode';
    const r = generateSecret(
      { name: 's', type: 'kubernetes.io/tls', literals: [`password=${long}`], files: ['tls.key'] },
      undefined,
      host,
      '/k',
    );
    assert.deepEqual(r.resource?.object.data, {
      password:
        'YS1yYXRoZXItbG9uZy1wYXNzd29yZC10aGF0LW5lZWRzLW1vcmUtdGhhbi1zZXZlbnR5LW\nJhc2U2NC1jaGFyYWN0ZXJzLXRvLWVuY29kZQ==\n',
      'tls.key': 'bm90LWEtcmVhbC1rZXkK',
    });
    assert.equal(r.resource?.object.type, 'kubernetes.io/tls');
    const empty = generateSecret({ name: 'empty-secret' }, undefined, host, '/k').resource!.object;
    assert.deepEqual(empty, {
      apiVersion: 'v1',
      kind: 'Secret',
      metadata: { name: 'empty-secret' },
      type: 'Opaque',
      data: {},
    });
    assert.equal(nameSuffixHash(empty), '46f8b28mk5');
    assert.equal(kustomizeBase64('x'.repeat(52)).split('\n').length, 3, 'exactly 70 characters still end in a newline');
  });

  it('merges the entry options over generatorOptions', () => {
    const global = readGeneratorOptions({
      labels: { team: 'platform', generated: 'true' },
      annotations: { note: 'global' },
      disableNameSuffixHash: true,
    }).options;
    const r = generateConfigMap(
      { name: 'c', literals: ['a=1'], namespace: 'ns', options: { labels: { team: 'payments' }, immutable: true } },
      global,
      host,
      '/k',
    );
    assert.deepEqual(r.resource, {
      object: {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: {
          name: 'c',
          namespace: 'ns',
          labels: { generated: 'true', team: 'payments' },
          annotations: { note: 'global' },
        },
        data: { a: '1' },
        immutable: true,
      },
      behavior: 'create',
      needsHash: false,
    });
    assert.deepEqual(mergeOptions({}, undefined), {});
  });

  it('reports problems with their field and index and makes no resource then', () => {
    const repeated = generateConfigMap({ name: 'twice', literals: ['k=1', 'k=2'] }, undefined, host, '/k');
    assert.equal(repeated.resource, undefined);
    assert.match(repeated.problems[0]!.message, /configmap twice illegally repeats the key `k`/);
    assert.equal(generateConfigMap({ literals: ['a=1'] }, undefined, host, '/k').problems[0]?.field, 'name');
    assert.equal(generateConfigMap('not a map', undefined, host, '/k').resource, undefined);
    assert.equal(
      generateConfigMap({ name: 'x', files: ['../../etc/passwd'] }, undefined, host, '/k').problems[0]?.field,
      'files',
    );
    const opts = readGeneratorOptions({ labels: { a: 1 }, immutable: 'yes', annotations: [] });
    assert.deepEqual(
      opts.problems.map((p) => p.message),
      [
        'options.labels.a must be a string',
        'options.annotations must be a map of strings',
        'options.immutable must be true or false',
      ],
    );
    const odd = generateConfigMap({ name: 'b', behavior: 'upsert' }, undefined, host, '/k');
    assert.equal(odd.resource?.behavior, 'create', 'an unknown behaviour acts as create, as in kustomize');
    assert.equal(odd.problems[0]?.field, 'behavior');
  });

  it('keeps __proto__ keys as data', () => {
    const r = generateConfigMap({ name: 'p', literals: ['__proto__=x', 'constructor=y'] }, undefined, host, '/k');
    const data = r.resource!.object.data as Record<string, unknown>;
    assert.ok(Object.hasOwn(data, '__proto__'));
    assert.equal(Object.getPrototypeOf(data), Object.prototype);
    assert.deepEqual(Object.keys(data), ['__proto__', 'constructor']);
  });
});
