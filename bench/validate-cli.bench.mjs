// `kube-workbench validate` on the command line, process start included:
// ~10,000 documents in ~9,000 files (the real-world corpus copied 25 times,
// each document made unique) and one 15 MB file of corpus documents.
// Documents per second and peak resident memory (from /usr/bin/time), ours
// (one job and all cores) against the build before this work
// (KW_BENCH_BASELINE, default /work/baseline), interleaved, three runs each,
// medians reported. kubeconform's published figure is printed for reference
// (it cannot be downloaded here). Data lives in a temporary folder, removed after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { splitDocuments } from '../server/src/document/split-documents.ts';
import { corpusAvailable, corpusFiles, readCorpusFile, CORPUS } from '../test/unit/support/corpus.ts';
import { bigManifest } from './lib/big-manifest.mjs';

export const title = '`validate` on the command line: many files, one 15 MB file';

const BASELINE = process.env.KW_BENCH_BASELINE ?? '/work/baseline';
const RUNS = Number(process.env.BENCH_RUNS ?? 3);
/** `many`, `big` or both (default): a busy machine may not have time for both. */
const CASES = (process.env.BENCH_CASES ?? 'many,big').split(',');
/** kubeconform's README: 50,714 resources in 6.7 s on 4 cores. */
const KUBECONFORM = 50714 / 6.7;

