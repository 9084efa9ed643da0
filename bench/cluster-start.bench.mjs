// `kube-workbench cluster start` (the Docker runtime when an engine answers,
// as a user runs it) on a data directory that already holds a cluster, from
// the spawn until `GET /version` answers over HTTPS; median of 5, on a quiet
// machine and with the machine made busy on purpose (two busy-loop child
// processes, one per core here), in the same run. The anchor is the build
// before the change (KW_BENCH_BASELINE, a directory holding a built copy)
// or, without one, the goal of 150 ms. A last row: the first `kubectl apply` of a
// Deployment to a freshly started cluster (firstApply). Everything made here is removed.
//
// What one start measures: `spawn(node, [bin script, ...])` (no shell, no wrapper) to the end of
// the first 200 answer to `GET /version`, polled every 2 ms by this process (a connection refused
// is tried again 2 ms later; each try is a new TLS connection, as a new kubectl would make). So it
// holds Node's own start, ours up to the listen, the scheduling of this client, one TLS handshake
// and one request. Before the measured rounds each side is started once unmeasured, so this
// client's first handshake (OpenSSL's lazy set-up in this process) and a cold page cache count
// for none of them. Beside the wall time: the CPU time of the started process (all its threads,
// /proc/PID/task/*/schedstat, Linux) at the moment the answer arrived, which the neighbours'
// load changes much less than the wall time.
// The floors are plain Node processes that read the same TLS files and answer every request from
// `https.createServer`: as it was (`floor`), and with the one change ours made to its TLS options
// (`ca: []`, no root store built: `floor, ca: []`).
// NODE_EXTRA_CA_CERTS is removed from the started processes' environment (both sides and the
// floors): Node 20 reads that file, and builds its whole root store, before any script runs
// (~40 ms of CPU per process here, where it names the system's 144-certificate bundle), which
// a user without that variable never pays. KW_BENCH_KEEP_EXTRA_CA=1 keeps it.
// Runs under `node --import tsx bench/run.mjs cluster-start`.
import { spawn } from 'node:child_process';
import { mkdtempSync, readdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { freePort } from './lib/free-port.mjs';

export const title = 'Orchestrator: cluster start';

const ROUNDS = 5;
const APPLY_ROUNDS = Number(process.env.KW_BENCH_APPLY_ROUNDS ?? 3);
const GOAL_MS = 150;
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

/** The bearer token in a data directory's kubeconfig (written by the first start). */
function tokenOf(dataDir) {
  const m = /token: (\S+)/.exec(readFileSync(join(dataDir, 'kubeconfig'), 'utf8'));
  if (!m) throw new Error(`no token in ${dataDir}/kubeconfig`);
  return m[1];
}

function version(port, token) {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/version',
        rejectUnauthorized: false,
        agent: false,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode === 200));
      },
    );
    req.on('error', () => resolve(false));
    req.end();
  });
}

/**
 * The floor: a Node process that reads the data directory's TLS files and answers every
 * request from a plain https server (no bundle, no store), as small as a start can be.
 */
const floor = (extra) => `const fs = require('node:fs');
const https = require('node:https');
const [dir, port] = process.argv.slice(1);
https
  .createServer({ key: fs.readFileSync(dir + '/apiserver.key'), cert: fs.readFileSync(dir + '/apiserver.crt')${extra} }, (q, r) =>
    r.end('{}'),
  )
  .listen(Number(port), '127.0.0.1');
`;
const FLOORS = { floor: floor(''), 'floor, ca: []': floor(', ca: []') };

/** The environment of every started process (see the header). */
const startEnv = { ...process.env };
if (!process.env.KW_BENCH_KEEP_EXTRA_CA) delete startEnv.NODE_EXTRA_CA_CERTS;
const envNote = process.env.KW_BENCH_KEEP_EXTRA_CA ? 'NODE_EXTRA_CA_CERTS kept' : 'NODE_EXTRA_CA_CERTS unset';

/** CPU milliseconds a live process has used so far, all threads (undefined where /proc has no schedstat). */
function cpuMsOf(pid) {
  try {
    let ns = 0;
    for (const task of readdirSync(`/proc/${pid}/task`))
      ns += Number(readFileSync(`/proc/${pid}/task/${task}/schedstat`, 'utf8').split(' ')[0]);
    return ns / 1e6;
  } catch {
    return undefined;
  }
}

