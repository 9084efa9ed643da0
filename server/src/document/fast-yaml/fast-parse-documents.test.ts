import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { splitDocuments } from '../split-documents.js';
import { MANIFEST_YAML_OPTIONS } from '../yaml-options.js';
import { describeTree } from './describe-tree.js';
import { fastParseDocuments } from './fast-parse-documents.js';
import { EDGE_CASES, MUST_TAKE_FAST_PATH } from './edge-cases.js';
import { CORPUS, EXAMPLES, yamlFiles } from '../../test-support/yaml-files.js';
import { mutateYaml } from './fuzz-pieces.js';
import { seeded } from '../../test-support/seeded-random.js';

function chunksOf(dirs: string[]): { where: string; text: string }[] {
  return dirs.flatMap(yamlFiles).flatMap((file) => {
    const text = readFileSync(file, 'utf8');
    return splitDocuments(text).map((chunk) => ({ where: `${file}:${chunk.startLine + 1}`, text: chunk.text }));
  });
}

/** Fast path and `yaml` agree, or the fast path bails. Returns whether it took the fast path. */
function agrees(text: string, where: string): boolean {
  const ours = fastParseDocuments(text);
  if (ours === undefined) return false;
  const theirs = parseAllDocuments(text, MANIFEST_YAML_OPTIONS);
  const expected = Array.isArray(theirs) ? theirs.map(describeTree) : [];
  assert.deepEqual(ours.map(describeTree), expected, `${where}: ${JSON.stringify(text.slice(0, 200))}`);
  return true;
}

describe('fastParseDocuments against the yaml package', () => {
  it('agrees on every corpus and example document it takes, and takes most of them', () => {
    const chunks = chunksOf([CORPUS, EXAMPLES]);
    let fast = 0;
    for (const { where, text } of chunks) if (agrees(text, where)) fast++;
    console.log(
      `fast path: ${fast} of ${chunks.length} documents (${((100 * fast) / Math.max(1, chunks.length)).toFixed(1)}%)`,
    );
    if (chunks.length > 100)
      assert.ok(fast / chunks.length > 0.75, `only ${fast} of ${chunks.length} on the fast path`);
  });

  it('agrees on generated edge cases', () => {
    EDGE_CASES.forEach((text, i) => agrees(text, `edge case ${i}`));
    for (const text of MUST_TAKE_FAST_PATH) assert.ok(agrees(text, 'common case'), `bailed on ${JSON.stringify(text)}`);
  });

  it('supports what the server uses on its documents', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: x\ndata:\n  a: "1"\n';
    const [doc] = fastParseDocuments(text) ?? [];
    assert.ok(doc);
    assert.equal(doc.get('kind'), 'ConfigMap');
    assert.deepEqual(doc.errors, []);
    assert.deepEqual(doc.warnings, []);
    assert.deepEqual(doc.toJS(), { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x' }, data: { a: '1' } });
    assert.deepEqual(doc.getIn(['metadata', 'name']), 'x');
    assert.equal(doc.toString(), text);
  });

  it('never disagrees, throws or hangs on mutated corpus documents', { timeout: 120_000 }, () => {
    const chunks = chunksOf([CORPUS, EXAMPLES]).concat(
      EDGE_CASES.map((text, i) => ({ where: `edge case ${i}`, text })),
    );
    if (chunks.length === 0) return;
    const random = seeded(Number(process.env.KW_FUZZ_SEED ?? 20240611));
    const rounds = Number(process.env.KW_FUZZ_ROUNDS ?? 4000);
    for (let round = 0; round < rounds; round++) {
      const source = chunks[Math.floor(random() * chunks.length)] as { where: string; text: string };
      let text = source.text;
      const edits = 1 + Math.floor(random() * 3);
      for (let e = 0; e < edits; e++) text = mutateYaml(text, random);
      agrees(text, `mutation ${round} of ${source.where}`);
    }
  });
});
