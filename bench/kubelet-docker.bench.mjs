// The Docker runtime's data plane, side by side with plain Docker in the same
// run: from "apply Deployment(3) + Service" to all three pods answering
// through the Service on 127.0.0.1, against three `docker run -d` of the same
// container until they answer; requests per second through the Service proxy
// (NodePort), through the Ingress and through `kubectl port-forward` (plus a
// 20 MB body through it), against straight to a container's published port;
// the orchestrator's memory with 20 running pods. With KW_BENCH_BASELINE=/path/to/an/older/build, the apply
// rounds also run against a cluster of that build, interleaved (KW_BENCH_APPLY_ONLY=1: only the apply rows). Only
// 127.0.0.1 and this run's own containers are contacted; everything made
// here is removed (the cluster's objects by its own id label).
// Runs under `node --import tsx bench/run.mjs kubelet-docker` (it imports the
// TypeScript test support to build the image and clean up).
import { execFile } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { Agent, request } from 'node:http';
import { createServer } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterProcess } from '../test/integration/support/cluster-process.ts';
import { startKubectlPortForward } from '../test/integration/support/kubectl-port-forward.ts';
import { rssMiB } from './lib/process-rss.mjs';
import { performance } from 'node:perf_hooks';
import { freePort } from './lib/free-port.mjs';
import { HTTPD, webManifest } from './lib/httpd-web.mjs';
import { dockerBench } from './lib/docker-bench.mjs';
import { startClusterAt } from './lib/cluster-at.mjs';

export const title = 'Orchestrator: Docker runtime, Services, Ingress';

const REQUESTS = 2000;
const CONCURRENCY = 8;
const ROUNDS = 5;
/** A ~20 MB file for the port-forward body (ten copies of the image's busybox). */
const BIG = 'for i in 0 1 2 3 4 5 6 7 8 9; do cat /bin/busybox; done > /www/big';
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const median = (xs) => [...xs].sort((a, b) => a - b)[Math.floor(xs.length / 2)];

function sh(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 120_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin.end(input);
  });
}

/** A node port (30000-32767) nothing listens on now. */
async function freeNodePort() {
  for (let i = 0; i < 50; i++) {
    const port = 30000 + Math.floor(Math.random() * 2768);
    const ok = await new Promise((resolve) => {
      const s = createServer();
      s.once('error', () => resolve(false));
      s.listen(port, '127.0.0.1', () => s.close(() => resolve(true)));
    });
    if (ok) return port;
  }
  throw new Error('no free node port');
}

function get(port, host, agent) {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/',
        headers: { ...(host ? { host } : {}), ...(agent ? {} : { connection: 'close' }) },
        agent: agent ?? false,
      },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode, body: body.trim() }));
      },
    );
    req.setTimeout(3000, () => req.destroy(new Error('timeout')));
    req.on('error', reject);
    req.end();
  });
}

/** Polls until `count` different bodies answered 200 from `port` (each a pod's or container's hostname). */
async function untilAnswering(ports, count, host, seconds = 120) {
  const deadline = performance.now() + seconds * 1000;
  const seen = new Set();
  while (performance.now() < deadline) {
    for (const port of ports) {
      const r = await get(port, host).catch(() => undefined);
      if (r?.status === 200) seen.add(r.body);
    }
    if (seen.size >= count) return;
    await sleep(10);
  }
  throw new Error(`only ${seen.size} of ${count} answered in ${seconds} s`);
}

/** MB/s of one GET of /big on a new connection. */
function download(port) {
  return new Promise((resolve, reject) => {
    const t0 = performance.now();
    let bytes = 0;
    const req = request({ host: '127.0.0.1', port, path: '/big', agent: false }, (res) => {
      res.on('data', (c) => (bytes += c.length));
      res.on('end', () =>
        res.statusCode === 200 && bytes > 10e6
          ? resolve(bytes / 1e6 / ((performance.now() - t0) / 1000))
          : reject(new Error(`GET /big on ${port}: ${res.statusCode}, ${bytes} bytes`)),
      );
    });
    req.on('error', reject);
    req.end();
  });
}

/** Requests per second: REQUESTS GETs over CONCURRENCY keep-alive connections. */
async function throughput(port, host) {
  const agent = new Agent({ keepAlive: true, maxSockets: CONCURRENCY });
  let next = 0;
  let failed = 0;
  const t0 = performance.now();
  await Promise.all(
    Array.from({ length: CONCURRENCY }, async () => {
      while (next < REQUESTS) {
        next++;
        const r = await get(port, host, agent).catch(() => undefined);
        if (r?.status !== 200) failed++;
      }
    }),
  );
  const seconds = (performance.now() - t0) / 1000;
  agent.destroy();
  if (failed > REQUESTS / 100) throw new Error(`${failed} of ${REQUESTS} requests failed on port ${port}`);
  return REQUESTS / seconds;
}