/** Milliseconds from the spawn until GET /version answers 200, and the process's CPU by then; then stops it. */
async function startOnce(root, dataDir, token) {
  const port = await freePort();
  const t0 = performance.now();
  const args = Object.hasOwn(FLOORS, root)
    ? ['-e', FLOORS[root], dataDir, String(port)]
    : [join(root, 'scripts', 'kube-workbench.js'), 'cluster', 'start', '--data-dir', dataDir, '--port', String(port)];
  const child = spawn(process.execPath, args, { stdio: ['ignore', 'ignore', 'pipe'], env: startEnv });
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((r) => child.once('exit', r));
  let gone = false;
  void exited.then(() => (gone = true));
  try {
    while (!(await version(port, token))) {
      if (gone) throw new Error(`cluster start in ${root} exited:\n${err}`);
      if (performance.now() - t0 > 30_000) throw new Error(`cluster start in ${root}: no answer in 30 s\n${err}`);
      await new Promise((r) => setTimeout(r, 2));
    }
    return { ms: performance.now() - t0, cpuMs: cpuMsOf(child.pid) };
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** A start until it prints its kubeconfig, then a stop. */
async function firstStart(root, dataDir) {
  const child = spawn(process.execPath, [
    join(root, 'scripts', 'kube-workbench.js'),
    ...['cluster', 'start', '--data-dir', dataDir, '--port', '0'],
  ]);
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((r) => child.once('exit', r));
  await new Promise((resolve, reject) => {
    child.stdout.on('data', (c) => {
      out += c;
      if (/^kubeconfig: /m.test(out)) resolve();
    });
    void exited.then(() => reject(new Error(`cluster start in ${root} exited:\n${err}`)));
  });
  child.kill('SIGTERM');
  await exited;
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: first-apply
spec:
  replicas: 0
  selector:
    matchLabels: { app: first-apply }
  template:
    metadata:
      labels: { app: first-apply }
    spec:
      containers:
        - name: web
          image: busybox:1.36
          command: ['httpd', '-f', '-p', '8080']
`;

/**
 * A fresh cluster (new data directory) started until it prints its kubeconfig, 2 s for it to
 * settle as a user's first command would find it, then `kubectl apply -f` of one Deployment
 * with an empty kubectl cache (discovery and OpenAPI read anew, as against any new cluster):
 * milliseconds from kubectl's spawn to its exit.
 */
async function firstApply(root, dataDir, manifest) {
  const child = spawn(process.execPath, [
    join(root, 'scripts', 'kube-workbench.js'),
    ...['cluster', 'start', '--data-dir', dataDir, '--port', '0'],
  ]);
  let out = '';
  let err = '';
  child.stderr.on('data', (c) => (err += c));
  const exited = new Promise((r) => child.once('exit', r));
  try {
    await new Promise((resolve, reject) => {
      child.stdout.on('data', (c) => {
        out += c;
        if (/^kubeconfig: /m.test(out)) resolve();
      });
      void exited.then(() => reject(new Error(`cluster start in ${root} exited:\n${err}`)));
    });
    await new Promise((r) => setTimeout(r, 2000));
    const cacheDir = join(dataDir, 'kubectl-cache');
    const t0 = performance.now();
    await new Promise((resolve, reject) => {
      const kubectl = spawn(
        'kubectl',
        ['--kubeconfig', join(dataDir, 'kubeconfig'), '--cache-dir', cacheDir, 'apply', '-f', manifest],
        { stdio: ['ignore', 'ignore', 'pipe'] },
      );
      let kerr = '';
      kubectl.stderr.on('data', (c) => (kerr += c));
      kubectl.once('exit', (code) => (code === 0 ? resolve() : reject(new Error(`kubectl apply: ${kerr}`))));
    });
    return performance.now() - t0;
  } finally {
    child.kill('SIGTERM');
    await exited;
  }
}

/** Two processes that keep a core each busy until stopped. */
function busyLoops() {
  const loops = [0, 1].map(() => spawn(process.execPath, ['-e', 'for (;;) {}'], { stdio: 'ignore' }));
  return () => Promise.all(loops.map((c) => (c.kill('SIGKILL'), new Promise((r) => c.once('exit', r)))));
}

export async function run() {
  const { DockerEngine } = await import('../client/orchestrator/kubelet/docker-client.ts');
  const { clusterIdFor } = await import('../client/orchestrator/kubelet/docker-runtime-factory.ts');
  const { removeCluster } = await import('../test/integration/support/docker-cluster.ts');
  const baseline = process.env.KW_BENCH_BASELINE;
  const dir = mkdtempSync(join(tmpdir(), 'kw-bench-start-'));
  const sides = [{ root: process.cwd(), dataDir: join(dir, 'ours'), fresh: [] }];
  if (baseline) sides.push({ root: baseline, dataDir: join(dir, 'baseline'), fresh: [] });
  try {
    // The first start makes the data directory (token, TLS key and certificate, store): not measured.
    for (const s of sides) {
      await firstStart(s.root, s.dataDir);
      s.token = tokenOf(s.dataDir);
    }
    // The floors answer from the first side's data directory (its TLS files).
    const floors = Object.keys(FLOORS).map((root) => ({ root, dataDir: sides[0].dataDir, token: sides[0].token }));
    const starters = [...sides, ...floors];
    const times = { quiet: starters.map(() => []), busy: starters.map(() => []) };
    const cpu = { quiet: starters.map(() => []), busy: starters.map(() => []) };
    for (const load of ['quiet', 'busy']) {
      const stop = load === 'busy' ? busyLoops() : undefined;
      try {
        for (const s of starters) await startOnce(s.root, s.dataDir, s.token); // warm-up, not measured
        for (let i = 0; i < ROUNDS; i++)
          for (const [j, s] of starters.entries()) {
            const { ms, cpuMs } = await startOnce(s.root, s.dataDir, s.token);
            times[load][j].push(ms);
            if (cpuMs !== undefined) cpu[load][j].push(cpuMs);
          }
      } finally {
        await stop?.();
      }
    }
    const at = (name) => starters.findIndex((s) => s.root === name);
    const medianOr = (xs) => (xs.length > 0 ? median(xs) : undefined);
    // The first kubectl apply to a fresh cluster, quiet: a new data directory for every round.
    const manifest = join(dir, 'deployment.yaml');
    writeFileSync(manifest, DEPLOYMENT);
    const applies = sides.map(() => []);
    for (let i = 0; i < APPLY_ROUNDS; i++)
      for (const [j, s] of sides.entries()) {
        const fresh = join(dir, `apply-${j}-${i}`);
        s.fresh.push(fresh);
        applies[j].push(await firstApply(s.root, fresh, manifest));
      }
    return [
      ...['quiet', 'busy'].flatMap((load) => [
        ...Object.keys(FLOORS).map((name) => ({
          metric: `start until it answers, against the ${name} (node: read the TLS files, https listen), ${load}, median of ${ROUNDS}, ${envNote}`,
          unit: 'ms',
          ours: median(times[load][0]),
          anchor: median(times[load][at(name)]),
          anchorName: name,
          better: 'lower',
        })),
        {
          metric: `cluster start until GET /version answers, ${load}, median of ${ROUNDS}, ${envNote}`,
          unit: 'ms',
          ours: median(times[load][0]),
          anchor: baseline ? median(times[load][1]) : GOAL_MS,
          anchorName: baseline ? 'build before' : 'goal',
          better: 'lower',
        },
        {
          metric: `CPU of the started process until GET /version answered, ${load}, median of ${ROUNDS}`,
          unit: 'ms',
          ours: medianOr(cpu[load][0]),
          anchor: medianOr(cpu[load][baseline ? 1 : at('floor, ca: []')]),
          anchorName: baseline ? 'build before' : 'floor, ca: []',
          better: 'lower',
        },
        {
          metric: `CPU of the started process until it answered, against the floor, ca: [], ${load}, median of ${ROUNDS}`,
          unit: 'ms',
          ours: medianOr(cpu[load][0]),
          anchor: medianOr(cpu[load][at('floor, ca: []')]),
          anchorName: 'floor, ca: []',
          better: 'lower',
        },
      ]),
      {
        metric: `first kubectl apply after start (one Deployment, fresh cluster and kubectl cache), median of ${APPLY_ROUNDS}`,
        unit: 'ms',
        ours: median(applies[0]),
        anchor: baseline ? median(applies[1]) : median(applies[0]),
        anchorName: baseline ? 'build before' : 'ours (no baseline given)',
        better: 'lower',
      },
    ];
  } finally {
    const engine = new DockerEngine();
    const reachable = await engine.ping().then(
      () => true,
      () => false,
    );
    if (reachable)
      for (const s of sides) for (const d of [s.dataDir, ...s.fresh]) await removeCluster(engine, clusterIdFor(d));
    rmSync(dir, { recursive: true, force: true });
  }
}
