// Accuracy and throughput on work no one here wrote: the real-world corpus
// (../shared/corpus). Prints which files we flag and why, a mutation
// benchmark (share of single mutations detected at the right line, ours and
// yaml-language-server's with the same schemas), and `validate` throughput.
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { createLanguageService } from '../server/src/language-service.ts';
import {
  corpusAvailable,
  corpusFiles,
  corpusFindings,
  knownInvalid,
  readCorpusFile,
  CORPUS,
} from '../test/unit/support/corpus.ts';
import { ylsCommand, ylsSettings } from './lib/yls-server.mjs';
import { mutate, seededRandom } from './lib/mutations.ts';
import { LspClient } from '../test/support/lsp-client.ts';
import { writeYlsSchema } from './lib/yls-schema.mjs';

export const title = 'Accuracy and throughput on the real-world corpus';

const MUTATIONS_PER_DOC = 4;
const ANCHOR_SAMPLE = 300;

export async function run() {
  if (!corpusAvailable()) throw new Error(`corpus not found at ${CORPUS}`);
  const service = createLanguageService();
  const files = corpusFiles();
  const texts = new Map(files.map((f) => [f, readCorpusFile(f)]));
  for (const [f, t] of texts) service.updateCrds(f, t);

  // 1. Which files get errors, and why.
  const invalid = knownInvalid();
  const findings = corpusFindings();
  let documents = 0;
  const flagged = [];
  for (const [file, text] of texts) {
    documents += service.parse(text).chunks.reduce((n, c) => n + c.parsed.docs.length, 0);
    const errors = service.diagnostics(text).filter((d) => d.severity === 1);
    if (errors.length > 0)
      flagged.push({ file, codes: [...new Set(errors.map((d) => d.code))], first: errors[0].message });
  }
  const knownFlagged = [...invalid.keys()].filter((f) => flagged.some((x) => x.file === f)).length;
  const falsePositives = flagged.filter((x) => !invalid.has(x.file) && !findings.has(x.file));
  console.log(`  ${files.length} files, ${documents} documents checked; ${flagged.length} files flagged with errors:`);
  for (const x of flagged) {
    const why = invalid.get(x.file) ?? findings.get(x.file)?.why ?? 'NOT EXPECTED (false positive?)';
    console.log(`    ${x.file}\n      ${x.codes.join(', ')}: ${x.first}\n      known reason: ${why}`);
  }

  // 2. Mutations of the valid documents.
  const random = seededRandom(20261122);
  const mutations = [];
  for (const [file, text] of texts) {
    if (invalid.has(file) || findings.has(file) || text.includes('{{')) continue;
    for (const chunk of service.parse(text).chunks)
      mutations.push(...mutate(chunk.chunk.text, service.schemas, random, MUTATIONS_PER_DOC));
  }
  const byKind = {};
  let detected = 0;
  for (const m of mutations) {
    const hit = service.diagnostics(m.text).some((d) => d.code === m.code && d.range.start.line === m.line);
    detected += hit ? 1 : 0;
    byKind[m.kind] ??= { total: 0, hit: 0 };
    byKind[m.kind].total++;
    byKind[m.kind].hit += hit ? 1 : 0;
    if (!hit && process.env.BENCH_VERBOSE) console.log(`    missed: ${m.description} (line ${m.line + 1})`);
  }
  console.log(
    `  mutations: ${mutations.length} (${Object.entries(byKind)
      .map(([k, v]) => `${k} ${v.hit}/${v.total}`)
      .join(', ')})`,
  );
  const sample = mutations
    .filter((_, i) => i % Math.max(1, Math.floor(mutations.length / ANCHOR_SAMPLE)) === 0)
    .slice(0, ANCHOR_SAMPLE);
  const ours = sample.filter((m) =>
    service.diagnostics(m.text).some((d) => d.code === m.code && d.range.start.line === m.line),
  ).length;
  const anchor = await ylsDetections(sample);

  // 3. Throughput of the command line over the whole corpus (process start included).
  const cli = cliThroughput(documents);

  return [
    {
      metric: 'known-invalid files flagged',
      unit: `of ${invalid.size}`,
      ours: knownFlagged,
      anchor: undefined,
      anchorName: '',
      better: 'higher',
    },
    {
      metric: 'files with unexpected errors',
      unit: 'files',
      ours: falsePositives.length,
      anchor: undefined,
      anchorName: '',
      better: 'lower',
    },
    {
      metric: `mutations detected at the right line (${mutations.length})`,
      unit: '%',
      ours: (100 * detected) / mutations.length,
      anchor: undefined,
      anchorName: '',
      better: 'higher',
    },
    {
      metric: `same, sample of ${sample.length} vs anchor`,
      unit: '%',
      ours: (100 * ours) / sample.length,
      anchor: (100 * anchor) / sample.length,
      anchorName: 'yaml-language-server',
      better: 'higher',
    },
    {
      metric: 'validate CLI throughput, ~10k docs, 1 process',
      unit: 'docs/s',
      ours: cli,
      anchor: 7500,
      anchorName: 'kubeconform (published, 4 cores)',
      better: 'higher',
    },
  ];
}

/** yaml-language-server with the same schemas: a mutation counts when any diagnostic starts on the expected line. */
async function ylsDetections(sample) {
  const dir = mkdtempSync(join(tmpdir(), 'kw-mut-'));
  const client = new LspClient(ylsCommand(), { settings: ylsSettings(writeYlsSchema(dir), { features: false }) });
  try {
    await client.initialize(dir);
    let hits = 0;
    for (let i = 0; i < sample.length; i++) {
      const uri = pathToFileURL(join(dir, `m${i}.yaml`)).href;
      const published = client.nextDiagnostics(uri);
      client.notify('textDocument/didOpen', {
        textDocument: { uri, languageId: 'yaml', version: 1, text: sample[i].text },
      });
      const diagnostics = await Promise.race([published, new Promise((r) => setTimeout(() => r([]), 10_000))]);
      if (diagnostics.some((d) => d.range.start.line === sample[i].line)) hits++;
      client.notify('textDocument/didClose', { textDocument: { uri } });
    }
    return hits;
  } finally {
    await client.shutdown();
    rmSync(dir, { recursive: true, force: true });
  }
}

/**
 * `validate` over ~10,000 documents: the corpus copied 25 times, each document
 * made unique, into a temporary folder (made here, removed after; nothing lands in the project).
 * Median of 3 runs, process start included.
 */
function cliThroughput(documents) {
  const copies = 25;
  const dir = mkdtempSync(join(tmpdir(), 'kw-cli-'));
  try {
    const files = corpusFiles();
    for (let c = 0; c < copies; c++) {
      for (const file of files) {
        const target = join(dir, String(c), file);
        mkdirSync(dirname(target), { recursive: true });
        // Every document made unique, so no parse is served from the cache.
        const text = readCorpusFile(file).replace(/^---(?=[ \t]|\r?$)/gm, `--- # copy ${c}`);
        writeFileSync(target, `# copy ${c}\n${text}`);
      }
    }
    const runs = [];
    for (let i = 0; i < 3; i++) {
      const started = performance.now();
      spawnSync(process.execPath, ['scripts/kube-workbench.js', 'validate', '--format', 'json', dir], {
        encoding: 'utf8',
        maxBuffer: 256 << 20,
      });
      runs.push(performance.now() - started);
    }
    runs.sort((a, b) => a - b);
    return (documents * copies) / (runs[1] / 1000);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
