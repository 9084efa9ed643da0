import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { encodeHash, goJson, hashInput, nameSuffixHash } from './hash';

// Expected suffixes are what `kubectl kustomize` (kustomize v5.5) printed for the same generated resources.
describe('name suffix hash', () => {
  it('matches kubectl kustomize for ConfigMaps and Secrets', () => {
    assert.equal(
      nameSuffixHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'app-env' }, data: { MODE: 'dev' } }),
      'bk2hmt6gd5',
    );
    assert.equal(
      nameSuffixHash({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'app-secret' },
        type: 'Opaque',
        data: { KEY: 'czNjcjN0' },
      }),
      't6bd26bbft',
    );
    assert.equal(
      nameSuffixHash({
        apiVersion: 'v1',
        kind: 'Secret',
        metadata: { name: 'empty-secret' },
        type: 'Opaque',
        data: {},
      }),
      '46f8b28mk5',
    );
    assert.equal(nameSuffixHash({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'empty' } }), '6ct58987ht');
  });

  it('does not depend on the name, the namespace or labels (kustomize never reads them)', () => {
    const a = { kind: 'ConfigMap', metadata: { name: 'a' }, data: { k: 'v' } };
    const b = {
      kind: 'ConfigMap',
      metadata: { name: 'prefix-a', namespace: 'x', labels: { l: '1' } },
      data: { k: 'v' },
    };
    assert.equal(nameSuffixHash(a), nameSuffixHash(b));
    assert.notEqual(nameSuffixHash(a), nameSuffixHash({ ...a, data: { k: 'w' } }));
  });

  it("encodes as Go's encoding/json: sorted keys, <>& and U+2028 escaped", () => {
    assert.equal(
      goJson({ b: '<&>', a: '\u2028', c: [1, true, null] }),
      '{"a":"\\u2028","b":"\\u003c\\u0026\\u003e","c":[1,true,null]}',
    );
    assert.equal(
      goJson({ '\u{1F600}': 1, '\uFFFF': 2 }),
      '{"\uFFFF":2,"\u{1F600}":1}',
      'code point order, not UTF-16 order',
    );
    assert.equal(goJson('\ud800'), '"\uFFFD"', 'a lone surrogate is written as U+FFFD');
    assert.equal(
      hashInput({ kind: 'ConfigMap', data: { a: '1' }, binaryData: { b: 'AA==' } }),
      '{"binaryData":{"b":"AA=="},"data":{"a":"1"},"kind":"ConfigMap","name":""}',
    );
  });

  it('maps the hex digits kustomize maps', () => {
    assert.equal(encodeHash('0123456789abcdef'), 'gh2k456789');
    assert.equal(encodeHash('aeaeaeaeaeff'), 'mtmtmtmtmt');
  });

  it('keeps hostile keys as data', () => {
    const data = JSON.parse('{"__proto__":"x","constructor":"y"}') as Record<string, unknown>;
    assert.match(hashInput({ kind: 'ConfigMap', data }), /"__proto__":"x","constructor":"y"/);
  });
});
