// First diagnostics of the 1,000-Deployment file (bench/lsp-deployments.bench.mjs's
// file, in the workspace folder so the start-up scan reads it too), the server over
// LSP stdio: prints didOpen-to-publish and the server's CPU time in that window and,
// with a profile folder, writes the server's CPU profile there (`--cpu-prof`) to see
// what ran before the publish.
//   node --import tsx bench/profile-first-diagnostics.mjs [server.js] [profile-dir] [runs]
// KW_BENCH_STEPS=1 also prints the server's step log (KUBE_WORKBENCH_STEP_LOG, both threads:
// server/src/parallel/step-log.ts), each step's time against the client's `didOpen` and its
// thread's CPU time, then each thread's share of the pass and its CPU per chunk (KW_BENCH_STEPS_BRIEF=1:
// those only). KW_BENCH_BASELINE=dir (and KW_BENCH_ALSO=dir,dir) alternate with the builds there;
// KW_BENCH_OPEN_DELAY=ms opens the file that long after `initialize` is answered.
// (not a *.bench.mjs: `npm run bench` does not run it).
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { deploymentsManifest } from './lib/deployments-manifest.mjs';
import { LspClient } from '../test/support/lsp-client.ts';

const server = process.argv[2] || 'server/out/server.js';
const profileDir = process.argv[3];
const runs = Number(process.argv[4] ?? 1);
const servers = [server];
if (process.env.KW_BENCH_BASELINE) servers.push(join(process.env.KW_BENCH_BASELINE, 'server/out/server.js'));
// Other builds beside (KW_BENCH_ALSO=dir,dir: each with server/out/, scripts/code-cache.js and schemas/).
for (const dir of (process.env.KW_BENCH_ALSO ?? '').split(',').filter(Boolean))
  servers.push(join(dir, 'server/out/server.js'));
if (process.env.KW_BENCH_STEPS) process.env.KUBE_WORKBENCH_STEP_LOG = '1';

/** The server process's user and system CPU time so far, in ms (10 ms ticks). */
function cpuMs(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1]?.split(' ') ?? [];
  return (Number(fields[11]) + Number(fields[12])) * 10;
}

const now = () => performance.timeOrigin + performance.now();

/** The step log's lines, each against `zero` (ms since the epoch). */
function steps(stderr, zero) {
  return stderr
    .split('\n')
    .filter((line) => line.startsWith('kw-step '))
    .map((line) => {
      const fields = line.split(' ');
      const [thread = '', ...rest] = fields.slice(1, -2);
      const [at = 0, cpu = 0] = fields.slice(-2).map(Number);
      return { thread, name: rest.join(' '), at: at - zero, cpu };
    })
    .sort((a, b) => a.at - b.at);
}

/** Each thread's share of the pass: chunks, CPU ms, CPU ms per chunk. */
function shares(log) {
  const find = (thread, prefix) => log.find((s) => s.thread === thread && s.name.startsWith(prefix));
  const share = (thread, from, to) => {
    const [start, end] = [find(thread, from), find(thread, to)];
    if (!start || !end) return `${thread} ?`;
    const chunks = Number(end.name.split(' ').at(-1));
    const cpu = end.cpu - start.cpu;
    return `${thread} ${chunks} chunks ${cpu.toFixed(0)} ms CPU (${(cpu / chunks).toFixed(3)}/chunk)`;
  };
  const warmed = find('worker', 'job received')?.name.split(' ')[3] ?? '?';
  return `  ${share('main', 'job posted', 'main done')}, ${share('worker', 'job received', 'worker done')} (warmed up on ${warmed})`;
}

/** Per server: each run's didOpen to publish and the server's CPU in that window (ms). */
const figures = new Map(servers.map((path) => [path, { wall: [], cpu: [] }]));
const median = (values) => [...values].sort((a, b) => a - b)[Math.floor((values.length - 1) / 2)] ?? 0;

const dir = mkdtempSync(join(tmpdir(), 'kw-first-diagnostics-'));
try {
  const manifest = deploymentsManifest(1000);
  const file = join(dir, 'deployments.yaml');
  writeFileSync(file, manifest.text);
  const uri = pathToFileURL(file).href;
  for (let run = 0; run < runs; run++)
    for (const path of servers) {
      const profile = profileDir ? ['--cpu-prof', `--cpu-prof-dir=${profileDir}`, '--cpu-prof-interval', '250'] : [];
      const client = new LspClient([process.execPath, ...profile, path, '--stdio'], { settings: {} });
      try {
        const spawned = now();
        await client.initialize(dir);
        const initialized = now();
        // KW_BENCH_OPEN_DELAY=ms: the file opened that long after the server answered (an editor opening it later).
        const delay = Number(process.env.KW_BENCH_OPEN_DELAY ?? 0);
        if (delay > 0) await new Promise((resolve) => setTimeout(resolve, delay));
        const cpu = cpuMs(client.process.pid);
        const started = performance.now();
        const first = client.nextDiagnostics(uri, (ds) =>
          ds.some((d) => d.range.start.line === manifest.lastReplicasLine),
        );
        client.notify('textDocument/didOpen', {
          textDocument: { uri, languageId: 'yaml', version: 1, text: manifest.text },
        });
        const opened = now();
        await first;
        const wall = performance.now() - started;
        const serverCpu = cpuMs(client.process.pid) - cpu;
        figures.get(path)?.wall.push(wall);
        figures.get(path)?.cpu.push(serverCpu);
        console.log(
          `${path}: first diagnostics ${wall.toFixed(0)} ms (server CPU ${serverCpu} ms); ` +
            `spawn to initialize answered ${(initialized - spawned).toFixed(0)} ms`,
        );
        // The last lines (the worker's reply, the publish) come a moment after the diagnostics.
        if (process.env.KW_BENCH_STEPS) {
          await new Promise((resolve) => setTimeout(resolve, 300));
          console.log(
            `  (client: spawned ${(spawned - opened).toFixed(1)}, initialize answered ${(initialized - opened).toFixed(1)} ms)`,
          );
          const log = steps(client.stderr, opened);
          if (!process.env.KW_BENCH_STEPS_BRIEF)
            for (const s of log)
              console.log(
                `  ${s.thread.padEnd(6)} ${s.at.toFixed(1).padStart(8)} ms  cpu ${s.cpu.toFixed(1).padStart(6)}  ${s.name}`,
              );
          console.log(shares(log));
        }
      } finally {
        await client.shutdown();
      }
    }
  if (runs > 1)
    for (const [path, { wall, cpu }] of figures)
      console.log(
        `${path}: median of ${wall.length} ${median(wall).toFixed(0)} ms (${wall.map((w) => w.toFixed(0)).join(' ')}), ` +
          `server CPU ${median(cpu)} ms (${cpu.join(' ')})`,
      );
} finally {
  rmSync(dir, { recursive: true, force: true });
}
