import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isKustomizationFile, readKustomizationEntries } from './kustomization-entries.js';

const TEXT = `resources:
  - ../base
  - "svc.yaml"
components: [../components/tls]
patches:
  - path: patch.yaml
    target: {kind: Deployment, name: web}
patchesStrategicMerge:
  - legacy.yaml
  - |-
    apiVersion: v1
    kind: Service
patchesJson6902:
  - path: ops.yaml
    target: {kind: Service, name: web}
configMapGenerator:
  - name: settings
    files: [config.json, key=other.txt]
    envs: [app.env]
replicas:
  - name: web
    count: 2
`;

describe('readKustomizationEntries', () => {
  it('finds every path with its role and the exact offsets of its text', () => {
    const { entries } = readKustomizationEntries(TEXT);
    assert.deepEqual(
      entries.map((e) => [e.role, e.value, TEXT.slice(e.start, e.end)]),
      [
        ['resource', '../base', '../base'],
        ['resource', 'svc.yaml', 'svc.yaml'],
        ['component', '../components/tls', '../components/tls'],
        ['patch', 'patch.yaml', 'patch.yaml'],
        ['patch-strategic', 'legacy.yaml', 'legacy.yaml'],
        ['patch-json6902', 'ops.yaml', 'ops.yaml'],
        ['generator-source', 'config.json', 'config.json'],
        ['generator-source', 'other.txt', 'other.txt'],
        ['generator-source', 'app.env', 'app.env'],
      ],
    );
  });

  it('reads patch targets and replicas entries as selectors', () => {
    const { targets } = readKustomizationEntries(TEXT);
    assert.deepEqual(
      targets.map((t) => [t.path.join('.'), { ...t.selector }]),
      [
        ['patches.0.target', { kind: 'Deployment', name: 'web' }],
        ['patchesJson6902.0.target', { kind: 'Service', name: 'web' }],
        ['replicas.0', { name: 'web', count: '2' }],
      ],
    );
  });

  it('survives hostile input: wrong shapes, __proto__ keys, deep nesting, broken YAML', () => {
    for (const text of [
      'resources: 5\npatches: {a: 1}\n',
      'patches:\n  - target: {__proto__: {kind: x}, kind: Pod}\n',
      `resources: ${'['.repeat(500)}${']'.repeat(500)}\n`,
      'resources:\n  - [unclosed\n',
      '- just a list\n',
    ]) {
      const { entries, targets } = readKustomizationEntries(text);
      assert.equal(typeof entries.length, 'number');
      for (const t of targets) assert.equal(Object.getPrototypeOf(t.selector), null);
    }
  });

  it('recognises the three kustomization file names only', () => {
    assert.ok(isKustomizationFile('/a/kustomization.yaml'));
    assert.ok(isKustomizationFile('file:///a/kustomization.yml'));
    assert.ok(isKustomizationFile('C:\\a\\Kustomization'));
    assert.ok(!isKustomizationFile('/a/my-kustomization.yaml'));
    assert.ok(!isKustomizationFile('/a/kustomization.json'));
  });
});
