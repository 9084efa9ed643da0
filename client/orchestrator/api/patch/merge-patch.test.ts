import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyMergePatch } from './merge-patch';
import { deployment } from '../../../../server/kube-model/patch/patch-test-support';

describe('merge patch', () => {
  it('merges maps, deletes nulls and replaces lists', () => {
    const out = applyMergePatch(deployment(), {
      metadata: { labels: { tier: null, env: 'prod' } },
      spec: { template: { spec: { containers: [{ name: 'only' }] } } },
    }) as ReturnType<typeof deployment>;
    assert.deepEqual(out.metadata.labels, { app: 'web', env: 'prod' });
    assert.deepEqual(out.spec.template.spec.containers, [{ name: 'only' }]);
    assert.equal(out.spec.replicas, 2);
  });
});