const manifest = (image, nodePort) => `${webManifest(image, nodePort)}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: bench}
spec:
  rules:
  - host: bench.test
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: bench, port: {number: 80}}}}]
`;

/** Anchor: three plain containers, one after another, until all answer; the seconds and their host ports. */
async function dockerRunRound(image, names) {
  const hostPorts = [await freePort(), await freePort(), await freePort()];
  const t0 = performance.now();
  for (const [i, name] of names.entries())
    await sh('docker', ['run', '-d', '--name', name, '-p', `127.0.0.1:${hostPorts[i]}:8080`, image, 'sh', '-c', HTTPD]);
  await untilAnswering(hostPorts, 3);
  return { seconds: (performance.now() - t0) / 1000, hostPorts };
}

/** Ours: apply, then all three pods answer through the Service's node port; the seconds. */
async function applyRound(kubectl, image, nodePort) {
  const t0 = performance.now();
  await kubectl(['apply', '-f', '-'], manifest(image, nodePort));
  await untilAnswering([nodePort], 3);
  return (performance.now() - t0) / 1000;
}

/** `kubectl delete -f`, then waits until the pods are gone (their containers removed), as a user would. */
async function deleteRound(kubectl, image, nodePort) {
  await kubectl(['delete', '-f', '-'], manifest(image, nodePort));
  await kubectl(['wait', '--for=delete', 'pod', '-l', 'app=bench', '--timeout=120s']).catch(() => undefined);
  const deadline = performance.now() + 120_000;
  while ((await kubectl(['get', 'pods', '-l', 'app=bench', '-o', 'name'])).trim() !== '') {
    if (performance.now() > deadline) throw new Error('the pods of a round were not removed in 120 s');
    await sleep(100);
  }
}

