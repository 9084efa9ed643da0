// Parsing a 1,000-document file chunk by chunk, as the language server does:
// our fast path (with its fallback to the yaml package for what it does not
// cover) against the yaml package's parseAllDocuments alone, warm (repeated
// passes in this process) and cold (the first pass in a fresh process).
// Runs under `node --import tsx bench/run.mjs yaml-parse`.
import { spawnSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { parseAllDocuments } from 'yaml';
import { bigManifest } from './lib/big-manifest.mjs';
import { fastParseDocuments } from '../server/src/document/fast-yaml/index.ts';
import { splitDocuments } from '../server/src/document/split-documents.ts';
import { MANIFEST_YAML_OPTIONS } from '../server/src/document/yaml-options.ts';

export const title = 'YAML parsing: fast path against the yaml package (1,000-document file)';

const WARM_PASSES = 15;
const COLD_RUNS = 5;
const anchorName = 'yaml package';

const parsers = {
  ours: (text) => fastParseDocuments(text) ?? parseAllDocuments(text, MANIFEST_YAML_OPTIONS),
  anchor: (text) => parseAllDocuments(text, MANIFEST_YAML_OPTIONS),
};

export async function run() {
  const chunks = splitDocuments(bigManifest(1000)).map((c) => c.text);
  const fast = chunks.filter((c) => fastParseDocuments(c) !== undefined).length;
  const warm = {};
  for (const [name, parse] of Object.entries(parsers)) {
    const times = [];
    for (let pass = 0; pass < WARM_PASSES; pass++) {
      const started = performance.now();
      for (const chunk of chunks) parse(chunk);
      times.push(performance.now() - started);
    }
    warm[name] = median(times.slice(3));
  }
  const cold = { ours: median(coldRuns('ours')), anchor: median(coldRuns('anchor')) };
  return [
    {
      metric: `fast path taken (of ${chunks.length} documents)`,
      unit: '%',
      ours: (100 * fast) / chunks.length,
      anchor: undefined,
      anchorName,
      better: 'higher',
    },
    {
      metric: 'parse 1,000 documents, warm, median',
      unit: 'ms',
      ours: warm.ours,
      anchor: warm.anchor,
      anchorName,
      better: 'lower',
    },
    {
      metric: 'documents parsed per second, warm',
      unit: 'docs/s',
      ours: (1000 * chunks.length) / warm.ours,
      anchor: (1000 * chunks.length) / warm.anchor,
      anchorName,
      better: 'higher',
    },
    {
      metric: 'parse 1,000 documents, cold process, median',
      unit: 'ms',
      ours: cold.ours,
      anchor: cold.anchor,
      anchorName,
      better: 'lower',
    },
  ];
}

/** The first pass over the file in fresh processes (modules loaded before timing): this file run with `--cold`. */
function coldRuns(which) {
  const times = [];
  for (let i = 0; i < COLD_RUNS; i++) {
    const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--cold', which], {
      encoding: 'utf8',
    });
    if (child.status !== 0) throw new Error(`cold run failed: ${child.stderr}`);
    times.push(Number(child.stdout.trim().split('\n').pop()));
  }
  return times;
}

if (process.argv[2] === '--cold') {
  const chunks = splitDocuments(bigManifest(1000)).map((c) => c.text);
  const parse = parsers[process.argv[3]];
  const started = performance.now();
  for (const chunk of chunks) parse(chunk);
  console.log(performance.now() - started);
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
