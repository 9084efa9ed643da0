import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { staysOnDrain } from './drain-pods';

describe('staysOnDrain', () => {
  it('keeps DaemonSet-controlled and mirror pods, and moves the rest', () => {
    const owned = (kind: string, controller: boolean) => ({
      metadata: { ownerReferences: [{ kind, name: 'x', uid: 'u', controller }] },
    });
    assert.equal(staysOnDrain(owned('DaemonSet', true)), true);
    assert.equal(staysOnDrain({ metadata: { annotations: { 'kubernetes.io/config.mirror': 'abc' } } }), true);
    assert.equal(staysOnDrain(owned('DaemonSet', false)), false);
    assert.equal(staysOnDrain(owned('ReplicaSet', true)), false);
    for (const hostile of [undefined, null, 'x', { metadata: { ownerReferences: 'x', annotations: [] } }])
      assert.equal(staysOnDrain(hostile), false);
  });
});
