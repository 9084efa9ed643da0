// How much of a cold `validate` is warming up (issue #18 row 3, session 16): `validate`
// run N times in one process (bundled as the CLI is, with the CLI's heap flags) over the
// bench's many-files case, each run's CPU, wall time, scavenges and mark-compacts. The
// young generation is fixed (`--min/--max-semi-space-size`, MiB, default 2) so the later
// runs do not gain from one grown by the earlier ones (`validate` grows it on many files).
//   node --import tsx bench/validate-warm-runs.mjs [runs] [semi-space MiB]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { build } from 'esbuild';
import { writeCorpusCopies } from './validate-cli.bench.mjs';

const RUNS = Number(process.argv[2] ?? 4);
const SEMI = Number(process.argv[3] ?? 2);
const repo = resolve(import.meta.dirname, '..');

const ENTRY = `
import { setFlagsFromString } from 'node:v8';
import { PerformanceObserver, constants } from 'node:perf_hooks';
setFlagsFromString('--semi-space-growth-factor=1');
setFlagsFromString('--heap-growing-percent=10');
let minor = 0, major = 0;
new PerformanceObserver((list) => {
  for (const e of list.getEntries())
    if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) minor++;
    else if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MAJOR) major++;
}).observe({ entryTypes: ['gc'] });
(async () => {
  const { runValidate } = await import(${JSON.stringify(join(repo, 'server/src/cli.ts'))});
  const lines = [];
  for (let i = 0; i < Number(process.argv[3]); i++) {
    const c0 = process.cpuUsage();
    const t0 = performance.now();
    const m0 = minor, M0 = major;
    const code = await runValidate(['--jobs', '1', '--format', 'json', process.argv[2]], process.cwd(), () => '');
    await new Promise((r) => setTimeout(r, 10));
    const c = process.cpuUsage(c0);
    lines.push('  run ' + (i + 1) + ': exit ' + code + ', CPU ' + ((c.user + c.system) / 1000).toFixed(0) + ' ms, wall ' +
      (performance.now() - t0).toFixed(0) + ' ms, ' + (minor - m0) + ' scavenges, ' + (major - M0) + ' mark-compacts');
  }
  process.stderr.write(lines.join('\\n') + '\\n');
})();
`;

const dir = mkdtempSync(join(tmpdir(), 'kw-validate-warm-'));
// The bundle sits in the repository (its ignored .tmp/) so that it finds schemas/ above it, as the CLI does.
const bundleDir = mkdtempSync(join((mkdirSync(join(repo, '.tmp'), { recursive: true }), join(repo, '.tmp')), 'warm-'));
try {
  const many = join(dir, 'many');
  const documents = writeCorpusCopies(many, 25);
  const entry = join(bundleDir, 'entry.mjs');
  writeFileSync(entry, ENTRY);
  const outfile = join(bundleDir, 'warm-runs.cjs');
  await build({
    entryPoints: [entry],
    bundle: true,
    platform: 'node',
    format: 'cjs',
    target: 'node20',
    outfile,
    logLevel: 'error',
  });
  console.log(`${documents} documents; ${RUNS} runs in one process, young generation ${SEMI} MiB; load ${load()}`);
  const r = spawnSync(
    process.execPath,
    [`--min-semi-space-size=${SEMI}`, `--max-semi-space-size=${SEMI}`, outfile, many, String(RUNS)],
    { encoding: 'utf8', maxBuffer: 512 << 20 },
  );
  process.stdout.write(r.stderr);
  // Every run must have written the same report (the runs did the same work).
  const report = r.stdout.slice(0, r.stdout.length / RUNS);
  console.log(`  reports: ${report.length} bytes each, all the same: ${report.repeat(RUNS) === r.stdout}`);
  console.log(`  load ${load()} at the end`);
} finally {
  rmSync(dir, { recursive: true, force: true });
  rmSync(bundleDir, { recursive: true, force: true });
}

function load() {
  return spawnSync('cat', ['/proc/loadavg'], { encoding: 'utf8' }).stdout.split(' ').slice(0, 3).join(' ');
}
