import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { PatchError } from '../patch/patch-error';
import { applyStrategicMergePatch } from './strategic-merge';

const DEPLOYMENT = { apiVersion: 'apps/v1', kind: 'Deployment' };
const WIDGET = { apiVersion: 'example.com/v1', kind: 'Widget' };

const deployment = () => ({
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web', labels: { app: 'web' }, finalizers: ['x', 'y'] },
  spec: {
    selector: { matchLabels: { app: 'web' } },
    template: {
      spec: {
        containers: [
          {
            name: 'a',
            image: 'a:1',
            env: [{ name: 'A1', value: '1' }],
            ports: [{ containerPort: 80 }, { containerPort: 53, protocol: 'UDP' }],
          },
          { name: 'b', image: 'b:1' },
        ],
        tolerations: [{ key: 't1' }],
      },
    },
  },
});
type Dep = ReturnType<typeof deployment>;
const spec = (o: unknown) => (o as Dep).spec.template.spec;

// Expected results are what `kubectl kustomize` printed for the same patches.
describe("kustomize's strategic merge", () => {
  it('merges lists by merge key with the patch elements first, and replaces lists without one', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { finalizers: ['z', 'x'] },
        spec: {
          template: {
            spec: {
              containers: [
                { name: 'b', image: 'b:2' },
                { name: 'c', image: 'c:1' },
                {
                  name: 'a',
                  env: [{ name: 'A2', value: '2' }],
                  ports: [{ containerPort: 53, protocol: 'TCP', name: 'p' }],
                },
              ],
              tolerations: [{ key: 't2' }],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    assert.deepEqual((out as Dep).metadata.finalizers, ['z', 'x', 'y']);
    assert.deepEqual(
      spec(out).containers.map((c) => c.name),
      ['b', 'c', 'a'],
    );
    const a = spec(out).containers[2]!;
    assert.deepEqual(a.env, [
      { name: 'A2', value: '2' },
      { name: 'A1', value: '1' },
    ]);
    assert.deepEqual(a.ports, [
      { containerPort: 53, protocol: 'TCP', name: 'p' },
      { containerPort: 80 },
      { containerPort: 53, protocol: 'UDP' },
    ]);
    assert.deepEqual(spec(out).tolerations, [{ key: 't2' }]);
  });

  it('deletes with null and $patch: delete, replaces with $patch: replace, and keeps emptied maps and lists', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        metadata: { labels: { app: null } },
        spec: {
          selector: { $patch: 'replace', matchLabels: { app: 'other' } },
          template: { spec: { containers: [{ name: 'b', $patch: 'delete' }], tolerations: [{ $patch: 'replace' }] } },
        },
      },
      DEPLOYMENT,
    ) as Dep;
    assert.deepEqual(out.metadata.labels, {});
    assert.deepEqual(out.spec.selector, { matchLabels: { app: 'other' } });
    assert.deepEqual(
      spec(out).containers.map((c) => c.name),
      ['a'],
    );
    // tolerations never merge, so kustomize copies the patch's list, directive and all.
    assert.deepEqual(spec(out).tolerations, [{ $patch: 'replace' }]);
    assert.equal(applyStrategicMergePatch(deployment(), { $patch: 'delete' }, DEPLOYMENT), undefined);
    const noContainers = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { containers: [{ $patch: 'delete' }] } } } },
      DEPLOYMENT,
    );
    assert.equal(spec(noContainers).containers, undefined);
  });

  it('merges a new map and a new list with themselves: directives applied, duplicates collapsed (the last wins)', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      {
        spec: {
          template: {
            spec: {
              securityContext: {
                $patch: 'replace',
                runAsUser: 1,
                nested: { gone: { $patch: 'delete' }, kept: { a: 1 } },
              },
              imagePullSecrets: [{ name: 's1' }, { name: 's1', extra: 1 }],
            },
          },
        },
      },
      DEPLOYMENT,
    );
    const podSpec = spec(out) as Record<string, unknown>;
    assert.deepEqual(podSpec.securityContext, { runAsUser: 1, nested: { kept: { a: 1 } } });
    assert.deepEqual(podSpec.imagePullSecrets, [{ name: 's1', extra: 1 }]);
  });

  it('copies directives kustomize does not know ($retainKeys, $setElementOrder) as fields', () => {
    const out = applyStrategicMergePatch(
      deployment(),
      { spec: { template: { spec: { '$setElementOrder/containers': [{ name: 'b' }, { name: 'a' }] } } } },
      DEPLOYMENT,
    );
    assert.deepEqual((spec(out) as Record<string, unknown>)['$setElementOrder/containers'], [
      { name: 'b' },
      { name: 'a' },
    ]);
    assert.deepEqual(
      spec(out).containers.map((c) => c.name),
      ['a', 'b'],
    );
  });

  it('replaces every list of a kind the merge metadata does not know, and merges its maps', () => {
    const widget = {
      apiVersion: 'example.com/v1',
      kind: 'Widget',
      metadata: { finalizers: ['a'] },
      spec: { parts: [{ name: 'a' }, { name: 'b' }], s: { x: 1 } },
    };
    assert.deepEqual(
      applyStrategicMergePatch(
        widget,
        { metadata: { finalizers: ['b'] }, spec: { parts: [{ name: 'b', n: 2 }], s: { y: 2 } } },
        WIDGET,
      ),
      {
        apiVersion: 'example.com/v1',
        kind: 'Widget',
        metadata: { finalizers: ['b'] },
        spec: { parts: [{ name: 'b', n: 2 }], s: { x: 1, y: 2 } },
      },
    );
  });

  it('never mutates its inputs and keeps the identity of subtrees the patch does not touch', () => {
    const target = deployment();
    const patch = { spec: { template: { spec: { containers: [{ name: 'a', image: 'a:2' }] } } } };
    const before = JSON.stringify([target, patch]);
    const out = applyStrategicMergePatch(target, patch, DEPLOYMENT) as Dep;
    assert.equal(JSON.stringify([target, patch]), before);
    assert.equal(out.metadata, target.metadata);
    assert.equal(out.spec.selector, target.spec.selector);
    assert.equal(spec(out).containers[1], target.spec.template.spec.containers[1]);
    assert.notEqual(spec(out).containers[0], target.spec.template.spec.containers[0]);
  });

  it('refuses a node of another kind, an unknown directive and too deep a patch, with where', () => {
    assert.throws(
      () => applyStrategicMergePatch(deployment(), { spec: { template: [] } }, DEPLOYMENT),
      (e: unknown) => e instanceof PatchError && /spec\.template/.test(e.message),
    );
    assert.throws(
      () => applyStrategicMergePatch(deployment(), { spec: { $patch: 'explode' } }, DEPLOYMENT),
      /unknown patch strategy '"explode"' at spec/,
    );
    assert.throws(
      () =>
        applyStrategicMergePatch(
          deployment(),
          { spec: { template: { spec: { containers: [{ $patch: 7 }] } } } },
          DEPLOYMENT,
        ),
      PatchError,
    );
    let deep: Record<string, unknown> = {};
    const root = deep;
    for (let i = 0; i < 5000; i++) deep = deep.x = {};
    assert.throws(() => applyStrategicMergePatch({}, root, WIDGET), /deeper than 1000 levels/);
    let list: unknown[] = [];
    const lists = { spec: { x: list } };
    for (let i = 0; i < 100_000; i++) list = list[0] = [];
    assert.throws(() => applyStrategicMergePatch({}, lists, WIDGET), /patch nests deeper/);
    assert.throws(() => applyStrategicMergePatch(lists, {}, WIDGET), /resource nests deeper/);
  });

  it('keeps __proto__ and constructor keys as data', () => {
    const patch = JSON.parse(
      '{"metadata":{"labels":{"__proto__":"p","constructor":"c"}},"spec":{"__proto__":{"polluted":true}}}',
    ) as Record<string, unknown>;
    const out = applyStrategicMergePatch(deployment(), patch, DEPLOYMENT) as Record<string, Record<string, unknown>>;
    assert.equal(Object.getPrototypeOf(out.spec), Object.prototype);
    assert.ok(Object.hasOwn(out.spec!, '__proto__'));
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
    assert.deepEqual(Object.keys((out.metadata as Record<string, Record<string, unknown>>).labels!), [
      'app',
      '__proto__',
      'constructor',
    ]);
  });

  it('matches elements by merge key values as text, huge numbers included', () => {
    const svc = { apiVersion: 'v1', kind: 'Service', spec: { ports: [{ port: 1e21, name: 'huge' }, { port: 80 }] } };
    const out = applyStrategicMergePatch(
      svc,
      { spec: { ports: [{ port: 1e21, name: 'still-huge' }] } },
      { apiVersion: 'v1', kind: 'Service' },
    ) as typeof svc;
    assert.deepEqual(out.spec.ports, [{ port: 1e21, name: 'still-huge' }, { port: 80 }]);
  });
});
