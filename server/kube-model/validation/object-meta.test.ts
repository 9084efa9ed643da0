import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { validateObject } from './validate-object';
import { errors, object } from './test-manifests';

describe('metadata rules', () => {
  it('the name format by kind', () => {
    assert.match(
      errors({ ...object('v1', 'ConfigMap', {}), metadata: { name: 'A_b' } })[0] ?? '',
      /^metadata.name: Invalid value: "A_b": a lowercase RFC 1123 subdomain/,
    );
    assert.match(
      errors({ ...object('v1', 'Service', {}), metadata: { name: '1web' } })[0] ?? '',
      /^metadata.name: Invalid value: "1web": a DNS-1035 label/,
    );
    assert.deepEqual(errors({ ...object('v1', 'ConfigMap', {}), metadata: {} }), ['metadata.name: Required value']);
  });
  it('label keys and values, with the key or value to point at', () => {
    const found = validateObject(
      { ...object('v1', 'ConfigMap', {}), metadata: { name: 'x', labels: { '-a': 'b c' } } },
      { operation: 'CREATE' },
    );
    assert.deepEqual(
      found.map((e) => [e.field, e.locate]),
      [
        ['metadata.labels', ['metadata', 'labels', { key: '-a' }]],
        ['metadata.labels', ['metadata', 'labels', '-a']],
      ],
    );
  });
  it('annotations at most 256 KiB', () => {
    const big = {
      ...object('v1', 'ConfigMap', {}),
      metadata: { name: 'x', annotations: { a: 'x'.repeat(256 * 1024) } },
    };
    assert.deepEqual(errors(big), ['metadata.annotations: Too long: must have at most 262144 bytes']);
  });
  it('labels named like Object.prototype members are plain labels; __proto__ is refused as a key', () => {
    const deployment = (selector: string, labels: string) =>
      JSON.parse(
        `{"apiVersion":"apps/v1","kind":"Deployment","metadata":{"name":"x"},"spec":{"selector":{"matchLabels":${selector}},"template":{"metadata":{"labels":${labels}},"spec":{"containers":[{"name":"a","image":"b"}]}}}}`,
      ) as Record<string, unknown>;
    assert.deepEqual(errors(deployment('{"constructor":"a"}', '{"constructor":"a"}')), []);
    assert.deepEqual(errors(deployment('{"constructor":"a"}', '{"app":"x"}')), [
      'spec.template.metadata.labels: Invalid value: {"app":"x"}: `selector` does not match template `labels`',
    ]);
    assert.match(
      errors(deployment('{"__proto__":"a"}', '{"__proto__":"a"}'))[0] ?? '',
      /^spec.selector.matchLabels: Invalid value: "__proto__": name part/,
    );
  });
});