export async function run() {
  if (!corpusAvailable()) throw new Error(`corpus not found at ${CORPUS}`);
  const dir = mkdtempSync(join(tmpdir(), 'kw-validate-bench-'));
  try {
    const many = join(dir, 'many');
    const manyDocs = writeCorpusCopies(many, 25);
    const big = join(dir, 'big.yaml');
    const bigDocs = writeBigFile(big, 15 * 2 ** 20);
    const ours = join(process.cwd(), 'scripts', 'kube-workbench.js');
    const anchor = join(BASELINE, 'scripts', 'kube-workbench.js');
    const haveAnchor = existsSync(anchor);
    const cores = availableParallelism();
    const sides = {
      'ours, 1 job': [ours, '--jobs', '1'],
      [`ours, ${cores} jobs`]: [ours, '--jobs', String(cores)],
      // The V8 heap flags the CLI sets for validate (scripts/kube-workbench.js) measured both ways.
      ...(process.env.KW_BENCH_V8_BOTH ? { 'ours, 1 job, V8 defaults': [ours, '--jobs', '1', 'v8-defaults'] } : {}),
      // Another build of ours to compare (e.g. before merging another engineer's branch), as one job.
      ...(process.env.KW_BENCH_ALSO
        ? {
            [`ours at ${process.env.KW_BENCH_ALSO}, 1 job`]: [
              join(process.env.KW_BENCH_ALSO, 'scripts', 'kube-workbench.js'),
              '--jobs',
              '1',
            ],
          }
        : {}),
      ...(haveAnchor ? { anchor: [anchor] } : {}),
    };
    const results = {};
    for (const [name, target] of [
      ['many', many],
      ['big', big],
    ]) {
      if (!CASES.includes(name)) continue;
      for (let i = 0; i < RUNS; i++) {
        for (const [side, argv] of Object.entries(sides)) {
          // One file is checked on the main thread whatever --jobs says: measured once, as one job.
          if (name === 'big' && side.endsWith(`${cores} jobs`)) continue;
          // The baseline has no --jobs: it is always one process, one thread.
          const args = side === 'anchor' ? [argv[0]] : argv;
          const r = timeValidate(args, target);
          (results[`${name}/${side}`] ??= []).push(r);
          if (process.env.BENCH_VERBOSE)
            console.log(
              `    ${name} ${side}: ${r.seconds.toFixed(2)} s, CPU ${r.cpuSeconds.toFixed(2)} s, ${r.rssMiB} MiB`,
            );
        }
      }
    }
    const med = (key, field) => median((results[key] ?? []).map((r) => r[field]));
    const all = (key, field, docs) =>
      (results[key] ?? []).map((r) => Math.round(field === 'rate' ? docs / r.seconds : r[field])).join(', ');
    const rows = [];
    for (const side of Object.keys(sides).filter((s) => s !== 'anchor')) {
      for (const [name, docs, label] of [
        ['many', manyDocs, `${manyDocs} docs in ${corpusFiles().length * 25} files`],
        ['big', bigDocs, `one 15 MB file (${bigDocs} docs)`],
      ]) {
        if (!results[`${name}/${side}`]) continue;
        console.log(
          `    ${label}, ${side}: docs/s ${all(`${name}/${side}`, 'rate', docs)} (anchor ${all(`${name}/anchor`, 'rate', docs)}); ` +
            `MiB ${all(`${name}/${side}`, 'rssMiB')} (anchor ${all(`${name}/anchor`, 'rssMiB')})`,
        );
        const rate = (key) => (results[key] ? docs / med(key, 'seconds') : undefined);
        rows.push({
          metric: `validate ${name === 'many' ? '~10k docs/~9k files' : '15 MB file'}, ${side}`,
          unit: 'docs/s',
          ours: rate(`${name}/${side}`),
          anchor: rate(`${name}/anchor`),
          anchorName: 'build before (1 thread)',
          better: 'higher',
        });
        const cpuRate = (key) => (results[key] ? docs / med(key, 'cpuSeconds') : undefined);
        rows.push({
          metric: `  per CPU second (user+sys; load-proof), ${side}`,
          unit: 'docs/s',
          ours: cpuRate(`${name}/${side}`),
          anchor: cpuRate(`${name}/anchor`),
          anchorName: 'build before',
          better: 'higher',
        });
        rows.push({
          metric: `  peak RSS, ${side}`,
          unit: 'MiB',
          ours: med(`${name}/${side}`, 'rssMiB'),
          anchor: results[`${name}/anchor`] ? med(`${name}/anchor`, 'rssMiB') : undefined,
          anchorName: 'build before',
          better: 'lower',
        });
      }
    }
    rows.push({
      metric: 'validate, kubeconform for reference',
      unit: 'docs/s',
      ours: rate0(results, `many/ours, ${cores} jobs`, manyDocs),
      anchor: KUBECONFORM,
      anchorName: 'kubeconform (published, 4 cores)',
      better: 'higher',
    });
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

function rate0(results, key, docs) {
  const runs = results[key];
  return runs ? docs / median(runs.map((r) => r.seconds)) : undefined;
}

function median(values) {
  if (values.length === 0) return undefined;
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}

/** One run under /usr/bin/time: wall seconds and peak RSS (MiB). */
function timeValidate([script, ...args], target) {
  const defaults = args.includes('v8-defaults');
  const flags = args.filter((a) => a !== 'v8-defaults');
  const started = performance.now();
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'maxrss=%M cpu=%U+%S', process.execPath, script, 'validate', ...flags, '--format', 'json', target],
    {
      encoding: 'utf8',
      maxBuffer: 512 << 20,
      env: defaults ? { ...process.env, KUBE_WORKBENCH_V8_DEFAULTS: '1' } : process.env,
    },
  );
  const seconds = (performance.now() - started) / 1000;
  const m = /maxrss=(\d+)/.exec(r.stderr ?? '');
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr ?? '');
  if (r.status !== 0 && r.status !== 1) throw new Error(`validate exited ${r.status}: ${r.stderr}`);
  return { seconds, rssMiB: m ? Number(m[1]) / 1024 : 0, cpuSeconds: cpu ? Number(cpu[1]) + Number(cpu[2]) : 0 };
}

/** The corpus copied `copies` times, each document made unique; returns the number of documents. */
export function writeCorpusCopies(dir, copies) {
  let documents = 0;
  for (let c = 0; c < copies; c++) {
    for (const file of corpusFiles()) {
      const target = join(dir, String(c), file);
      mkdirSync(dirname(target), { recursive: true });
      const text = `# copy ${c}\n${readCorpusFile(file).replace(/^---(?=[ \t]|\r?$)/gm, `--- # copy ${c}`)}`;
      documents += splitDocuments(text).filter((d) => /\S/.test(d.text.replace(/^\s*#.*$/gm, ''))).length;
      writeFileSync(target, text);
    }
  }
  return documents;
}

/** Corpus documents joined until the file reaches `bytes`; returns the number of documents. */
export function writeBigFile(path, bytes) {
  const sample = bigManifest(200);
  const perDoc = sample.length / 200;
  const count = Math.ceil(bytes / perDoc);
  writeFileSync(path, bigManifest(count));
  return count;
}
