import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { MergeSchema } from './patch-meta';
import { applyStrategicMergePatch } from './strategic-merge-patch';
import { deployment } from './patch-test-support';

const DEPLOYMENT = MergeSchema.forKind('1.34', { group: 'apps', version: 'v1', kind: 'Deployment' });
const SERVICE = MergeSchema.forKind('1.34', { group: '', version: 'v1', kind: 'Service' });

describe('strategic merge patch', () => {
  it('merges containers by name and their env by name, keeping the others', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: { spec: { containers: [{ name: 'web', image: 'nginx:2', env: [{ name: 'B', value: '2' }] }] } },
        },
      },
      DEPLOYMENT,
    ) as ReturnType<typeof deployment>;
    const [web, side] = out.spec.template.spec.containers;
    assert.equal(web?.image, 'nginx:2');
    assert.deepEqual(web?.env, [
      { name: 'A', value: '1' },
      { name: 'B', value: '2' },
    ]);
    assert.deepEqual(web?.ports, [{ containerPort: 80 }]);
    assert.equal(side?.name, 'side');
  });

  it('replaces lists without a merge key', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: { template: { spec: { tolerations: [{ key: 'y' }] } } },
      },
      DEPLOYMENT,
    ) as ReturnType<typeof deployment>;
    assert.deepEqual(out.spec.template.spec.tolerations, [{ key: 'y' }]);
  });

  it('deletes list elements and maps with $patch: delete, and replaces with $patch: replace', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { labels: { $patch: 'replace', only: 'this' } },
        spec: {
          template: { spec: { containers: [{ name: 'side', $patch: 'delete' }] } },
          strategy: { $patch: 'delete' },
        },
      },
      DEPLOYMENT,
    ) as ReturnType<typeof deployment>;
    assert.deepEqual(out.metadata.labels, { only: 'this' });
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => c.name),
      ['web'],
    );
    assert.equal(out.spec.strategy, undefined);
  });

  it('orders merged lists with $setElementOrder', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              '$setElementOrder/containers': [{ name: 'side' }, { name: 'new' }, { name: 'web' }],
              containers: [{ name: 'new', image: 'x' }],
            },
          },
        },
      },
      DEPLOYMENT,
    ) as ReturnType<typeof deployment>;
    assert.deepEqual(
      out.spec.template.spec.containers.map((c) => c.name),
      ['side', 'new', 'web'],
    );
  });

  it('keeps only retained keys and removes from primitive lists', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { '$deleteFromPrimitiveList/finalizers': ['a'], finalizers: ['b'] },
        spec: { strategy: { $retainKeys: ['type'], type: 'Recreate', rollingUpdate: null } },
      },
      DEPLOYMENT,
    ) as ReturnType<typeof deployment>;
    assert.deepEqual(out.metadata.finalizers, ['b']);
    assert.deepEqual(out.spec.strategy, { type: 'Recreate' });
  });

  it('merges service ports by port', () => {
    const svc = { spec: { ports: [{ port: 80, targetPort: 8080 }, { port: 443 }] } };
    const out = applyStrategicMergePatch(
      svc,
      { spec: { ports: [{ port: 80, targetPort: 9090 }] } },
      SERVICE,
    ) as typeof svc;
    assert.deepEqual(out.spec.ports, [{ port: 80, targetPort: 9090 }, { port: 443 }]);
  });

  it('reads merge keys from the kind: a Pod merges containers too, a kind it does not know replaces its lists', () => {
    const pod = { metadata: { finalizers: ['a'] }, spec: { containers: [{ name: 'a' }, { name: 'b' }] } };
    const patch = { metadata: { finalizers: ['b'] }, spec: { containers: [{ name: 'b', image: 'x' }] } };
    const merged = applyStrategicMergePatch(
      pod,
      patch,
      MergeSchema.forKind('1.34', { group: '', version: 'v1', kind: 'Pod' }),
    );
    assert.deepEqual(merged, {
      metadata: { finalizers: ['a', 'b'] },
      spec: { containers: [{ name: 'a' }, { name: 'b', image: 'x' }] },
    });
    const unknown = MergeSchema.forKind('1.34', { group: 'example.com', version: 'v1', kind: 'Widget' });
    assert.deepEqual(applyStrategicMergePatch(pod, patch, unknown), {
      metadata: { finalizers: ['a', 'b'] },
      spec: { containers: [{ name: 'b', image: 'x' }] },
    });
  });

  it('keys lists by the table for server-side apply: container ports by containerPort, env by name', () => {
    const schema = DEPLOYMENT.child('spec').child('template').child('spec').child('containers');
    assert.deepEqual(schema.applyList('ports'), { kind: 'map', key: 'containerPort' });
    assert.deepEqual(schema.applyList('env'), { kind: 'map', key: 'name' });
    assert.deepEqual(schema.applyList('args'), { kind: 'atomic' });
    assert.deepEqual(DEPLOYMENT.child('metadata').applyList('finalizers'), { kind: 'set' });
    assert.deepEqual(DEPLOYMENT.child('spec').child('template').child('spec').patchList('tolerations'), {
      kind: 'atomic',
    });
  });
});
