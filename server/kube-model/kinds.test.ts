import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { apiVersionOf, groupVersionOf, isNamespacedKind, namespaceOf } from './kinds';
import { loadSchemas } from './schema-loader';

describe('kinds', () => {
  it('splits and joins apiVersions', () => {
    assert.equal(apiVersionOf({ group: '', version: 'v1' }), 'v1');
    assert.equal(apiVersionOf({ group: 'apps', version: 'v1' }), 'apps/v1');
    assert.deepEqual(groupVersionOf('networking.k8s.io/v1'), { group: 'networking.k8s.io', version: 'v1' });
    assert.deepEqual(groupVersionOf('v1'), { group: '', version: 'v1' });
  });

  it('knows which kinds are cluster-scoped; custom resources count as namespaced', () => {
    assert.equal(isNamespacedKind('Pod'), true);
    assert.equal(isNamespacedKind('Node'), false);
    assert.equal(isNamespacedKind('Widget'), true);
    assert.equal(namespaceOf('Deployment', undefined), 'default');
    assert.equal(namespaceOf('ClusterRole', 'x'), undefined);
  });

  it('names every cluster-scoped kind of the default schemas that is not a review or a list', () => {
    const schemas = loadSchemas();
    // Kinds whose definitions have no metadata.namespace to speak of are not checked; this catches a typo.
    for (const kind of ['Namespace', 'Node', 'PersistentVolume', 'StorageClass', 'IngressClass', 'PriorityClass']) {
      assert.ok(schemas.apiVersionsOf(kind).length > 0, kind);
      assert.equal(isNamespacedKind(kind), false, kind);
    }
  });
});
