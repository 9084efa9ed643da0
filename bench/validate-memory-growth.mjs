// `kube-workbench validate --format json` of one file of corpus documents at several sizes (issue #18, row 4):
// peak RSS (/usr/bin/time), the largest live heap after a full collection and the largest heap total
// (--trace-gc), CPU seconds, the findings and how many of them are across documents, ours against the
// build before (KW_BENCH_BASELINE, default /work/baseline), alternated in the same run.
//   node --import tsx bench/validate-memory-growth.mjs   sizes 5,15,30,60 MB, one run each
//   KW_SIZES=15,60 KW_RUNS=2 node --import tsx bench/validate-memory-growth.mjs
// Prints one line per run and the growth per MB between the smallest and the largest size.
// Files live in a temporary folder, removed after.
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { writeBigFile } from './validate-cli.bench.mjs';

const BASELINE = process.env.KW_BENCH_BASELINE ?? '/work/baseline';
const SIZES = (process.env.KW_SIZES ?? '5,15,30,60').split(',').map(Number);
const RUNS = Number(process.env.KW_RUNS ?? 1);
/** Codes of the checks across documents. */
const ACROSS = new Set([
  'duplicate-resource',
  'unmatched-service-selector',
  'unknown-target-port',
  'unknown-service',
  'unknown-service-port',
  'missing-reference',
  'missing-key',
  'unknown-scale-target',
  'autoscaler-missing-request',
]);

const sides = { ours: join(process.cwd(), 'scripts', 'kube-workbench.js') };
if (existsSync(join(BASELINE, 'scripts', 'kube-workbench.js')))
  sides['build before'] = join(BASELINE, 'scripts', 'kube-workbench.js');

function measure(script, file) {
  const r = spawnSync(
    '/usr/bin/time',
    ['-f', 'maxrss=%M cpu=%U+%S', process.execPath, '--trace-gc', script, 'validate', '--format', 'json', file],
    { encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 1 << 30 },
  );
  if (r.status !== 0 && r.status !== 1) throw new Error(`validate exited ${r.status}: ${r.stderr.slice(-2000)}`);
  let live = 0;
  let heap = 0;
  // --trace-gc's lines go to standard output too, possibly between two pieces of the report.
  const report = r.stdout.replace(/\[\d+:0x[0-9a-f]+\][^\n]*\n/g, (line) => {
    const gc = /(Mark-Compact|Scavenge|Mark-sweep)[^\d]*([\d.]+) \(([\d.]+)\) -> ([\d.]+) \(([\d.]+)\) MB/.exec(line);
    if (gc) {
      if (gc[1] !== 'Scavenge') live = Math.max(live, Number(gc[4]));
      heap = Math.max(heap, Number(gc[3]), Number(gc[5]));
    }
    return '';
  });
  const findings = JSON.parse(report);
  const m = /maxrss=(\d+)/.exec(r.stderr);
  const cpu = /cpu=([\d.]+)\+([\d.]+)/.exec(r.stderr);
  return {
    rss: m ? Number(m[1]) / 1024 : 0,
    live,
    heap,
    cpu: cpu ? Number(cpu[1]) + Number(cpu[2]) : 0,
    findings: findings.length,
    across: findings.filter((f) => ACROSS.has(f.code)).length,
    skipped: /over 16 MB/.test(r.stderr),
  };
}

const dir = mkdtempSync(join(tmpdir(), 'kw-validate-growth-'));
try {
  const results = {};
  for (const mb of SIZES) {
    const file = join(dir, `${mb}mb.yaml`);
    const docs = writeBigFile(file, mb * 2 ** 20);
    for (let run = 0; run < RUNS; run++)
      for (const [side, script] of Object.entries(sides)) {
        const load = readFileSync('/proc/loadavg', 'utf8').split(' ')[0];
        const r = measure(script, file);
        (results[side] ??= {})[mb] ??= [];
        results[side][mb].push(r);
        console.log(
          `${String(mb).padStart(3)} MB (${docs} docs) ${side.padEnd(12)} RSS ${r.rss.toFixed(0)} MiB, live ${r.live.toFixed(1)} MB, ` +
            `heap ${r.heap.toFixed(1)} MB, CPU ${r.cpu.toFixed(1)} s, ${r.findings} findings (${r.across} across documents)` +
            `${r.skipped ? ', not indexed' : ''}, load ${load}`,
        );
      }
    rmSync(file);
  }
  const [lo, hi] = [Math.min(...SIZES), Math.max(...SIZES)];
  if (lo !== hi)
    for (const [side, bySize] of Object.entries(results)) {
      const min = (list, key) => Math.min(...list.map((r) => r[key]));
      const per = (key) => ((min(bySize[hi], key) - min(bySize[lo], key)) / (hi - lo)).toFixed(3);
      console.log(`${side}: growth ${lo} -> ${hi} MB: RSS ${per('rss')} MiB/MB, live ${per('live')} MB/MB`);
    }
} finally {
  rmSync(dir, { recursive: true, force: true });
}
