import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { readTargetSelector, selectTargets, SelectorError, type SelectableResource } from './target-selector';

const res = (
  apiVersion: string,
  kind: string,
  name: string,
  extra: Record<string, unknown> = {},
  original?: Partial<SelectableResource>,
): SelectableResource => ({
  object: { apiVersion, kind, metadata: { name, ...extra } },
  ...original,
});

const resources = [
  res('apps/v1', 'Deployment', 'web-frontend', { labels: { tier: 'frontend' } }),
  res('apps/v1', 'Deployment', 'api', { labels: { tier: 'backend' }, annotations: { team: 'core' } }),
  res('apps/v1', 'StatefulSet', 'web-db', { namespace: 'data', labels: { tier: 'backend' } }),
  res('v1', 'Service', 'prod-web', {}, { originalName: 'web' }),
  res('rbac.authorization.k8s.io/v1', 'ClusterRole', 'reader'),
];
const names = (sel: Parameters<typeof selectTargets>[1]) =>
  selectTargets(resources, sel).map((r) => (r.object.metadata as { name: string }).name);

describe('patch targets', () => {
  it('anchors patterns at both ends and matches group, version and kind', () => {
    assert.deepEqual(names({ name: 'web' }), ['prod-web'], 'the original name matches too');
    assert.deepEqual(names({ name: 'web-.*' }), ['web-frontend', 'web-db']);
    assert.deepEqual(names({ kind: 'Deployment|StatefulSet', name: '(api|web-db)' }), ['api', 'web-db']);
    assert.deepEqual(names({ group: 'apps', version: 'v1', kind: 'Deployment' }), ['web-frontend', 'api']);
    assert.deepEqual(names({ group: '', kind: 'Service' }), ['prod-web']);
    assert.deepEqual(names({ group: 'rbac.*' }), ['reader']);
    assert.deepEqual(names({ kind: '(?i)service' }), ['prod-web']);
  });

  it('puts a resource without a namespace in default, and a cluster-scoped one in none', () => {
    assert.deepEqual(names({ namespace: 'default' }), ['web-frontend', 'api', 'prod-web']);
    assert.deepEqual(names({ namespace: 'data' }), ['web-db']);
    assert.deepEqual(names({ namespace: '.*' }), ['web-frontend', 'api', 'web-db', 'prod-web', 'reader']);
    assert.deepEqual(names({ namespace: '_non_namespaceable_' }), ['reader'], "kustomize's placeholder");
  });

  it('reads label and annotation selectors', () => {
    assert.deepEqual(names({ labelSelector: 'tier in (backend),tier!=frontend' }), ['api', 'web-db']);
    assert.deepEqual(names({ labelSelector: '!tier' }), ['prod-web', 'reader']);
    assert.deepEqual(names({ annotationSelector: 'team=core' }), ['api']);
    assert.deepEqual(names({ kind: 'Deployment', annotationSelector: '!team' }), ['web-frontend']);
  });

  it('refuses bad patterns and selector strings with the field', () => {
    const field = (sel: Parameters<typeof selectTargets>[1]) => {
      try {
        selectTargets(resources, sel);
      } catch (e) {
        assert.ok(e instanceof SelectorError, String(e));
        return e.field;
      }
      return undefined;
    };
    assert.equal(field({ name: '(' }), 'name');
    assert.equal(field({ kind: '(a+)+$' }), 'kind', 'a pattern that could backtrack badly');
    assert.equal(field({ name: '(x)\\1' }), 'name', 'RE2 has no backreferences');
    assert.equal(field({ namespace: 'a'.repeat(2000) }), 'namespace');
    assert.equal(field({ labelSelector: 'a in (' }), 'labelSelector');
    assert.equal(field({ annotationSelector: '===' }), 'annotationSelector');
  });

  it('reads a target map from a kustomization, refusing fields that are not strings', () => {
    assert.deepEqual(readTargetSelector({ kind: 'Deployment', name: 'x', other: 1 }), {
      kind: 'Deployment',
      name: 'x',
    });
    assert.throws(
      () => readTargetSelector({ name: 7 }),
      (e: unknown) => e instanceof SelectorError && e.field === 'name',
    );
    assert.throws(() => readTargetSelector(['kind']), SelectorError);
  });

  it('treats hostile labels and names as data', () => {
    const hostile = res(
      'v1',
      'ConfigMap',
      'constructor',
      JSON.parse('{"labels":{"__proto__":"x"}}') as Record<string, unknown>,
    );
    assert.throws(() => selectTargets([hostile], { labelSelector: '__proto__=x' }), SelectorError, 'not a label key');
    assert.equal(selectTargets([hostile], { labelSelector: 'constructor' }).length, 0, 'never an inherited member');
    assert.equal(selectTargets([hostile], { name: 'constructor' }).length, 1);
    assert.equal(selectTargets([res('v1', 'ConfigMap', 'toString')], { labelSelector: 'toString' }).length, 0);
  });
});
