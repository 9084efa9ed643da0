// What a slow read met: runs the orchestrator-scale churn (100 fake nodes, 100 Deployments x 100
// replicas) against ROOT (default: this build) with the cluster's loop trace on (KW_LOOP_TRACE,
// client/orchestrator/api/loop-trace.ts), samples GET and LIST as orchestrator-scale does (or every
// KW_STALL_GAP_MS), and prints each read slower than KW_STALL_MS (default 40) beside the stretches
// the cluster's event loop was held and the collection pauses that overlap it, both on the wall clock.
// usage: node bench/api-stalls.mjs [ROOT] [--out FILE.json] [-- NODE_ARGS...] (e.g. --cpu-prof --cpu-prof-dir=DIR)
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiClient, createBenchDeployments, readyReplicas } from './lib/api-client.mjs';
import { startClusterAt } from './lib/cluster-at.mjs';

const argv = process.argv.slice(2);
const dash = argv.indexOf('--');
const own = dash >= 0 ? argv.slice(0, dash) : argv;
const nodeArgs = dash >= 0 ? argv.slice(dash + 1) : [];
const outAt = own.indexOf('--out');
const out = outAt >= 0 ? own[outAt + 1] : undefined;
const root = resolve(own.find((a, i) => !a.startsWith('--') && own[i - 1] !== '--out') ?? '.');
const gapMs = Number(process.env.KW_STALL_GAP_MS ?? 50);
const slowMs = Number(process.env.KW_STALL_MS ?? 40);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const now = () => performance.timeOrigin + performance.now();
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
/** CPU seconds of the main thread and of all the others together (V8's helpers, libuv's pool), from /proc. */
const threadCpu = (pid) => {
  const by = {};
  for (const tid of readdirSync(`/proc/${pid}/task`)) {
    const text = readFileSync(`/proc/${pid}/task/${tid}/stat`, 'utf8');
    const name = tid === String(pid) ? 'main' : process.env.KW_STALL_THREADS ? `t${tid}` : 'others';
    const f = text.slice(text.lastIndexOf(')') + 2).split(' ');
    by[name] = (by[name] ?? 0) + (Number(f[11]) + Number(f[12])) / 100;
  }
  return by;
};
const hwm = (pid) => Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024;
const pct = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};

const dir = mkdtempSync(join(tmpdir(), 'kw-stalls-'));
const traceFile = join(dir, 'loop-trace.json');
process.env.KW_LOOP_TRACE = traceFile;
const { child, api } = await startClusterAt(root, dir, ['--nodes', '100'], nodeArgs);
delete process.env.KW_LOOP_TRACE;
const samples = [];
let result;
try {
  const call = apiClient(api, dir);
  await sleep(2000);
  const cpu0 = cpuSeconds(child.pid);
  const threads0 = threadCpu(child.pid);
  const self0 = process.cpuUsage();
  const t0 = now();
  let done = false;
  const sampler = (async () => {
    for (let n = 0; !done; n++) {
      for (const [kind, path] of [
        ['get', `/apis/apps/v1/namespaces/default/deployments/d-${n % 100}`],
        ['list', `/api/v1/namespaces/default/pods?labelSelector=app%3Dd-${n % 100}`],
      ]) {
        const a = now();
        await call('GET', path).catch(() => undefined);
        samples.push({ kind, at: a, ms: now() - a });
      }
      await sleep(gapMs);
    }
  })();
  await createBenchDeployments(call, 100, 100);
  let ready = 0;
  while (ready < 10_000) {
    await sleep(250);
    ready = await readyReplicas(call);
  }
  const seconds = (now() - t0) / 1000;
  const cpu = cpuSeconds(child.pid) - cpu0;
  const threads = Object.fromEntries(
    Object.entries(threadCpu(child.pid)).map(([k, v]) => [k, +(v - (threads0[k] ?? 0)).toFixed(2)]),
  );
  const used = process.cpuUsage(self0);
  const benchCpu = +((used.user + used.system) / 1e6).toFixed(2);
  done = true;
  await sampler;
  result = {
    root,
    nodeArgs: nodeArgs.join(' '),
    seconds,
    cpu,
    threads,
    benchCpu,
    peakRssMiB: Math.round(hwm(child.pid)),
    t0,
  };
} finally {
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
}
const trace = JSON.parse(readFileSync(traceFile, 'utf8'));
// An older build's trace has neither (its stretches are only its longest 40, not placed on the wall clock).
trace.stretches ??= [];
trace.pauses ??= [];
rmSync(dir, { recursive: true, force: true });
const row = (kind) => {
  const ms = samples.filter((s) => s.kind === kind).map((s) => s.ms);
  return `${kind} n=${ms.length} p50 ${pct(ms, 50).toFixed(0)} p99 ${pct(ms, 99).toFixed(0)} max ${pct(ms, 100).toFixed(0)} ms`;
};
console.log(
  `${result.root} ${result.nodeArgs}: ${result.seconds.toFixed(2)} s, CPU ${result.cpu.toFixed(2)} s, peak RSS ${result.peakRssMiB} MiB`,
);
console.log(`${row('get')}; ${row('list')}`);
console.log(`cluster threads' CPU ${JSON.stringify(result.threads)}; this bench's own ${result.benchCpu} s`);
console.log(
  `loop: stretches over 50 ms ${trace.stretchesOver50ms} (${trace.stretchMsTotal} ms), delay p99 ${trace.loopDelayMs.p99.toFixed(0)} max ${trace.loopDelayMs.max.toFixed(0)} ms; pauses >= 5 ms ${trace.pauses.length}`,
);
// The same stretches by this thread's own CPU in them (a busy machine lengthens them without running us).
const cpu = trace.stretches.filter((t) => t.cpuMs !== undefined).map((t) => t.cpuMs);
if (cpu.length > 0)
  console.log(
    `loop CPU: stretches with over 20 / 40 / 60 ms of the main thread's CPU ${[20, 40, 60].map((m) => cpu.filter((c) => c > m).length).join(' / ')}, the most ${Math.max(...cpu)} ms; waited for a CPU in stretches ${trace.stretches.reduce((n, t) => n + (t.waitMs ?? 0), 0)} ms`,
  );
for (const s of samples.filter((x) => x.ms >= slowMs)) {
  const end = s.at + s.ms;
  // A stretch ends at `at`: it overlaps the read when it ended after the read began and began before it ended.
  const held = trace.stretches.filter((t) => t.at > s.at && t.at - t.ms < end);
  const gc = trace.pauses.filter((p) => p.at + p.ms > s.at && p.at < end);
  console.log(
    `  ${s.kind} at +${((s.at - result.t0) / 1000).toFixed(2)} s: ${s.ms.toFixed(0)} ms; held ${held
      .map(
        (t) =>
          `${t.ms} ms (CPU ${t.cpuMs ?? '?'}) [${Object.entries(t.work)
            .map(([k, v]) => `${k} ${v.toFixed(0)}`)
            .join(', ')}]`,
      )
      .join('; ')}; gc ${gc.map((p) => `${p.ms} ms kind ${p.kind}`).join(', ')}`,
  );
}
if (out) writeFileSync(out, JSON.stringify({ ...result, samples, trace }));
