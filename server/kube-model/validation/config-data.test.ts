import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { errors, object } from './test-manifests';

const configMap = (rest: Record<string, unknown>) => object('v1', 'ConfigMap', rest);
const secret = (rest: Record<string, unknown>) => object('v1', 'Secret', rest);

describe('ConfigMap and Secret rules', () => {
  it('config keys, and a key in data or binaryData, not both', () => {
    assert.deepEqual(errors(configMap({ data: { '..a': 'x', both: 'y' }, binaryData: { both: 'eQ==' } })), [
      `data[..a]: Invalid value: "..a": must not start with '..'`,
      'data[both]: Invalid value: "both": duplicate of key present in binaryData',
      'binaryData[both]: Invalid value: "both": duplicate of key present in data',
    ]);
  });
  it('at most 1 MiB of values', () => {
    assert.deepEqual(errors(configMap({ data: { a: 'x'.repeat(1024 * 1024 + 1) } })), [
      '[]: Too long: must have at most 1048576 bytes',
    ]);
    assert.deepEqual(errors(secret({ stringData: { a: 'x'.repeat(1024 * 1024 + 1) } })), [
      'data: Too long: must have at most 1048576 bytes',
    ]);
  });
  it("stringData keys are checked as data's", () => {
    assert.deepEqual(errors(secret({ stringData: { 'a/b': 'x' } })).length, 1);
  });
  it('a Secret of a built-in type has its keys', () => {
    assert.deepEqual(errors(secret({ type: 'kubernetes.io/tls', data: { 'tls.crt': 'eA==' } })), [
      'data[tls.key]: Required value',
    ]);
    assert.deepEqual(errors(secret({ type: 'kubernetes.io/basic-auth', stringData: { password: 'p' } })), []);
    assert.deepEqual(errors(secret({ type: 'kubernetes.io/basic-auth' })), ['data[username]: Required value']);
    assert.deepEqual(errors(secret({ type: 'kubernetes.io/service-account-token' })), [
      'metadata.annotations[kubernetes.io/service-account.name]: Required value',
    ]);
  });
  it('once immutable, the data and the flag are fixed; a Secret keeps its type', () => {
    const old = configMap({ immutable: true, data: { a: '1' } });
    const update = { operation: 'UPDATE' as const, old };
    assert.deepEqual(errors(configMap({ immutable: true, data: { a: '2' } }), update), [
      'data: Forbidden: field is immutable when `immutable` is set',
    ]);
    assert.deepEqual(errors(configMap({ data: { a: '1' } }), update), [
      'immutable: Forbidden: field is immutable when `immutable` is set',
    ]);
    assert.deepEqual(errors(secret({ type: 'x/y' }), { operation: 'UPDATE', old: secret({}) }), [
      'type: Invalid value: "x/y": field is immutable',
    ]);
  });
});
