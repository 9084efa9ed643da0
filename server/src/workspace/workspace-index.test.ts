// The pods a Service selector selects (what the service-selector and target-port checks,
// navigation and completions show) through the index's label lookup, against every pod of
// the namespace filtered one by one, over generated workspaces: several namespaces, shared
// and hostile label keys and values, empty selectors, and after edits patched in place.
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mapSelects } from '../../kube-model/label-selector.js';
import { parseManifestFile } from '../document/manifest-file.js';
import { seeded } from '../test-support/seeded-random.js';
import { extractResources } from './extract-resources.js';
import type { IndexedResource } from './indexed-resource.js';
import { resourceKey, WorkspaceIndex } from './workspace-index.js';

const KEYS = ['app', 'tier', 'a=b', '__proto__', 'constructor', 'app.kubernetes.io/name', ''];
const VALUES = ['web', 'api', 'b=c', '', 'web ', '1', 'true'];

function pick<T>(random: () => number, from: readonly T[]): T {
  return from[Math.floor(random() * from.length)] as T;
}

function labels(random: () => number, indent: string): string {
  const count = Math.floor(random() * 4);
  if (count === 0) return '{}';
  const lines: string[] = [];
  const used = new Set<string>();
  for (let i = 0; i < count; i++) {
    const key = pick(random, KEYS);
    if (used.has(key)) continue;
    used.add(key);
    lines.push(`\n${indent}${JSON.stringify(key)}: ${JSON.stringify(pick(random, VALUES))}`);
  }
  return lines.join('') || '{}';
}

function workload(random: () => number, i: number): string {
  const ns = pick(random, ['default', 'shop', undefined]);
  const kind = pick(random, ['Deployment', 'Pod', 'Job']);
  const meta = `metadata:\n  name: w${i}\n${ns ? `  namespace: ${ns}\n` : ''}`;
  if (kind === 'Pod')
    return `apiVersion: v1\nkind: Pod\n${meta}  labels: ${labels(random, '    ')}\nspec:\n  containers:\n    - name: c\n      image: i:1\n`;
  const api = kind === 'Job' ? 'batch/v1' : 'apps/v1';
  return `apiVersion: ${api}\nkind: ${kind}\n${meta}spec:\n  template:\n    metadata:\n      labels: ${labels(random, '        ')}\n    spec:\n      containers:\n        - name: c\n          image: i:1\n`;
}

/** Every pod of the namespace, filtered one by one (what `selectedPods` answered before the label lookup). */
function bruteForce(index: WorkspaceIndex, namespace: string | undefined, selector: Record<string, string>) {
  return [...index.all()].filter(
    (r) => r.pod !== undefined && (r.namespace ?? '') === (namespace ?? '') && mapSelects(selector, r.pod.labels),
  );
}

function selectors(random: () => number): Record<string, string>[] {
  const out: Record<string, string>[] = [{}];
  for (let i = 0; i < 60; i++) {
    const s: Record<string, string> = {};
    const count = 1 + Math.floor(random() * 3);
    for (let k = 0; k < count; k++)
      Object.defineProperty(s, pick(random, KEYS), {
        value: pick(random, VALUES),
        enumerable: true,
        writable: true,
        configurable: true,
      });
    out.push(s);
  }
  return out;
}

describe('the pods a selector selects', () => {
  it('are those of the namespace whose labels match, in index order', () => {
    for (const seed of [1, 2, 3]) {
      const random = seeded(seed);
      const index = new WorkspaceIndex();
      for (let f = 0; f < 12; f++) {
        const uri = `file:///w/f${f}.yaml`;
        const text = Array.from({ length: 15 }, (_, i) => workload(random, f * 100 + i)).join('---\n');
        index.set(uri, extractResources(uri, parseManifestFile(text)));
      }
      let selected = 0;
      for (const namespace of ['default', 'shop', 'none', undefined])
        for (const selector of selectors(random)) {
          const ours: IndexedResource[] = index.selectedPods(namespace, selector);
          assert.deepEqual(ours, bruteForce(index, namespace, selector), JSON.stringify({ seed, namespace, selector }));
          selected += ours.length;
        }
      assert.ok(selected > 100, `only ${selected} pods selected`);
    }
  });

  it('follow an edit that changes a label and is patched into the tables in place', () => {
    const uri = 'file:///w/a.yaml';
    const text = (label: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata:\n  name: p\n  labels:\n    app: ${label}\nspec:\n  containers:\n    - name: c\n      image: i:1\n`;
    const index = new WorkspaceIndex();
    index.set(uri, extractResources(uri, parseManifestFile(text('web'))));
    assert.equal(index.selectedPods('default', { app: 'web' }).length, 1);
    index.replace(uri, extractResources(uri, parseManifestFile(text('api'))));
    assert.deepEqual(index.selectedPods('default', { app: 'web' }), []);
    assert.equal(index.selectedPods('default', { app: 'api' }).length, 1);
  });
});

describe('the resources of a kind and name in other namespaces', () => {
  it('are every such resource of the index, in the order the index kept them', () => {
    const random = seeded(7);
    const index = new WorkspaceIndex();
    const kinds = ['ConfigMap', 'Secret', 'Service'];
    const names = ['a', 'b', 'a/b', '__proto__', 'constructor'];
    const namespaces = ['default', 'shop', 'a', 'b'];
    for (let f = 0; f < 10; f++) {
      const uri = `file:///w/n${f}.yaml`;
      const text = Array.from(
        { length: 12 },
        () =>
          `apiVersion: v1\nkind: ${pick(random, kinds)}\nmetadata:\n  name: ${JSON.stringify(pick(random, names))}\n  namespace: ${pick(random, namespaces)}\n`,
      ).join('---\n');
      index.set(uri, extractResources(uri, parseManifestFile(text)));
    }
    let found = 0;
    // The order the index kept them in: by kind, namespace and name in first-seen order, then index order.
    const groups = new Map<string, IndexedResource[]>();
    for (const r of index.all())
      if (r.name !== undefined) {
        const key = resourceKey(r.kind, r.namespace, r.name);
        groups.set(key, [...(groups.get(key) ?? []), r]);
      }
    const all = [...groups.values()].flat();
    for (const kind of [...kinds, 'Pod'])
      for (const name of [...names, 'c'])
        for (const namespace of [...namespaces, undefined]) {
          const ours = index.namedElsewhere(kind, namespace, name);
          const expected = all.filter((r) => r.kind === kind && r.name === name && r.namespace !== namespace);
          assert.deepEqual(ours, expected, JSON.stringify({ kind, name, namespace }));
          found += ours.length;
        }
    assert.ok(found > 100, `only ${found} found`);
  });
});
