// The per-document validation core (issue #18): parse and diagnostics of one file
// of 1,000 Deployments (and of the 1,000-document corpus file, and of every corpus
// document as written: flow-style ones included, as `validate` reads them), exactly what
// `computeDiagnostics` does for a file opened in the editor or given to `validate`,
// without the LSP or file reading around it. The anchor is the same functions of
// the build before the change (KW_BENCH_BASELINE, default /work/baseline when it
// exists), in the same run: the first pass (what a user opening the file waits for)
// in fresh processes of each side, interleaved; warm passes in one process holding
// both builds, alternating pass by pass (so load on the machine hits both alike).
// Runs under `node --import tsx bench/run.mjs validation-core`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { bigManifest } from './lib/big-manifest.mjs';
import { deploymentsFile } from './lib/deployments-file.mjs';
import { corpusAsWritten } from './lib/corpus-as-written.mjs';
import { validationCoreOf } from './lib/validation-core-of.mjs';

const CASES = ['deployments', 'corpus', 'written'];
const LABELS = { deployments: '1,000 Deployments', corpus: 'corpus file', written: 'corpus as written' };

export const title = 'Validation core: parse and diagnostics per document (1,000 Deployments; corpus file)';

const RUNS = 3;
const WARM_PASSES = 8;
const ours = resolve(fileURLToPath(new URL('..', import.meta.url)));

function baselineRoot() {
  const root = process.env.KW_BENCH_BASELINE ?? '/work/baseline';
  return existsSync(join(root, 'server', 'src', 'features', 'diagnostics.ts')) ? root : undefined;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kw-validation-core-'));
  try {
    const files = {
      deployments: join(dir, 'deployments.yaml'),
      corpus: join(dir, 'corpus.yaml'),
      written: join(dir, 'written.yaml'),
    };
    writeFileSync(files.deployments, deploymentsFile(1000));
    writeFileSync(files.corpus, bigManifest(1000));
    writeFileSync(files.written, corpusAsWritten());
    const anchorRoot = baselineRoot();
    const results = {
      ours: { deployments: [], corpus: [], written: [] },
      anchor: { deployments: [], corpus: [], written: [] },
    };
    for (let i = 0; i < RUNS; i++) {
      for (const which of CASES) {
        results.ours[which].push(side('--first', [ours], files[which])[0]);
        if (anchorRoot) results.anchor[which].push(side('--first', [anchorRoot], files[which])[0]);
      }
    }
    const warm = {};
    for (const which of CASES) warm[which] = side('--warm', anchorRoot ? [ours, anchorRoot] : [ours], files[which]);
    for (const which of CASES) {
      const a = results.anchor[which][0];
      const o = results.ours[which][0];
      if (a && a.diagnostics !== o.diagnostics)
        throw new Error(`${which}: ${o.diagnostics} diagnostics, the baseline ${a.diagnostics}`);
    }
    const anchorName = anchorRoot ? 'build before (same run)' : 'no baseline build';
    const pick = (s, which, f) => (results[s][which].length ? median(results[s][which].map(f)) : undefined);
    const warmOf = (s, which, f) => {
      const r = warm[which][s === 'ours' ? 0 : 1];
      return r ? f(r) : undefined;
    };
    const rows = [];
    for (const which of CASES) {
      const label = LABELS[which];
      rows.push(
        {
          metric: `first diagnostics, ${label}, fresh process`,
          unit: 'ms',
          ours: pick('ours', which, (r) => r.ms),
          anchor: pick('anchor', which, (r) => r.ms),
          anchorName,
          better: 'lower',
        },
        {
          metric: `per document, warm, ${label}`,
          unit: 'µs',
          ours: warmOf('ours', which, (r) => (1000 * r.ms) / r.documents),
          anchor: warmOf('anchor', which, (r) => (1000 * r.ms) / r.documents),
          anchorName,
          better: 'lower',
        },
        {
          metric: `documents per second, warm, ${label}`,
          unit: 'docs/s',
          ours: warmOf('ours', which, (r) => (1000 * r.documents) / r.ms),
          anchor: warmOf('anchor', which, (r) => (1000 * r.documents) / r.ms),
          anchorName,
          better: 'higher',
        },
      );
    }
    return rows;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** A fresh process: `--first` times one build's first pass; `--warm` alternates warm passes of the builds given. */
function side(mode, roots, file) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), mode, file, ...roots], {
    encoding: 'utf8',
  });
  if (child.status !== 0) throw new Error(`validation run (${mode} ${roots.join(' ')}) failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

/** parse + diagnostics of a whole file with one build's functions (no parse cache: every pass parses). */
async function validator(root) {
  const { parseManifestFile, computeDiagnostics, options } = await validationCoreOf(root);
  return (text) => {
    const started = performance.now();
    const file = parseManifestFile(text);
    const diagnostics = computeDiagnostics(file, options);
    return { ms: performance.now() - started, diagnostics: diagnostics.length, documents: file.chunks.length };
  };
}

if (process.argv[2] === '--first' || process.argv[2] === '--warm') {
  const text = readFileSync(process.argv[3], 'utf8');
  const builds = [];
  for (const root of process.argv.slice(4)) builds.push(await validator(root));
  if (process.argv[2] === '--first') console.log(JSON.stringify([builds[0](text)]));
  else {
    const times = builds.map(() => []);
    let last = [];
    for (let pass = 0; pass < WARM_PASSES + 2; pass++)
      last = builds.map((check, b) => {
        const r = check(text);
        if (pass >= 2) times[b].push(r.ms);
        return r;
      });
    console.log(JSON.stringify(last.map((r, b) => ({ ...r, ms: median(times[b]) }))));
  }
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
