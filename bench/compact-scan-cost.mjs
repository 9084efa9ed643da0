// The compact-scan prototype (bench/lib/compact-scan.ts) against the fast YAML path in
// one process (issue #18 row 3, session 16): the bench's many-files documents (the
// corpus 25 times, 10,250 documents) held in memory, then alternating passes over the
// documents the scan takes: the fast path's parse (`fastParseDocuments`), the scan, the
// scan and a read of every node (bench/lib/compact-read.ts). Per pass: CPU ms of the
// process (helpers included), scavenges and their ms; then bytes allocated per document
// by each (sampling heap profiler, collected objects kept). The first pass of each is
// printed apart: it is over all the documents, cold, before the others (a `validate`
// process meets its documents cold), each side in turn (they share no code; the scan+read
// side's scan is warm by then), with the CPU of each 1,025 documents of it.
// Run bundled (esbuild, as the CLI is): under tsx each module's exports are getters, and
// the prototype's parts read the text and the arrays across modules (6x slower warm).
//   node --import tsx bench/compact-scan-cost.mjs [passes]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { splitDocuments } from '../server/src/document/split-documents.ts';
import { fastParseDocuments } from '../server/src/document/fast-yaml/fast-parse-documents.ts';
import { corpusFiles, readCorpusFile } from '../test/unit/support/corpus.ts';
import { compactScan } from './lib/compact-scan.ts';
import { compactRead } from './lib/compact-read.ts';

if (!process.env.KW_COMPACT_BUNDLED) {
  const { build } = await import('esbuild');
  const dir = mkdtempSync(join(tmpdir(), 'kw-compact-cost-'));
  try {
    const outfile = join(dir, 'cost.mjs');
    await build({
      entryPoints: [fileURLToPath(import.meta.url)],
      bundle: true,
      platform: 'node',
      format: 'esm',
      target: 'node20',
      outfile,
      external: ['esbuild'],
      banner: { js: "import { createRequire } from 'node:module'; const require = createRequire(import.meta.url);" },
      logLevel: 'error',
    });
    const r = spawnSync(process.execPath, [outfile, ...process.argv.slice(2)], {
      stdio: 'inherit',
      env: { ...process.env, KW_COMPACT_BUNDLED: '1' },
    });
    process.exitCode = r.status ?? 1;
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
} else await measure();

async function measure() {
  const PASSES = Number(process.argv[2] ?? 15);
  const all = [];
  for (let c = 0; c < 25; c++)
    for (const file of corpusFiles()) {
      const text = `# copy ${c}\n${readCorpusFile(file).replace(/^---(?=[ \t]|\r?$)/gm, `--- # copy ${c}`)}`;
      for (const chunk of splitDocuments(text)) all.push(chunk.text);
    }
  let scavenges = 0;
  let gcMs = 0;
  new PerformanceObserver((list) => {
    for (const e of list.getEntries())
      if (e.detail?.kind === constants.NODE_PERFORMANCE_GC_MINOR) {
        scavenges++;
        gcMs += e.duration;
      }
  }).observe({ entryTypes: ['gc'] });

  const sides = {
    'fast parse': (from = 0, to = taken.length) => {
      let n = 0;
      for (let i = from; i < to; i++) n += fastParseDocuments(taken[i])?.length ?? 0;
      return n;
    },
    'compact scan': (from = 0, to = taken.length) => {
      let n = 0;
      for (let i = from; i < to; i++) n += compactScan(taken[i]) >= 0 ? 1 : 0;
      return n;
    },
    'compact scan+read': (from = 0, to = taken.length) => {
      let n = 0;
      for (let i = from; i < to; i++) if (compactScan(taken[i]) >= 0) n += compactRead(taken[i]) & 1;
      return n;
    },
  };
  // First, each side once over all the documents, cold (they share no code): the scan's bails included.
  let taken = all;
  const cold = {};
  for (const [side, run] of Object.entries(sides)) cold[side] = await timed(run, true);
  // Then the documents the scan takes, for the warm passes.
  taken = all.filter((t) => compactScan(t) >= 0);
  console.log(`${all.length} documents, the scan takes ${taken.length}; ${PASSES} alternating passes over those`);
  const runs = {};
  for (const side of Object.keys(sides)) runs[side] = [cold[side]];
  for (let pass = 0; pass < PASSES; pass++)
    for (const [side, run] of Object.entries(sides)) runs[side].push(await timed(run));

  /** One pass; `sliced`: CPU ms of each 1,025 documents too (how the code warms up). */
  async function timed(run, sliced = false) {
    await new Promise((r) => setImmediate(r));
    const s0 = scavenges;
    const g0 = gcMs;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    const slices = [];
    if (!sliced) run();
    else
      for (let i = 0; i < taken.length; i += 1025) {
        const c0 = process.cpuUsage();
        run(i, Math.min(taken.length, i + 1025));
        const c = process.cpuUsage(c0);
        slices.push(Math.round((c.user + c.system) / 1000));
      }
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await new Promise((r) => setTimeout(r, 5));
    return { wall, cpu: (cpu.user + cpu.system) / 1000, scavenges: scavenges - s0, gc: gcMs - g0, slices };
  }
  const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
  for (const [side, rs] of Object.entries(runs)) {
    const [first, ...rest] = rs;
    console.log(
      `  ${side.padEnd(18)} first pass (all ${all.length}, cold) ${first.wall.toFixed(0)} ms wall, ${first.cpu.toFixed(0)} ms CPU, ${first.scavenges} scavenges; ` +
        `then median ${median(rest.map((r) => r.wall)).toFixed(1)} ms wall, ${median(rest.map((r) => r.cpu)).toFixed(0)} ms CPU, ` +
        `${median(rest.map((r) => r.scavenges))} scavenges (${median(rest.map((r) => r.gc)).toFixed(1)} ms); ` +
        `${Math.round(taken.length / (median(rest.map((r) => r.wall)) / 1000)).toLocaleString('en')} docs/s warm`,
    );
    console.log(`    first pass, CPU ms of each 1,025 documents: ${first.slices.join(' ')}`);
  }
  const session = new Session();
  session.connect();
  for (const [side, run] of Object.entries(sides)) {
    await session.post('HeapProfiler.startSampling', {
      samplingInterval: 256,
      includeObjectsCollectedByMajorGC: true,
      includeObjectsCollectedByMinorGC: true,
    });
    run();
    const { profile } = await session.post('HeapProfiler.stopSampling');
    const total = (node) => node.selfSize + node.children.reduce((s, c) => s + total(c), 0);
    console.log(
      `  ${side.padEnd(18)} allocates ${Math.round(total(profile.head) / taken.length).toLocaleString('en')} B per document`,
    );
  }
}
