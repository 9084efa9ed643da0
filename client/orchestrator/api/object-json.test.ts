import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { deepFreeze, type KubeObject } from '../store/object';
import { listJson, objectJson } from './object-json';

const pod = (name: string, extra: Record<string, unknown> = {}): KubeObject =>
  deepFreeze({
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', resourceVersion: '7', labels: { 'é/😀': '\u2028"\\' } },
    spec: { containers: [{ name: 'app', image: 'nginx', args: ['\ud800', ''] }] },
    ...extra,
  });

const text = (value: Buffer | KubeObject): string =>
  (Buffer.isBuffer(value) ? value : objectJson(value)).toString('utf8');

describe('objectJson and listJson', () => {
  it('answer what JSON.stringify gives, for the object and for the list around it', () => {
    const items = [pod('a'), pod('b', { status: { phase: 'Running', n: -0, big: 1e21 } }), pod('c', { x: undefined })];
    for (const obj of items) assert.equal(text(obj), JSON.stringify(obj));
    for (const n of [0, 1, 3]) {
      const list = { kind: 'PodList', apiVersion: 'v1', metadata: { resourceVersion: '42' }, items: items.slice(0, n) };
      assert.equal(text(listJson('PodList', 'v1', '42', items.slice(0, n))), JSON.stringify(list));
    }
    assert.equal(
      text(listJson('Kind"List', 'g/v\u2028', '', [])),
      JSON.stringify({ kind: 'Kind"List', apiVersion: 'g/v\u2028', metadata: { resourceVersion: '' }, items: [] }),
    );
  });

  it('a new version of an object gets its own text; many versions past the budget each still answer right', () => {
    const first = pod('a');
    const before = text(first);
    const next = pod('a', { status: { phase: 'Running' } });
    assert.notEqual(text(next), before);
    assert.equal(text(first), before);
    const big = 'x'.repeat(100_000);
    for (let i = 0; i < 120; i++) {
      const obj = pod(`p${i}`, { data: { big, i } });
      assert.equal(text(obj), JSON.stringify(obj));
      assert.equal(text(obj), JSON.stringify(obj));
    }
    assert.equal(text(first), before);
  });

  it('an object that is not frozen is encoded as it is now, each time', () => {
    const obj = { apiVersion: 'v1', kind: 'Pod', metadata: { name: 'm' } } as KubeObject;
    assert.equal(text(obj), JSON.stringify(obj));
    obj.metadata.name = 'n';
    assert.equal(text(obj), JSON.stringify(obj));
  });
});
