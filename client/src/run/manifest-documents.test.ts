import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { documentAt, parseManifests, sortForApply, sortForDelete } from './manifest-documents';

const kinds = (items: { object: { kind: string } }[]) => items.map((i) => i.object.kind);

describe('manifest documents', () => {
  it('orders Namespaces, config, storage, Services, workloads, Ingresses; keeps file order within a rank', () => {
    const text = [
      'Ingress',
      'Deployment',
      'Service',
      'PersistentVolumeClaim',
      'Secret',
      'ConfigMap',
      'Namespace',
      'Pod',
    ]
      .map((kind, i) => `apiVersion: v1\nkind: ${kind}\nmetadata:\n  name: n${i}\n`)
      .join('---\n');
    const { documents, problems } = parseManifests(text);
    assert.deepEqual(problems, []);
    assert.deepEqual(kinds(sortForApply(documents)), [
      'Namespace',
      'Secret',
      'ConfigMap',
      'PersistentVolumeClaim',
      'Service',
      'Deployment',
      'Pod',
      'Ingress',
    ]);
    assert.deepEqual(kinds(sortForDelete(documents))[0], 'Ingress');
    assert.deepEqual(kinds(sortForDelete(documents)).at(-1), 'Namespace');
  });

  it('skips empty documents, expands Lists and names documents that are not objects', () => {
    const text = `---\n# nothing\n---\napiVersion: v1\nkind: List\nitems:\n  - { apiVersion: v1, kind: ConfigMap, metadata: { name: a } }\n---\nkind: Service\nmetadata: { name: s }\n---\napiVersion: v1\nkind: Pod\nmetadata: {}\n`;
    const { documents, problems } = parseManifests(text);
    assert.deepEqual(kinds(documents), ['ConfigMap']);
    assert.deepEqual(problems, ['document 3: has no apiVersion', 'document 4: Pod has no metadata.name']);
  });

  it('finds the document under the cursor', () => {
    const text =
      'apiVersion: v1\nkind: ConfigMap\nmetadata: { name: a }\n---\napiVersion: v1\nkind: ConfigMap\nmetadata: { name: b }\n';
    const { documents } = parseManifests(text);
    assert.equal(documentAt(documents, text.indexOf('name: b'))?.object.metadata.name, 'b');
    assert.equal(documentAt(documents, 0)?.object.metadata.name, 'a');
  });
});
