// `plainValue` must give exactly what the `yaml` package's `toJS` gives (same
// values, same own properties and prototypes): on every node of every corpus
// document, through both parsers (the fast path and the package), and on input
// written to break it (prototype keys, merge keys, aliases, odd keys and tags).
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { isMap, isNode, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node } from 'yaml';
import { parseManifestFile } from './manifest-file.js';
import { plainValue } from './plain-value.js';
import { MANIFEST_YAML_OPTIONS } from './yaml-options.js';
import { CORPUS, yamlFiles } from '../test-support/yaml-files.js';

function expected(doc: Document, node: Node): unknown {
  try {
    return { value: node.toJS(doc, { maxAliasCount: 100 }) as unknown };
  } catch (error) {
    return { threw: String(error) };
  }
}

function actual(doc: Document, node: Node): unknown {
  try {
    return { value: plainValue(doc, node) };
  } catch (error) {
    return { threw: String(error) };
  }
}

/** Compares every collection and scalar node of every document of `text`; returns how many. */
function compareAll(docs: readonly Document[], label: string): number {
  let count = 0;
  for (const doc of docs) {
    // The root converts every node below it; its direct children on their own too.
    const nodes: Node[] = [];
    if (doc.contents) nodes.push(doc.contents);
    if (isMap(doc.contents)) for (const pair of doc.contents.items) if (isNode(pair.value)) nodes.push(pair.value);
    if (isSeq(doc.contents)) for (const item of doc.contents.items) if (isNode(item)) nodes.push(item);
    for (const node of nodes) {
      assert.deepStrictEqual(actual(doc, node), expected(doc, node), `${label}: ${String(node.range)}`);
      count++;
    }
  }
  return count;
}

function both(text: string, label: string): number {
  const fast = parseManifestFile(text).chunks.flatMap((c) => c.parsed.docs);
  const full = parseAllDocuments(text, MANIFEST_YAML_OPTIONS);
  return compareAll(fast, `${label} (as parsed)`) + compareAll(Array.isArray(full) ? full : [], `${label} (yaml)`);
}

const HOSTILE = [
  '__proto__: {polluted: true}\nconstructor: 1\ntoString: x\nhasOwnProperty: [1]\n',
  'a: &x {b: 1}\nc: *x\nd: [*x, *x]\n',
  'base: &b {x: 1, y: 2}\nderived:\n  <<: *b\n  y: 3\n',
  '\'<<\': {quoted: merge}\n"<<": 2\n',
  '? [a, b]\n: collection key\n? {k: v}\n: map key\n',
  '1: one\n0x1f: hex\ntrue: yes\nnull: nothing\n~: tilde\n1.5: float\n0755: octal\n',
  ': no key\n? only key\n',
  'set: !!set {a, b}\nomap: !!omap [a: 1, b: 2]\nbin: !!binary aGVsbG8=\n',
  'big: 123456789012345678901234567890\nneg: -0\ninf: .inf\nnan: .nan\n',
  'date: 2001-12-14t21:59:43.10-05:00\nplain: 2002-12-14\n',
  'a: !custom {x: 1}\nb: !!str 1\nc: !!int "2"\n',
  `deep: ${'['.repeat(2000)}${']'.repeat(2000)}\n`,
  `${Array.from({ length: 30 }, (_, i) => `k${i}: &a${i} ${i === 0 ? '[x]' : `[*a${i - 1}, *a${i - 1}]`}`).join('\n')}\n`,
  'dup: 1\ndup: 2\n',
  '1: number\n"1": string\ntoString: own\ntoString: again\n__proto__: 1\n__proto__: 2\n',
  'list:\n- a\n-\n- - nested\n  - seq\n- {x: }\n',
];

describe('plainValue', () => {
  it('converts every node of every corpus document as toJS does', () => {
    let count = 0;
    for (const path of yamlFiles(CORPUS)) count += both(readFileSync(path, 'utf8'), path);
    assert.ok(count > 1000 || !existsSync(CORPUS), `only ${count} nodes compared`);
  });

  it('converts hostile input as toJS does (or hands it to toJS)', () => {
    for (const text of HOSTILE) both(text, JSON.stringify(text.slice(0, 80)));
    const proto = parseManifestFile('__proto__: {polluted: true}\n').chunks[0]?.parsed.docs[0];
    assert.ok(proto?.contents);
    const value = plainValue(proto, proto.contents) as Record<string, unknown>;
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
    assert.deepEqual(Object.keys(value), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });
});
