import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { parseManifestFile } from './manifest-file.js';
import { deref, nodeAt } from './node-at.js';
import { MANIFEST_YAML_OPTIONS } from './yaml-options.js';
import { CORPUS, yamlFiles } from '../test-support/yaml-files.js';

/** The lookup as it was written before it was made allocation-free: the reference. */
function referenceNodeAt(doc: Document.Parsed, path: readonly (string | number)[]): Node | undefined {
  let current: unknown = doc.contents;
  for (const segment of path) {
    current = deref(doc, current);
    if (isMap(current)) {
      const pair = current.items.find((p) => isScalar(p.key) && String(p.key.value) === String(segment));
      current = pair?.value ?? undefined;
    } else if (isSeq(current) && typeof segment === 'number') current = current.items[segment];
    else return undefined;
    if (current === undefined || current === null) return undefined;
  }
  return (deref(doc, current) as Node | null) ?? undefined;
}

/** Every path below `node` (keys as their text and as numbers where they read as one), plus a few absent ones. */
function pathsOf(node: unknown, prefix: (string | number)[], out: (string | number)[][], depth = 0): void {
  out.push(prefix, [...prefix, 'absent'], [...prefix, 0]);
  if (depth > 30) return;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : 'x';
      pathsOf(pair.value, [...prefix, key], out, depth + 1);
      if (/^\d+$/.test(key)) out.push([...prefix, Number(key)]);
    }
  } else if (isSeq(node)) node.items.forEach((item, i) => pathsOf(item, [...prefix, i], out, depth + 1));
}

function agree(docs: readonly Document.Parsed[], where: string): void {
  for (const doc of docs) {
    const paths: (string | number)[][] = [];
    pathsOf(doc.contents, [], paths);
    for (const path of paths) assert.equal(nodeAt(doc, path), referenceNodeAt(doc, path), `${where} ${path.join('.')}`);
  }
}

describe('nodeAt', () => {
  it(
    'finds what the reference lookup finds on every corpus document (both parsers)',
    { skip: !existsSync(CORPUS) },
    () => {
      for (const file of yamlFiles(CORPUS)) {
        const text = readFileSync(file, 'utf8');
        agree(
          parseManifestFile(text).chunks.flatMap((c) => c.parsed.docs),
          file,
        );
        agree(parseAllDocuments(text, MANIFEST_YAML_OPTIONS) as Document.Parsed[], file);
      }
    },
  );

  it('on hostile and odd keys: numbers, nulls, booleans, duplicates, aliases, merge keys, __proto__', () => {
    const text = [
      '1: a\n"1": b\n1.0: c\ntrue: d\nnull: e\n~: f\n__proto__: {x: 1}\nconstructor: g\n',
      'a: &x {b: [1, {c: 2}]}\nd: *x\ne:\n  <<: *x\n  f: 1\n[1, 2]: z\n{k: v}: w\n',
      'a: 1\na: 2\n',
      '- - - 1\n  - &y [2]\n- *y\n',
    ].join('---\n');
    const docs = parseAllDocuments(text, MANIFEST_YAML_OPTIONS) as Document.Parsed[];
    agree(docs, 'hostile');
    const [first] = docs;
    assert.ok(first);
    assert.equal((nodeAt(first, [1]) as { value: unknown }).value, 'a');
    assert.equal((nodeAt(first, ['__proto__', 'x']) as { value: unknown }).value, 1);
    assert.equal(nodeAt(first, ['toString']), undefined);
  });
});
