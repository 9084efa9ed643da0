// CPU per forwarded request of two builds side by side in one run: our cluster and the one of
// KW_BENCH_BASELINE (default /work/baseline) each run the busybox httpd pod and kubectl port-forward to it;
// then ROUNDS rounds alternate, each N requests over 8 connections and one 20 MB body through one build
// and then the other (which goes first alternates too), summing the CPU (user + system, from /proc) of
// each build's cluster process and its kubectl, and the client's. A busy neighbour slows both sides
// alike, so the per-request CPU of the two builds can be compared where req/s cannot.
// `ROUNDS=6 N=1000 node --import tsx bench/port-forward-cpu-ab.mjs`. Not a bench of `npm run bench`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startKubectlPortForward } from '../test/integration/support/kubectl-port-forward.ts';
import { startClusterAt } from './lib/cluster-at.mjs';
import { dockerBench } from './lib/docker-bench.mjs';
import { get, requestsPerSecond } from './lib/http-get.mjs';

const HTTPD =
  'hostname > /www/index.html; for i in 0 1 2 3 4 5 6 7 8 9; do cat /bin/busybox; done > /www/big; exec httpd -f -p 8080 -h /www';
const ROUNDS = Number(process.env.ROUNDS ?? 6);
const N = Number(process.env.N ?? 1000);

const cpu = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const sh = (cmd, args) =>
  new Promise((res, rej) => execFile(cmd, args, (e, o, se) => (e ? rej(new Error(se || e.message)) : res(o))));
const { engine, image, clusterIdFor, removeCluster } = await dockerBench();
const dir = mkdtempSync(join(tmpdir(), 'kw-scratch-pfab-'));
const roots = { ours: process.cwd(), before: process.env.KW_BENCH_BASELINE ?? '/work/baseline' };
const sides = [];
try {
  for (const [name, root] of Object.entries(roots)) {
    const c = await startClusterAt(root, join(dir, name), ['--runtime', 'docker']);
    const kc = join(dir, name, 'kubeconfig');
    sides.push({ name, child: c.child, dataDir: join(dir, name) });
    const kubectl = (args) => sh('kubectl', ['--kubeconfig', kc, ...args]);
    await kubectl(['run', 'pf', `--image=${image}`, '--restart=Never', '--command', '--', 'sh', '-c', HTTPD]);
    await kubectl(['wait', '--for=condition=Ready', 'pod/pf', '--timeout=120s']);
    const pf = await startKubectlPortForward(kc, ['pod/pf', ':8080']);
    Object.assign(sides.at(-1), { pf, port: pf.localPorts[0], req: 0, big: 0, rps: [], mbs: [] });
    for (let i = 0; ; i++) {
      const r = await get(pf.localPorts[0], '/big', false).catch(() => undefined);
      if (r?.status === 200) break;
      await new Promise((r) => setTimeout(r, 100));
    }
    await requestsPerSecond(pf.localPorts[0], 500, 8); // the JIT warms up on the path measured
  }
  const pidsOf = (s) => [s.child.pid, s.pf.child.pid, process.pid];
  const totals = Object.fromEntries(sides.map((s) => [s.name, { req: [0, 0, 0], big: [0, 0, 0] }]));
  for (let round = 0; round < ROUNDS; round++) {
    const order = round % 2 === 0 ? sides : [...sides].reverse();
    for (const s of order) {
      let b = pidsOf(s).map(cpu);
      s.rps.push(await requestsPerSecond(s.port, N, 8));
      let a = pidsOf(s).map(cpu);
      a.forEach((v, i) => (totals[s.name].req[i] += v - b[i]));
      b = a;
      const t0 = performance.now();
      const r = await get(s.port, '/big', false);
      s.mbs.push(r.bytes / 1e6 / ((performance.now() - t0) / 1000));
      a = pidsOf(s).map(cpu);
      a.forEach((v, i) => (totals[s.name].big[i] += v - b[i]));
    }
  }
  const median = (xs) => [...xs].sort((x, y) => x - y)[Math.floor(xs.length / 2)];
  for (const s of sides) {
    const t = totals[s.name];
    const perReq = t.req.map((v) => ((v / (ROUNDS * N)) * 1000).toFixed(3));
    const perBody = t.big.map((v) => ((v / ROUNDS) * 1000).toFixed(0));
    console.log(
      `${s.name.padEnd(6)} ms/request: cluster ${perReq[0]} kubectl ${perReq[1]} client ${perReq[2]}; ` +
        `ms/20MB body: cluster ${perBody[0]} kubectl ${perBody[1]} client ${perBody[2]}; ` +
        `median req/s ${median(s.rps).toFixed(0)}, MB/s ${median(s.mbs).toFixed(1)}`,
    );
  }
} finally {
  for (const s of sides) {
    await s.pf?.stop();
    s.child.kill('SIGTERM');
    await new Promise((r) => s.child.once('exit', r));
    await removeCluster(engine, clusterIdFor(s.dataDir));
  }
  rmSync(dir, { recursive: true, force: true });
}
