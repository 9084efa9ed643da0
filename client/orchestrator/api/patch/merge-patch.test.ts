import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyMergePatch } from './merge-patch';

const deployment = () => ({
  metadata: { name: 'web', labels: { app: 'web', tier: 'front' }, finalizers: ['a'] },
  spec: {
    replicas: 2,
    strategy: { type: 'RollingUpdate', rollingUpdate: { maxSurge: '25%', maxUnavailable: '25%' } },
    template: {
      spec: {
        containers: [
          { name: 'web', image: 'nginx:1', ports: [{ containerPort: 80 }], env: [{ name: 'A', value: '1' }] },
          { name: 'side', image: 'busybox' },
        ],
        tolerations: [{ key: 'x' }],
      },
    },
  },
});

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
