// The per-document validation core (issue #18): parse and diagnostics of one file
// of 1,000 Deployments (and of the 1,000-document corpus file), exactly what
// `computeDiagnostics` does for a file opened in the editor or given to `validate`,
// without the LSP or file reading around it. The anchor is the same functions of
// the build before the change (KW_BENCH_BASELINE, default /work/baseline when it
// exists), in the same run: each side in fresh processes, interleaved, so the first
// pass (what a user opening the file waits for) and warm passes are both measured.
// Runs under `node --import tsx bench/run.mjs validation-core`.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';
import { bigManifest } from './lib/big-manifest.mjs';
import { deploymentsFile } from './lib/deployments-file.mjs';

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
    const files = { deployments: join(dir, 'deployments.yaml'), corpus: join(dir, 'corpus.yaml') };
    writeFileSync(files.deployments, deploymentsFile(1000));
    writeFileSync(files.corpus, bigManifest(1000));
    const anchorRoot = baselineRoot();
    const results = { ours: { deployments: [], corpus: [] }, anchor: { deployments: [], corpus: [] } };
    for (let i = 0; i < RUNS; i++) {
      for (const which of ['deployments', 'corpus']) {
        results.ours[which].push(side(ours, files[which]));
        if (anchorRoot) results.anchor[which].push(side(anchorRoot, files[which]));
      }
    }
    for (const which of ['deployments', 'corpus']) {
      const a = results.anchor[which][0];
      const o = results.ours[which][0];
      if (a && a.diagnostics !== o.diagnostics)
        throw new Error(`${which}: ${o.diagnostics} diagnostics, the baseline ${a.diagnostics}`);
    }
    const anchorName = anchorRoot ? 'build before (same run)' : 'no baseline build';
    const pick = (s, which, f) => (results[s][which].length ? median(results[s][which].map(f)) : undefined);
    const rows = [];
    for (const which of ['deployments', 'corpus']) {
      const label = which === 'deployments' ? '1,000 Deployments' : 'corpus file';
      rows.push(
        {
          metric: `first diagnostics, ${label}, fresh process`,
          unit: 'ms',
          ours: pick('ours', which, (r) => r.first),
          anchor: pick('anchor', which, (r) => r.first),
          anchorName,
          better: 'lower',
        },
        {
          metric: `per document, warm, ${label}`,
          unit: 'µs',
          ours: pick('ours', which, (r) => (1000 * r.warm) / r.documents),
          anchor: pick('anchor', which, (r) => (1000 * r.warm) / r.documents),
          anchorName,
          better: 'lower',
        },
        {
          metric: `documents per second, warm, ${label}`,
          unit: 'docs/s',
          ours: pick('ours', which, (r) => (1000 * r.documents) / r.warm),
          anchor: pick('anchor', which, (r) => (1000 * r.documents) / r.warm),
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

/** One fresh process of one build: the first pass, then the median of warm passes (no parse cache: every pass parses). */
function side(root, file) {
  const child = spawnSync(process.execPath, ['--import', 'tsx', fileURLToPath(import.meta.url), '--side', root, file], {
    encoding: 'utf8',
    cwd: root,
  });
  if (child.status !== 0) throw new Error(`validation run in ${root} failed: ${child.stderr}`);
  return JSON.parse(child.stdout.trim().split('\n').pop());
}

if (process.argv[2] === '--side') {
  const root = process.argv[3];
  const text = readFileSync(process.argv[4], 'utf8');
  const load = (path) => import(pathToFileURL(join(root, path)).href);
  const { parseManifestFile } = await load('server/src/document/manifest-file.ts');
  const { computeDiagnostics } = await load('server/src/features/diagnostics.ts');
  const { loadSchemas } = await load('server/kube-model/schema-loader.ts');
  const { CrdRegistry } = await load('server/src/schema/crd-registry.ts');
  const options = { schemas: loadSchemas(), crds: new CrdRegistry(), disabledRules: new Set() };
  const pass = () => {
    const started = performance.now();
    const file = parseManifestFile(text);
    const diagnostics = computeDiagnostics(file, options);
    return { ms: performance.now() - started, diagnostics: diagnostics.length, documents: file.chunks.length };
  };
  const first = pass();
  const warm = [];
  for (let i = 0; i < WARM_PASSES; i++) warm.push(pass().ms);
  console.log(
    JSON.stringify({ first: first.ms, warm: median(warm), diagnostics: first.diagnostics, documents: first.documents }),
  );
}

function median(values) {
  const sorted = [...values].sort((a, b) => a - b);
  return sorted[Math.floor(sorted.length / 2)];
}
