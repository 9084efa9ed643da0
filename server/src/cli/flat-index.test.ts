/**
 * `validate`'s index of numbers answers every lookup of the checks as the editor's `WorkspaceIndex`
 * does, the same entries in the same order: several files added out of URI order, duplicates
 * across files and namespaces, a namespace left out and one written as '', pods selected by
 * labels (the first label missing, values that are not strings), names in other namespaces in the
 * editor's order (each namespace's first in index order, then index order), entries that are not packed
 * (labels that are not strings), a file that could not be read dropped, an emptied file forgotten.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseManifestFile } from '../document/manifest-file.js';
import { extractResources } from '../workspace/extract-resources.js';
import type { IndexedResource } from '../workspace/indexed-resource.js';
import type { ResourceList } from '../workspace/checks/resource-lookup.js';
import { WorkspaceIndex } from '../workspace/workspace-index.js';
import { FactArena } from './fact-arena.js';
import { FlatIndex } from './flat-index.js';
import { ResourcePacker } from './packed-resource.js';
import { StringTable } from './string-table.js';

const pod = (name: string, ns: string | undefined, labels: string): string =>
  `apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: ${name}\n${ns === undefined ? '' : `  namespace: "${ns}"\n`}spec:\n  template:\n    metadata:\n      labels: {${labels}}\n    spec:\n      containers:\n        - name: c\n          image: nginx\n          ports: [{ name: http, containerPort: 80 }]\n`;
const config = (name: string, ns?: string): string =>
  `apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: ${name}\n${ns === undefined ? '' : `  namespace: "${ns}"\n`}data:\n  a: "1"\n`;

const FILES: [string, string][] = [
  [
    'file:///w/b.yaml',
    [pod('web', undefined, 'app: web, tier: front'), config('cfg'), config('cfg', 'other')].join('---\n'),
  ],
  [
    'file:///w/a.yaml',
    [pod('web', '', 'app: web'), pod('api', 'prod', 'app: api, n: 1'), config('cfg', '')].join('---\n'),
  ],
  [
    'file:///w/c.yaml',
    [config('cfg', 'prod'), pod('web', undefined, 'tier: front, app: web'), config('cfg')].join('---\n'),
  ],
  ['file:///w/d.yaml', pod('odd', undefined, 'app: web, weird: [1, 2]')],
];

/** Each entry as comparable text (its file and every fact). */
const texts = (list: ResourceList | readonly IndexedResource[]): string[] => [...list].map((r) => JSON.stringify(r));

function build(): { editor: WorkspaceIndex; flat: FlatIndex } {
  const editor = new WorkspaceIndex();
  const strings = new StringTable();
  const packer = new ResourcePacker(new FactArena(strings));
  const flat = new FlatIndex(strings);
  for (const [uri, text] of FILES) {
    // The last file's entries have no namespace at all (extraction gives every entry one).
    const resources = extractResources(uri, parseManifestFile(text)).map((r) =>
      uri.endsWith('d.yaml') ? { ...r, namespace: undefined } : r,
    );
    editor.set(uri, resources);
    flat.add(resources.map((r) => packer.pack(r) ?? r));
    flat.set(uri, flat.endFile(true));
  }
  // A file that could not be read: what it added is dropped, and it is not indexed.
  flat.add(extractResources('file:///w/e.yaml', parseManifestFile(config('cfg'))));
  flat.endFile(false);
  return { editor, flat };
}

describe('FlatIndex', () => {
  it('lists each file and answers every lookup as the editor index does', () => {
    const { editor, flat } = build();
    for (const [uri] of [...FILES, ['file:///w/e.yaml']]) {
      const uri0 = uri ?? '';
      assert.deepEqual(texts(flat.resources(uri0)), texts(editor.resources(uri0)), uri0);
    }
    for (const kind of ['ConfigMap', 'Deployment', 'Service'])
      for (const ns of [undefined, '', 'default', 'other', 'prod'])
        for (const name of ['cfg', 'web', 'api', 'none']) {
          const what = `${kind} ${String(ns)} ${name}`;
          assert.deepEqual(texts(flat.named(kind, ns, name)), texts(editor.named(kind, ns, name)), what);
          assert.deepEqual(
            texts(flat.namedElsewhere(kind, ns, name)),
            texts(editor.namedElsewhere(kind, ns, name)),
            what,
          );
        }
    const selectors: Record<string, string>[] = [
      { app: 'web' },
      { tier: 'front', app: 'web' },
      { app: 'api', n: '1' },
      { missing: 'x', app: 'web' },
      {},
      { app: 1 as unknown as string },
    ];
    for (const ns of [undefined, '', 'default', 'prod'])
      for (const selector of selectors)
        for (let twice = 0; twice < 2; twice++)
          assert.deepEqual(
            texts(flat.selectedPods(ns, selector)),
            texts(editor.selectedPods(ns, selector)),
            JSON.stringify([ns, selector]),
          );
  });

  it('tells two reads of one entry from two entries of the same name', () => {
    const { flat } = build();
    const first = flat.named('ConfigMap', 'default', 'cfg');
    assert.equal(first.length, 3);
    const [a, b] = [first.at(0), first.at(1)];
    assert.ok(a && b);
    assert.notEqual(a, flat.named('ConfigMap', 'default', 'cfg').at(0));
    assert.ok(flat.same(a, flat.named('ConfigMap', 'default', 'cfg').at(0) ?? b));
    assert.ok(!flat.same(a, b));
    assert.equal(first.at(-2)?.uri, b.uri);
    assert.equal(first.at(3), undefined);
  });

  it('forgets a file set with no entries', () => {
    const { flat } = build();
    flat.set('file:///w/b.yaml', flat.endFile(true));
    assert.equal(flat.resources('file:///w/b.yaml').length, 0);
    assert.deepEqual(
      [...flat.named('ConfigMap', 'default', 'cfg')].map((r) => r.uri),
      ['file:///w/a.yaml', 'file:///w/c.yaml'],
    );
  });
});
