// `kubectl port-forward` to one busybox httpd pod against the same container's
// published port, rounds interleaved in one run: requests/s over 8
// connections (busybox httpd closes every connection, so each request is a
// new local connection, a new SPDY stream pair and a new connection to the
// pod) and one 20 MB body. With KW_BENCH_BASELINE=/path/to/an/older/build, that
// build's cluster runs beside ours and its figures are printed as the
// "before" rows. Only 127.0.0.1 and this run's own containers are contacted;
// everything made here is removed.
// Runs under `node --import tsx bench/run.mjs port-forward`.
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent } from 'node:http';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { performance } from 'node:perf_hooks';
import { startClusterProcess } from '../test/integration/support/cluster-process.ts';
import { startKubectlPortForward } from '../test/integration/support/kubectl-port-forward.ts';
import { startClusterAt } from './lib/cluster-at.mjs';
import { freePort } from './lib/free-port.mjs';
import { dockerBench } from './lib/docker-bench.mjs';
import { get as getOnce } from './lib/http-get.mjs';

export const title = 'Orchestrator: kubectl port-forward';

const REQUESTS = 2000;
const CONCURRENCY = 8;
const ROUNDS = 5;
const HTTPD =
  'hostname > /www/index.html; for i in 0 1 2 3 4 5 6 7 8 9; do cat /bin/busybox; done > /www/big; exec httpd -f -p 8080 -h /www';
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sh(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin.end(input);
  });
}

/** A GET that fails after 10 s without an answer. */
const get = (port, path, agent) => getOnce(port, path, agent, 10_000);

/** Requests per second: REQUESTS GETs of / over CONCURRENCY connections at a time. */
async function throughput(port) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const r = await get(port, '/', agent).catch(() => undefined);
        if (r?.status !== 200) failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  if (failed > REQUESTS / 100) throw new Error(`${failed} of ${REQUESTS} requests failed on port ${port}`);
  return REQUESTS / seconds;
}

/** MB/s of one GET of /big on a new connection. */
async function download(port) {
  const t0 = performance.now();
  const r = await get(port, '/big', false);
  if (r.status !== 200 || r.bytes < 10e6) throw new Error(`GET /big on ${port}: ${r.status}, ${r.bytes} bytes`);
  return r.bytes / 1e6 / ((performance.now() - t0) / 1000);
}

/** A pod running the httpd, Ready, and kubectl port-forward to it. */
async function forwardTo(kubeconfig, cacheDir, image) {
  const kubectl = (args) => sh('kubectl', ['--kubeconfig', kubeconfig, '--cache-dir', cacheDir, ...args]);
  await kubectl(['run', 'pf', `--image=${image}`, '--restart=Never', '--command', '--', 'sh', '-c', HTTPD]);
  await kubectl(['wait', '--for=condition=Ready', 'pod/pf', '--timeout=120s']);
  const pf = await startKubectlPortForward(kubeconfig, ['pod/pf', ':8080']);
  // The body file is written before httpd starts; one request proves the whole path answers.
  for (let i = 0; ; i++) {
    const r = await get(pf.localPorts[0], '/big', false).catch(() => undefined);
    if (r?.status === 200 && r.bytes > 10e6) break;
    if (i > 100) throw new Error('the port-forward never answered');
    await new Promise((res) => setTimeout(res, 100));
  }
  return pf;
}

export async function run() {
  const { engine, image, clusterIdFor, removeCluster } = await dockerBench();
  const dir = mkdtempSync(join(tmpdir(), 'kw-bench-pf-'));
  const container = `kwbench_pf_${process.pid}`;
  const baselineRoot = process.env.KW_BENCH_BASELINE;
  const dataDirs = [join(dir, 'ours'), ...(baselineRoot ? [join(dir, 'baseline')] : [])];
  const children = [];
  const forwards = [];
  try {
    // KW_BENCH_CPU_PROF=DIR: our cluster process writes a CPU profile there when it stops.
    const profileDir = process.env.KW_BENCH_CPU_PROF;
    const ours = profileDir
      ? await startClusterAt(
          process.cwd(),
          dataDirs[0],
          ['--runtime', 'docker'],
          ['--cpu-prof', `--cpu-prof-dir=${profileDir}`],
        )
      : await startClusterProcess(dataDirs[0], ['--runtime', 'docker']);
    ours.kubeconfig ??= join(dataDirs[0], 'kubeconfig');
    children.push(ours.child);
    forwards.push(await forwardTo(ours.kubeconfig, join(dir, 'cache'), image));
    if (baselineRoot) {
      const before = await startClusterAt(baselineRoot, dataDirs[1], ['--runtime', 'docker']);
      children.push(before.child);
      forwards.push(await forwardTo(join(dataDirs[1], 'kubeconfig'), join(dir, 'cache'), image));
    }
    const hostPort = await freePort();
    await sh('docker', [
      'run',
      '-d',
      '--name',
      container,
      '-p',
      `127.0.0.1:${hostPort}:8080`,
      image,
      'sh',
      '-c',
      HTTPD,
    ]);
    for (let i = 0; ; i++) {
      const r = await get(hostPort, '/big', false).catch(() => undefined);
      if (r?.status === 200 && r.bytes > 10e6) break;
      if (i > 100) throw new Error('the container never answered');
      await new Promise((res) => setTimeout(res, 100));
    }

    // Interleaved rounds, the median of each: a busy neighbour slows every side alike.
    const ports = [hostPort, ...forwards.map((f) => f.localPorts[0])];
    const requests = ports.map(() => []);
    const body = ports.map(() => []);
    for (let i = 0; i < ROUNDS; i++)
      for (const [j, port] of ports.entries()) {
        requests[j].push(await throughput(port));
        body[j].push(await download(port));
      }
    const rows = [];
    const sides = [['kubectl port-forward', 1], ...(baselineRoot ? [['port-forward, build before', 2]] : [])];
    for (const [name, j] of sides) {
      rows.push({
        metric: `req/s through ${name}, ${CONCURRENCY} conns, median of ${ROUNDS}`,
        unit: 'req/s',
        ours: median(requests[j]),
        anchor: median(requests[0]),
        anchorName: 'container published port',
        better: 'higher',
      });
      rows.push({
        metric: `20 MB body through ${name}, median of ${ROUNDS}`,
        unit: 'MB/s',
        ours: median(body[j]),
        anchor: median(body[0]),
        anchorName: 'container published port',
        better: 'higher',
      });
    }
    return rows;
  } finally {
    for (const f of forwards) await f.stop();
    for (const child of children) {
      child.kill('SIGTERM');
      if (child.exitCode === null && child.signalCode === null) await new Promise((r) => child.once('exit', r));
    }
    await sh('docker', ['rm', '-f', container]).catch(() => undefined);
    for (const d of dataDirs) await removeCluster(engine, clusterIdFor(d));
    rmSync(dir, { recursive: true, force: true });
  }
}
