// The cost of resource metrics on Docker: the orchestrator's CPU (user + system
// time of its process, from /proc) over 45 s with 50 running pods, scraped at
// metrics-server's default resolution (15 s: one one-shot stats call per
// container per scrape, at most 4 at once), against the same cluster's CPU with
// no pods running. Only this run's own containers are touched and all are removed.
// Runs under `node --import tsx bench/run.mjs metrics-docker`.
import { execFile } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { startClusterProcess, stopClusterProcess } from '../test/integration/support/cluster-process.ts';
import { dockerBench } from './lib/docker-bench.mjs';

export const title = 'Orchestrator: resource metrics on Docker';

const PODS = 50;
const WINDOW_MS = 45_000;
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

function sh(cmd, args, input) {
  return new Promise((resolve, reject) => {
    const child = execFile(cmd, args, { timeout: 300_000 }, (error, stdout, stderr) =>
      error ? reject(new Error(`${cmd} ${args.join(' ')}: ${stderr || error.message}`)) : resolve(stdout),
    );
    if (input !== undefined) child.stdin.end(input);
  });
}

/** CPU seconds (user + system) the process has used so far. */
function cpuSeconds(pid) {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100; // utime, stime in clock ticks (100 Hz)
}

async function cpuPercent(pid) {
  const c0 = cpuSeconds(pid);
  await sleep(WINDOW_MS);
  return ((cpuSeconds(pid) - c0) / (WINDOW_MS / 1000)) * 100;
}

export async function run() {
  const { engine, image, clusterIdFor, removeCluster } = await dockerBench();
  const dir = mkdtempSync(join(tmpdir(), 'kw-bench-metrics-'));
  const dataDir = join(dir, 'data');
  const cluster = await startClusterProcess(dataDir, ['--runtime', 'docker']);
  const kubectl = (args, input) =>
    sh('kubectl', ['--kubeconfig', cluster.kubeconfig, '--cache-dir', join(dir, 'cache'), ...args], input);
  try {
    await kubectl(['get', 'nodes']);
    await sleep(2000);
    const idle = await cpuPercent(cluster.child.pid);
    await kubectl(
      ['apply', '-f', '-'],
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: many}
spec:
  replicas: ${PODS}
  selector: {matchLabels: {app: many}}
  template:
    metadata: {labels: {app: many}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - {name: sleeper, image: ${image}, command: [/bin/sh, -c, 'exec sleep 100000']}
`,
    );
    for (let i = 0; i < 600; i++) {
      const ready = await kubectl(['get', 'deploy', 'many', '-o', 'jsonpath={.status.readyReplicas}']);
      if (Number(ready) === PODS) break;
      await sleep(1000);
    }
    await sleep(35_000); // two scrapes after the last pod is ready: every pod has its first metrics
    const top = await kubectl(['top', 'pod', '--no-headers']);
    const withMetrics = top.trim().split('\n').filter(Boolean).length;
    const busy = await cpuPercent(cluster.child.pid);
    return [
      {
        metric: `orchestrator CPU, ${PODS} running pods, 15 s scrapes`,
        unit: '%',
        ours: busy,
        anchor: idle,
        anchorName: 'same, no pods',
        better: 'lower',
      },
      {
        metric: 'pods in kubectl top',
        unit: 'pods',
        ours: withMetrics,
        anchor: PODS,
        anchorName: 'running pods',
        better: 'higher',
      },
    ];
  } finally {
    await stopClusterProcess(cluster).catch(() => undefined);
    await removeCluster(engine, clusterIdFor(dataDir));
    rmSync(dir, { recursive: true, force: true });
  }
}
