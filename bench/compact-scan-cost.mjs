// The compact-scan prototype (bench/lib/compact-scan.ts) against the fast YAML path in
// one process (issue #18 row 3, session 16): the bench's many-files documents (the
// corpus 25 times, 10,250 documents) held in memory, then alternating passes over the
// documents the scan takes: the fast path's parse (`fastParseDocuments`), the scan, the
// scan and a read of every node (bench/lib/compact-read.ts). Per pass: CPU ms of the
// process (helpers included), scavenges and their ms; then bytes allocated per document
// by each (sampling heap profiler, collected objects kept). The first pass of each is
// printed apart (a `validate` process meets its documents cold).
//   node --import tsx bench/compact-scan-cost.mjs [passes]
// (not a *.bench.mjs: `npm run bench` does not run it).
import { Session } from 'node:inspector/promises';
import { PerformanceObserver, constants } from 'node:perf_hooks';
import { splitDocuments } from '../server/src/document/split-documents.ts';
import { fastParseDocuments } from '../server/src/document/fast-yaml/fast-parse-documents.ts';
import { corpusFiles, readCorpusFile } from '../test/unit/support/corpus.ts';
import { compactScan } from './lib/compact-scan.ts';
import { compactRead } from './lib/compact-read.ts';

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
  'fast parse': () => {
    let n = 0;
    for (const t of taken) n += fastParseDocuments(t)?.length ?? 0;
    return n;
  },
  'compact scan': () => {
    let n = 0;
    for (const t of taken) n += compactScan(t);
    return n;
  },
  'compact scan+read': () => {
    let n = 0;
    for (const t of taken) {
      n += compactScan(t);
      n += compactRead(t) & 1;
    }
    return n;
  },
};
// Which documents the scan takes is decided before any timing (a scan that bails is not timed).
const taken = all.filter((t) => compactScan(t) >= 0);
console.log(`${all.length} documents, the scan takes ${taken.length}; ${PASSES} alternating passes over those`);
const runs = {};
for (let pass = 0; pass < PASSES; pass++)
  for (const [side, run] of Object.entries(sides)) {
    await new Promise((r) => setImmediate(r));
    const s0 = scavenges;
    const g0 = gcMs;
    const cpu0 = process.cpuUsage();
    const t0 = performance.now();
    run();
    const wall = performance.now() - t0;
    const cpu = process.cpuUsage(cpu0);
    await new Promise((r) => setTimeout(r, 5));
    (runs[side] ??= []).push({ wall, cpu: (cpu.user + cpu.system) / 1000, scavenges: scavenges - s0, gc: gcMs - g0 });
  }
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];
for (const [side, rs] of Object.entries(runs)) {
  const [first, ...rest] = rs;
  console.log(
    `  ${side.padEnd(18)} first pass ${first.wall.toFixed(0)} ms wall, ${first.cpu.toFixed(0)} ms CPU, ${first.scavenges} scavenges; ` +
      `then median ${median(rest.map((r) => r.wall)).toFixed(1)} ms wall, ${median(rest.map((r) => r.cpu)).toFixed(0)} ms CPU, ` +
      `${median(rest.map((r) => r.scavenges))} scavenges (${median(rest.map((r) => r.gc)).toFixed(1)} ms); ` +
      `${Math.round(taken.length / (median(rest.map((r) => r.wall)) / 1000)).toLocaleString('en')} docs/s warm`,
  );
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
