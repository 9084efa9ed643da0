import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { clone, type JsonObject } from '../../store/object';
import { applyJsonPatch } from '../../../../server/kube-model/patch/json-patch';
import { applyMergePatch } from './merge-patch';
import { structuredMerge } from './server-side-apply';
import { applyStrategicMergePatch } from '../../../../server/kube-model/patch/strategic-merge-patch';

const hostile = (): JsonObject =>
  JSON.parse('{"metadata":{"__proto__":{"name":"n"},"labels":{"constructor":"x"}}}') as JsonObject;

/** `__proto__` stayed an own data property and the prototype is untouched. */
function assertData(value: unknown): void {
  const meta = (value as { metadata: JsonObject }).metadata;
  assert.equal(Object.getPrototypeOf(meta), Object.prototype);
  assert.equal(meta.name === 'n', false, 'the name must not come from __proto__');
  assert.ok(Object.prototype.hasOwnProperty.call(meta, '__proto__'));
  assert.match(JSON.stringify(value), /"__proto__":\{"name":"n"\}/);
}

describe('prototype keys are data', () => {
  it('clone keeps __proto__ as an own property', () => assertData(clone(hostile())));

  it('merge patch, strategic merge patch and apply merge keep it as data', () => {
    const live = { metadata: { name: 'a' } };
    for (const merged of [
      applyMergePatch(live, hostile()),
      applyStrategicMergePatch(live, hostile()),
      structuredMerge(live, hostile()),
    ]) {
      assertData({ metadata: { ...(merged as { metadata: JsonObject }).metadata, name: undefined } });
      assert.equal((merged as { metadata: JsonObject }).metadata.name, 'a');
    }
  });

  it('JSON patch adds __proto__ as data and never reads inherited members', () => {
    const doc = applyJsonPatch({ metadata: {} }, [{ op: 'add', path: '/metadata/__proto__', value: { name: 'n' } }]);
    assertData(doc);
    assert.throws(() => applyJsonPatch({ metadata: {} }, [{ op: 'remove', path: '/metadata/constructor' }]));
    assert.throws(() => applyJsonPatch({ metadata: {} }, [{ op: 'add', path: '/metadata/toString/x', value: 1 }]));
  });
});
