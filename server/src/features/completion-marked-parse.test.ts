/**
 * Completion parses the cursor's document with the cursor's line marked (`__kw_key__:` and what followed
 * the key, or `key: __kw_value__`), through the fast path first (completion.ts, `locate`). Its answer
 * comes from that parse's tree, so the fast path must give the yaml package's tree or bail on such texts:
 * every line of every corpus and example document marked as completion marks it (a key typed at the
 * line's indentation, a partial key, a value replaced), hostile lines included.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { splitDocuments } from '../document/split-documents.js';
import { MANIFEST_YAML_OPTIONS } from '../document/yaml-options.js';
import { describeTree } from '../document/fast-yaml/describe-tree.js';
import { fastParseDocuments } from '../document/fast-yaml/index.js';
import { CORPUS, EXAMPLES, yamlFiles } from '../test-support/yaml-files.js';

const KEY_LINE = /^(\s*(?:-\s+)*)([\w./-]*)/;
const VALUE_LINE = /^(\s*(?:-\s+)*)([\w./-]+):\s+/;

/** The texts completion parses for cursors on this line of `text` (its lines split at LF). */
function markedTexts(lines: readonly string[], i: number): string[] {
  const line = lines[i]!;
  const join = (replaced: string): string => [...lines.slice(0, i), replaced, ...lines.slice(i + 1)].join('\n');
  const out: string[] = [];
  const key = KEY_LINE.exec(line);
  if (key) {
    const rest = line.slice(key[0].length);
    out.push(join(`${key[1]}__kw_key__${rest.includes(':') ? rest.slice(rest.indexOf(':')) : `:${rest}`}`));
  }
  const value = VALUE_LINE.exec(line);
  if (value) out.push(join(`${value[0]}__kw_value__`));
  return out;
}

describe("the parse of a completion's marked text", () => {
  it("is the yaml package's tree where the fast path takes it, on every line of the corpus", () => {
    let taken = 0;
    let texts = 0;
    for (const file of [CORPUS, EXAMPLES].flatMap(yamlFiles)) {
      for (const chunk of splitDocuments(readFileSync(file, 'utf8'))) {
        if (chunk.text.length > 20_000) continue;
        const lines = chunk.text.split('\n');
        for (let i = 0; i < lines.length; i++) {
          for (const marked of markedTexts(lines, i)) {
            texts++;
            const fast = fastParseDocuments(marked);
            if (fast === undefined) continue;
            taken++;
            const theirs = parseAllDocuments(marked, MANIFEST_YAML_OPTIONS);
            assert.deepEqual(
              fast.map(describeTree),
              Array.isArray(theirs) ? theirs.map(describeTree) : [],
              `${file}:${chunk.startLine + i + 1}: ${JSON.stringify(marked.slice(0, 300))}`,
            );
          }
        }
      }
    }
    console.log(`fast path: ${taken} of ${texts} marked texts`);
    if (texts > 1000) assert.ok(taken / texts > 0.5, `the fast path took ${taken} of ${texts} marked texts`);
  });
});
