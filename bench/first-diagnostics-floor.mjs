// Row 1's floor (issue #18), in the same run as our server and yaml-language-server: the 1,000-Deployment file's
// first diagnostics (from the client's `didOpen` to the publish), against the cheapest servers that do what row 1
// must do over the same transport (bench/lib/floor-lsp-server.ts: LSP over stdio, a Node process started as ours
// is): the message read, decoded, its YAML parsed (the `yaml` package or our fast parser), on one or two threads,
// then an empty publish. Prints each side's median and runs, and the server's CPU in that window.
//   node --import tsx bench/first-diagnostics-floor.mjs [runs]
// KW_BENCH_BASELINE=dir adds that build; KW_BENCH_YLS_RUNS=n (default 3, 0: none) runs of yaml-language-server;
// KW_BENCH_SIDES=ours,json,... only those sides (ours1: ours without its validation worker). The sides take turns at going first (rotated each run).
// (not a *.bench.mjs: `npm run bench` does not run it).
import { build } from 'esbuild';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { ylsCommand, ylsSettings } from './lib/yls-server.mjs';
import { deploymentsManifest, writeDeploymentSchema } from './lib/deployments-manifest.mjs';
import { LspClient } from '../test/support/lsp-client.ts';

const runs = Number(process.argv[2] ?? 5);
const ylsRuns = Number(process.env.KW_BENCH_YLS_RUNS ?? 3);
const only = process.env.KW_BENCH_SIDES?.split(',');

/** The server process's user and system CPU time so far, in ms (10 ms ticks). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'kw-first-floor-'));
try {
  // Bundled as the server's bundles are (scripts/build.mjs: the `yaml` package's ES module build, CommonJS out).
  const floor = join(dir, 'floor.js');
  await build({
    entryPoints: [new URL('./lib/floor-lsp-server.ts', import.meta.url).pathname],
    outfile: floor,
    bundle: true,
    platform: 'node',
    target: 'node20',
    format: 'cjs',
    logLevel: 'warning',
    alias: { yaml: './node_modules/yaml/browser/index.js' },
  });
  const work = join(dir, 'workspace');
  const manifest = deploymentsManifest(1000);
  const file = join(mkdtempSync(work), 'deployments.yaml');
  writeFileSync(file, manifest.text);
  const folder = join(file, '..');
  const uri = pathToFileURL(file).href;
  const schema = writeDeploymentSchema(dir);
  const finding = (ds) => ds.some((d) => d.range.start.line === manifest.lastReplicasLine);
  const any = () => true;
  const floorSide = (mode) => ({ name: `floor ${mode}`, command: [process.execPath, floor, mode], accept: any });
  const sides = [
    ...['raw', 'json', 'yaml', 'fast', 'yaml2', 'fast2', 'fastw', 'fast2w'].map(floorSide),
    { name: 'ours', command: [process.execPath, 'server/out/server.js', '--stdio'], accept: finding },
    // Ours without the validation worker (the same diagnostics, all on the main thread).
    {
      name: 'ours1',
      command: ['env', 'KUBE_WORKBENCH_NO_VALIDATION_WORKER=1', process.execPath, 'server/out/server.js', '--stdio'],
      accept: finding,
    },
    ...(process.env.KW_BENCH_BASELINE
      ? [
          {
            name: 'baseline',
            command: [process.execPath, join(process.env.KW_BENCH_BASELINE, 'server/out/server.js'), '--stdio'],
            accept: finding,
          },
        ]
      : []),
    {
      name: 'yls',
      runs: ylsRuns,
      command: ylsCommand(),
      settings: ylsSettings(schema, { features: false }),
      accept: finding,
    },
  ].filter((s) => !only || only.includes(s.name.replace('floor ', '')));
  const figures = new Map(sides.map((s) => [s.name, { wall: [], cpu: [] }]));
  for (let run = 0; run < runs; run++) {
    const turn = [...sides.slice(run % sides.length), ...sides.slice(0, run % sides.length)];
    for (const side of turn) {
      if (run >= (side.runs ?? runs)) continue;
      const client = new LspClient(side.command, { settings: side.settings ?? {} });
      try {
        await client.initialize(folder);
        const cpu = cpuMs(client.process.pid);
        const started = performance.now();
        const first = client.nextDiagnostics(uri, side.accept);
        client.notify('textDocument/didOpen', {
          textDocument: { uri, languageId: 'yaml', version: 1, text: manifest.text },
        });
        await first;
        const wall = performance.now() - started;
        figures.get(side.name)?.wall.push(wall);
        figures.get(side.name)?.cpu.push(cpuMs(client.process.pid) - cpu);
      } finally {
        await client.shutdown();
      }
    }
  }
  for (const [name, { wall, cpu }] of figures)
    console.log(
      `${name.padEnd(12)} median ${median(wall).toFixed(0).padStart(5)} ms (${wall.map((w) => w.toFixed(0)).join(' ')}), ` +
        `server CPU ${median(cpu)} ms (${cpu.join(' ')})`,
    );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
