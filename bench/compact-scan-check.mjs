// Checks the compact-scan prototype (bench/lib/compact-scan.ts) against the fast YAML
// path over every corpus document (or the folder given): the same nodes in the same
// order, of the same kinds, scalars at the same ranges, the same number of duplicate
// keys; counts the documents it leaves to the fast path (issue #18 row 3, session 16).
//   node --import tsx bench/compact-scan-check.mjs [folder]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { readFileSync } from 'node:fs';
import { isMap, isScalar, isSeq, Scalar } from 'yaml';
import { fastParseDocuments } from '../server/src/document/fast-yaml/fast-parse-documents.ts';
import { splitDocuments } from '../server/src/document/split-documents.ts';
import * as compact from './lib/compact-scan.ts';
import { EDGE_CASES, MUST_TAKE_FAST_PATH } from '../server/src/document/fast-yaml/edge-cases.ts';
import { flowCases } from '../server/src/document/fast-yaml/flow-edge-cases.ts';
import { duplicateKeys, quotedOverLines, spaceBeforeColon } from '../server/src/document/fast-yaml/line-edge-cases.ts';
import { seeded } from '../server/src/test-support/seeded-random.ts';
import { CORPUS, yamlFiles } from '../server/src/test-support/yaml-files.ts';
import { mutateYaml } from '../server/src/document/fast-yaml/fuzz-pieces.ts';

const files = yamlFiles(process.argv[2] ?? CORPUS);

const KIND = {
  QUOTE_DOUBLE: compact.DOUBLE,
  QUOTE_SINGLE: compact.SINGLE,
  BLOCK_LITERAL: compact.BLOCK,
  BLOCK_FOLDED: compact.BLOCK,
};
/** The fast path's nodes in document order as [kind, start, end] (end only for scalars). */
function flatten(node, out) {
  if (isMap(node)) {
    out.push([node.flow ? compact.FLOW_MAP : compact.MAP, node.range[0]]);
    for (const pair of node.items) {
      flatten(pair.key, out);
      flatten(pair.value, out);
    }
  } else if (isSeq(node)) {
    out.push([node.flow ? compact.FLOW_SEQ : compact.SEQ, node.range[0]]);
    for (const item of node.items) flatten(item, out);
  } else if (isScalar(node)) {
    const kind = node.type === Scalar.PLAIN ? (node.source === '' ? compact.EMPTY : compact.PLAIN) : KIND[node.type];
    out.push([kind, node.range[0], kind === compact.BLOCK ? undefined : node.range[1]]);
  } else out.push(['?']);
  return out;
}

// The fast path's own fuzz (fast-parse-documents.test.ts): small edits with YAML's indicators.
let docs = 0,
  taken = 0,
  fastOnly = 0,
  compactOnly = 0,
  mismatched = 0,
  nodes = 0;
const examples = [];
function compare(text, where) {
  docs++;
  const fast = fastParseDocuments(text);
  const count = compact.compactScan(text);
  if (count < 0) {
    if (fast) {
      fastOnly++;
      if (process.env.SHOW) console.log(`left: ${where}`);
    }
    return;
  }
  if (!fast || fast.length !== 1) {
    compactOnly++;
    if (process.env.SHOW_TAKEN)
      examples.push(`compact took what the fast path leaves: ${where}: ${JSON.stringify(text.slice(0, 300))}`);
    return;
  }
  taken++;
  nodes += count;
  const want = flatten(fast[0].contents, []);
  let bad = want.length !== count ? `${want.length} nodes against ${count}` : undefined;
  for (let i = 0; !bad && i < count; i++) {
    const [kind, start, end] = want[i];
    if (
      kind !== compact.tree.kind[i] ||
      start !== compact.tree.start[i] ||
      (end !== undefined && end !== compact.tree.end[i])
    )
      bad = `node ${i}: [${want[i]}] against [${compact.tree.kind[i]},${compact.tree.start[i]},${compact.tree.end[i]}]`;
  }
  if (!bad && fast[0].errors.length !== compact.tree.duplicates)
    bad = `duplicates ${fast[0].errors.length} against ${compact.tree.duplicates}`;
  if (bad) {
    mismatched++;
    if (examples.length < 40) examples.push(`${where}: ${bad}: ${JSON.stringify(text.slice(0, 300))}`);
  }
}

const chunks = [];
for (const file of files)
  for (const chunk of splitDocuments(readFileSync(file, 'utf8')))
    if (/\S/.test(chunk.text.replace(/^\s*#.*$/gm, ''))) chunks.push({ where: file, text: chunk.text });
for (const { where, text } of chunks) compare(text, where);
report('corpus');
const deep = (n) => Array.from({ length: n }, (_, i) => `${' '.repeat(i)}k${i}:`).join('\n') + ' x\n';
const hostile = [
  deep(99),
  deep(101),
  deep(300),
  `a: ${'['.repeat(63)}${']'.repeat(63)}\n`,
  `a: ${'['.repeat(65)}${']'.repeat(65)}\n`,
  `${'- '.repeat(150)}x\n`,
  '__proto__: 1\nconstructor: 2\n__proto__: 3\n',
  'a:\n  __proto__:\n    toString: x\n',
  '{__proto__: 1, b: 2}\n',
  `n: ${'9'.repeat(400)}\nf: 0.1e-400\ng: 1_000.5_0\nh: -.inf\n`,
  'a: "\\u0000\\x00\\U0010FFFF"\nb: "\\ud800"\n',
  'a: \u0000\nb: \uFFFD\nc: \ud800x\n',
  'a: "\u2028"\nb: x\u0085y\n',
  'k: v\n'.repeat(5000),
];
const generated = [
  ...hostile,
  ...EDGE_CASES,
  ...MUST_TAKE_FAST_PATH,
  ...flowCases(),
  ...quotedOverLines(),
  ...spaceBeforeColon(),
  ...duplicateKeys(),
];
generated.forEach((text, i) => compare(text, `generated case ${i}`));
report("the fast path's generated edge cases");
const random = seeded(20261205);
const rounds = Number(process.env.ROUNDS ?? 20000);
const all = chunks.concat(generated.map((text, i) => ({ where: `generated case ${i}`, text })));
for (let round = 0; round < rounds; round++) {
  const source = all[Math.floor(random() * all.length)];
  let text = source.text;
  const edits = 1 + Math.floor(random() * 3);
  for (let e = 0; e < edits; e++) text = mutateYaml(text, random);
  compare(text, `mutation ${round} of ${source.where}`);
}
report(`${rounds} mutated documents`);

function report(what) {
  console.log(
    `${what}: ${docs} documents: compact scan takes ${taken} (${nodes} nodes), leaves ${fastOnly} the fast path takes; takes ${compactOnly} the fast path leaves; ${mismatched} differ`,
  );
  for (const e of examples.splice(0)) console.log('  ' + e);
  docs = taken = fastOnly = compactOnly = mismatched = nodes = 0;
}