export async function run() {
  const { engine, image, clusterIdFor, removeCluster } = await dockerBench();
  const dir = mkdtempSync(join(tmpdir(), 'kw-bench-docker-'));
  const dataDir = join(dir, 'data');
  const names = [0, 1, 2].map((i) => `kwbench_${process.pid}_${i}`);
  const cluster = await startClusterProcess(dataDir, ['--runtime', 'docker']);
  const { child, kubeconfig } = cluster;
  const ingressPort = Number(new URL(cluster.ingress).port);
  const kubectlFor = (config) => (args, input) =>
    sh('kubectl', ['--kubeconfig', config, '--cache-dir', join(dir, 'cache'), ...args], input);
  const kubectl = kubectlFor(kubeconfig);
  const baselineRoot = process.env.KW_BENCH_BASELINE;
  const baselineDir = join(dir, 'baseline');
  let baseline;
  try {
    if (baselineRoot) {
      const before = await startClusterAt(baselineRoot, baselineDir, ['--runtime', 'docker']);
      baseline = { child: before.child, kubectl: kubectlFor(join(baselineDir, 'kubeconfig')) };
    }
    // Warm kubectl's discovery and OpenAPI caches and the API's OpenAPI documents (built on first use, ~0.8 s),
    // as they are after a user's first apply to the cluster.
    for (const k of [kubectl, ...(baseline ? [baseline.kubectl] : [])])
      await k(['apply', '--dry-run=server', '-f', '-'], manifest(image, await freeNodePort()));
    await sleep(1000);
    const idleRss = rssMiB(child.pid);

    // Apply to answering, interleaved with its floor: ROUNDS rounds of (3x docker run, apply), each cleaned up
    // (containers removed, the pods gone) before the next, except the last, which the figures below use. The build
    // before, when given, applies in each round too, before or after ours in turn.
    const applyRounds = [];
    let hostPorts = [];
    let nodePort = 0;
    for (let r = 0; r < ROUNDS; r++) {
      const last = r === ROUNDS - 1;
      const floor = await dockerRunRound(image, names);
      hostPorts = floor.hostPorts;
      if (!last) await sh('docker', ['rm', '-f', ...names]);
      let beforeS;
      const runBaseline = async () => {
        const port = await freeNodePort();
        beforeS = await applyRound(baseline.kubectl, image, port);
        await deleteRound(baseline.kubectl, image, port);
      };
      if (baseline && r % 2 === 1) await runBaseline();
      nodePort = await freeNodePort();
      const oursS = await applyRound(kubectl, image, nodePort);
      if (!last) await deleteRound(kubectl, image, nodePort);
      if (baseline && r % 2 === 0) await runBaseline();
      applyRounds.push({ ours: oursS, anchor: floor.seconds, before: beforeS });
    }
    const fixed = (x) => (x === undefined ? '-' : x.toFixed(2));
    console.log(
      `  apply rounds (ours / 3x docker run${baseline ? ' / build before' : ''}): ${applyRounds.map((x) => `${fixed(x.ours)}/${fixed(x.anchor)}${baseline ? `/${fixed(x.before)}` : ''}`).join(', ')}`,
    );
    const worstBy = (side) => applyRounds.reduce((w, x) => (x[side] / x.anchor > w[side] / w.anchor ? x : w));
    const applyRows = [];
    for (const [side, name] of [['ours', ''], ...(baseline ? [['before', ', build before']] : [])]) {
      const worst = worstBy(side);
      applyRows.push(
        {
          metric: `apply Deployment(3)+Service to 3 pods answering${name}, median of ${ROUNDS}`,
          unit: 's',
          ours: median(applyRounds.map((x) => x[side])),
          anchor: median(applyRounds.map((x) => x.anchor)),
          anchorName: '3x docker run -d',
          better: 'lower',
        },
        {
          metric: `apply to 3 pods answering${name}, worst of ${ROUNDS} (by ratio)`,
          unit: 's',
          ours: worst[side],
          anchor: worst.anchor,
          anchorName: '3x docker run -d, same round',
          better: 'lower',
        },
      );
    }
    if (process.env.KW_BENCH_APPLY_ONLY) return applyRows;
    await untilAnswering([ingressPort], 3, 'bench.test');

    // Interleaved rounds, the median of each: a busy neighbour slows all three alike.
    const rounds = { direct: [], service: [], ingress: [] };
    for (let i = 0; i < ROUNDS; i++) {
      rounds.direct.push(await throughput(hostPorts[i % 3]));
      rounds.service.push(await throughput(nodePort));
      rounds.ingress.push(await throughput(ingressPort, 'bench.test'));
    }
    const direct = median(rounds.direct);
    const viaService = median(rounds.service);
    const viaIngress = median(rounds.ingress);

    await kubectl(['scale', 'deployment/bench', '--replicas=20']);
    const deadline = performance.now() + 180_000;
    for (;;) {
      const out = await kubectl(['get', 'deployment', 'bench', '-o', 'jsonpath={.status.readyReplicas}']);
      if (Number(out) === 20) break;
      if (performance.now() > deadline) throw new Error(`only ${out} of 20 pods ready after 180 s`);
      await sleep(500);
    }
    await sleep(2000);
    const rss20 = rssMiB(child.pid);

    // kubectl port-forward to one pod (SPDY in a WebSocket, a stream pair per connection), against one container;
    // after the memory figure, which the 20 MB bodies would otherwise raise.
    const pod = await kubectl(['get', 'pods', '-l', 'app=bench', '-o', 'jsonpath={.items[0].metadata.name}']);
    await kubectl(['exec', pod.trim(), '--', 'sh', '-c', BIG]);
    await sh('docker', ['exec', names[0], 'sh', '-c', BIG]);
    const pf = await startKubectlPortForward(kubeconfig, [`pod/${pod.trim()}`, ':8080']);
    const forwarded = { requests: [], direct: [], body: [], directBody: [] };
    try {
      const local = pf.localPorts[0];
      // Interleaved with the published port again: 20 pods now share the machine with both sides.
      for (let i = 0; i < ROUNDS; i++) {
        forwarded.direct.push(await throughput(hostPorts[0]));
        forwarded.requests.push(await throughput(local));
        forwarded.body.push(await download(local));
        forwarded.directBody.push(await download(hostPorts[0]));
      }
    } finally {
      await pf.stop();
    }

    return [
      ...applyRows,
      {
        metric: `req/s through the Service (NodePort), ${CONCURRENCY} conns, median of ${ROUNDS}`,
        unit: 'req/s',
        ours: viaService,
        anchor: direct,
        anchorName: 'container published port',
        better: 'higher',
      },
      {
        metric: `req/s through the Ingress, ${CONCURRENCY} conns, median of ${ROUNDS}`,
        unit: 'req/s',
        ours: viaIngress,
        anchor: direct,
        anchorName: 'container published port',
        better: 'higher',
      },
      {
        metric: `req/s through kubectl port-forward, ${CONCURRENCY} conns, median of ${ROUNDS}`,
        unit: 'req/s',
        ours: median(forwarded.requests),
        anchor: median(forwarded.direct),
        anchorName: 'container published port',
        better: 'higher',
      },
      {
        metric: `20 MB body through kubectl port-forward, median of ${ROUNDS}`,
        unit: 'MB/s',
        ours: median(forwarded.body),
        anchor: median(forwarded.directBody),
        anchorName: 'container published port',
        better: 'higher',
      },
      {
        metric: 'orchestrator RSS with 20 running pods',
        unit: 'MiB',
        ours: rss20,
        anchor: idleRss,
        anchorName: 'same process, no pods',
        better: 'lower',
      },
    ];
  } finally {
    for (const c of [child, ...(baseline ? [baseline.child] : [])]) {
      c.kill('SIGTERM');
      if (c.exitCode === null && c.signalCode === null) await new Promise((r) => c.once('exit', r));
    }
    await sh('docker', ['rm', '-f', ...names]).catch(() => undefined);
    await removeCluster(engine, clusterIdFor(dataDir));
    if (baselineRoot) await removeCluster(engine, clusterIdFor(baselineDir));
    rmSync(dir, { recursive: true, force: true });
  }
}
