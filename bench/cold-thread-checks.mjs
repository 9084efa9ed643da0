// Row 1's checks on one cold thread (issue #18), as the main thread meets the file in the first pass: the
// 1,000-Deployment file's chunks parsed and checked (`parseChunk`, `chunkFindings`, the worker's options) with
// TurboFan paused as in the pass, in a fresh process per run, builds alternating. Each build (a checkout with
// schemas built) is bundled with the server's esbuild options. Prints the thread's CPU (/proc/thread-self/schedstat)
// for the first 100, 250 and 500 chunks and all of them: medians and minimum over the runs.
//   node bench/cold-thread-checks.mjs [runs] [root...]      (default: 12 runs of . and $KW_BENCH_BASELINE)
// KW_BENCH_WARM=n first checks n of the worker's warm-up sample documents with TurboFan on (the worker's regime).
// Load-independent: `KW_BENCH_PRINT=1` prints each build's command line instead (and leaves its bundle in a temporary
// folder), to count its instructions, e.g.
//   valgrind --tool=callgrind --callgrind-out-file=/dev/null --smc-check=all-non-file node --single-threaded ...
// with KW_BENCH_LIMIT=0 and =1000 (subtract the first: start-up and schemas).
// (not a *.bench.mjs: `npm run bench` does not run it).
import { build } from 'esbuild';
import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { deploymentsManifest } from './lib/deployments-manifest.mjs';

const runs = Number(process.argv[2] ?? 12);
const given = process.argv.slice(3);
const roots = (given.length > 0 ? given : ['.', process.env.KW_BENCH_BASELINE].filter(Boolean)).map((r) => resolve(r));

/** The entry bundled for one build: its own modules, by absolute path. */
const entry = (root) => `
import { readFileSync } from 'node:fs';
import { setFlagsFromString } from 'node:v8';
import { loadSchemas } from '${root}/server/kube-model/schema-loader.js';
import { parseChunk } from '${root}/server/src/document/manifest-file.js';
import { splitDocuments } from '${root}/server/src/document/split-documents.js';
import { chunkFindings } from '${root}/server/src/features/diagnostics.js';
import { workerOptions } from '${root}/server/src/parallel/validation-worker.js';
import { warmUpSample } from '${root}/server/src/parallel/warm-up-sample.js';
const cpu = () => Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
const options = workerOptions(loadSchemas(undefined, '${root}/schemas'), []);
const warm = Number(process.env.KW_BENCH_WARM ?? 0);
for (let i = 0, round = 0; i < warm; round++)
  for (const c of splitDocuments(warmUpSample(round))) if (i++ < warm) chunkFindings(parseChunk(c.text), options);
const chunks = splitDocuments(readFileSync(process.argv[2], 'utf8'));
const limit = Math.min(chunks.length, Number(process.env.KW_BENCH_LIMIT ?? chunks.length));
setFlagsFromString('--no-turbofan');
const start = cpu();
const marks = [];
let found = 0;
for (let i = 0; i < limit; i++) {
  const f = chunkFindings(parseChunk(chunks[i].text), options);
  found += f.relative.length + f.untyped.diagnostics.length;
  if (i === 99 || i === 249 || i === 499 || i === limit - 1) marks.push(cpu() - start);
}
console.log(JSON.stringify({ marks, found }));
`;

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;
const dir = mkdtempSync(join(tmpdir(), 'kw-cold-thread-'));
try {
  const file = join(dir, 'deployments.yaml');
  writeFileSync(file, deploymentsManifest(1000).text);
  const bundles = [];
  for (const [k, root] of roots.entries()) {
    const source = join(dir, `entry-${k}.ts`);
    writeFileSync(source, entry(root));
    const out = join(dir, `cold-${k}.js`);
    const yaml = join(root, 'node_modules/yaml/browser/index.js');
    await build({
      entryPoints: [source],
      outfile: out,
      bundle: true,
      platform: 'node',
      target: 'node20',
      format: 'cjs',
      logLevel: 'warning',
      alias: { yaml },
    });
    bundles.push(out);
    if (process.env.KW_BENCH_PRINT) console.log(`${root}: node ${out} ${file}`);
  }
  if (process.env.KW_BENCH_PRINT) process.exit(0); // the bundles stay (in the temporary folder printed above)
  const results = roots.map(() => []);
  for (let run = 0; run < runs; run++)
    for (let j = 0; j < roots.length; j++) {
      const k = (j + run) % roots.length; // who goes first turns each run
      results[k].push(JSON.parse(execFileSync(process.execPath, [bundles[k], file]).toString()));
    }
  for (const [k, root] of roots.entries()) {
    const at = (m) => results[k].map((r) => r.marks[m]);
    const all = at(3);
    console.log(
      `${root}: thread CPU, first 100 / 250 / 500 / all chunks: medians ${[0, 1, 2, 3].map((m) => median(at(m)).toFixed(1)).join(' / ')} ms; all, min ${Math.min(...all).toFixed(1)} ms (${runs} runs; findings ${results[k][0]?.found})`,
    );
  }
} finally {
  if (!process.env.KW_BENCH_PRINT) rmSync(dir, { recursive: true, force: true });
}
