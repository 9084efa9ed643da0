// Which corpus documents leave the YAML fast path, and why (issue #18): a table of
// bail reasons over every document of /work/shared/corpus (or the folder given).
//   node --import tsx bench/fast-path-bails.mjs [folder]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { readFileSync } from 'node:fs';
import { fastParseBailReason } from '../server/src/document/fast-yaml/fast-parse-documents.ts';
import { splitDocuments } from '../server/src/document/split-documents.ts';
import { CORPUS, yamlFiles } from '../server/src/test-support/yaml-files.ts';

const root = process.argv[2] ?? CORPUS;
const files = yamlFiles(root);
const reasons = new Map();
let docs = 0;
let bytes = 0;
for (const file of files) {
  for (const chunk of splitDocuments(readFileSync(file, 'utf8'))) {
    docs++;
    const reason = fastParseBailReason(chunk.text);
    if (reason === undefined) continue;
    const entry = reasons.get(reason) ?? { count: 0, bytes: 0, example: file };
    entry.count++;
    entry.bytes += chunk.text.length;
    bytes += chunk.text.length;
    reasons.set(reason, entry);
  }
}
const bailed = [...reasons.values()].reduce((s, e) => s + e.count, 0);
console.log(`${files.length} files, ${docs} documents, ${bailed} leave the fast path (${bytes} characters)`);
console.log('| reason | documents | characters | example |\n| --- | --- | --- | --- |');
for (const [reason, e] of [...reasons].sort((a, b) => b[1].count - a[1].count))
  console.log(`| ${reason} | ${e.count} | ${e.bytes} | ${e.example.slice(root.length + 1)} |`);
