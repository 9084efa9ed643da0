// When the orchestrator-scale churn's pods start, against when their owners report them: starts
// `cluster start --runtime fake --nodes 100` from ROOT (default: this build), watches the kubelets'
// `Started` Events and the ReplicaSets' and Deployments' readyReplicas, creates 100 Deployments of 100
// replicas and prints, every 250 ms, the pods started and the ready counts the owners report, then a
// summary: time until all 10,000 are Ready, the cluster's CPU seconds and peak RSS, and the longest stretch in which
// no pod started (a pipeline stall: a write held back, a long collection).
// usage: node bench/scale-timeline.mjs [ROOT] [--quiet]
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join, resolve } from 'node:path';
import { apiClient, createBenchDeployments } from './lib/api-client.mjs';
import { startClusterAt } from './lib/cluster-at.mjs';

const args = process.argv.slice(2);
const quiet = args.includes('--quiet');
const root = resolve(args.find((a) => !a.startsWith('--')) ?? '.');
const dir = mkdtempSync(join(tmpdir(), 'kw-timeline-'));
const { child, api } = await startClusterAt(root, dir, ['--nodes', '100']);
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const cpuSeconds = (pid) => {
  const f = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(f[11]) + Number(f[12])) / 100;
};
const peakRssMiB = (pid) =>
  Math.round(Number(/VmHWM:\s+(\d+) kB/.exec(readFileSync(`/proc/${pid}/status`, 'utf8'))[1]) / 1024);
const ca = readFileSync(join(dir, 'apiserver.crt'), 'utf8');
const token = readFileSync(join(dir, 'token'), 'utf8').trim();

/** A watch on `path`, each event handed to `onEvent`. */
function watch(path, onEvent) {
  const req = request(new URL(path, api), { ca, headers: { Authorization: `Bearer ${token}` } }, (res) => {
    let buffered = '';
    res.setEncoding('utf8');
    res.on('data', (chunk) => {
      buffered += chunk;
      for (let i = buffered.indexOf('\n'); i >= 0; i = buffered.indexOf('\n')) {
        const line = buffered.slice(0, i);
        buffered = buffered.slice(i + 1);
        if (line) onEvent(JSON.parse(line));
      }
    });
  });
  req.on('error', () => undefined);
  req.end();
  return req;
}

let t0 = 0;
const now = () => (performance.now() - t0) / 1000;
let started = 0;
let lastStart = 0;
let longestGap = { seconds: 0, at: 0, started: 0 };
const rsReady = new Map();
const deployReady = new Map();
const sum = (m) => [...m.values()].reduce((a, b) => a + b, 0);
const watches = [
  watch('/api/v1/namespaces/default/events?watch=1&fieldSelector=reason=Started', (e) => {
    if (e.type !== 'ADDED' || t0 === 0) return;
    const at = now();
    if (started > 0 && at - lastStart > longestGap.seconds)
      longestGap = { seconds: +(at - lastStart).toFixed(2), at: +lastStart.toFixed(2), started };
    lastStart = at;
    started++;
  }),
  watch('/apis/apps/v1/namespaces/default/replicasets?watch=1', (e) =>
    rsReady.set(e.object.metadata.name, e.object.status?.readyReplicas ?? 0),
  ),
  watch('/apis/apps/v1/namespaces/default/deployments?watch=1', (e) =>
    deployReady.set(e.object.metadata.name, e.object.status?.readyReplicas ?? 0),
  ),
];
try {
  const call = apiClient(api, dir);
  await sleep(1500);
  const cpu0 = cpuSeconds(child.pid);
  t0 = performance.now();
  const rows = [];
  const timer = setInterval(() => rows.push([now().toFixed(2), started, sum(rsReady), sum(deployReady)]), 250);
  await createBenchDeployments(call, 100, 100);
  const posted = now();
  while (sum(deployReady) < 10_000) await sleep(20);
  clearInterval(timer);
  const seconds = now();
  if (!quiet) {
    console.log('seconds podsStarted replicaSetsReady deploymentsReady');
    for (const row of rows) console.log(row.join(' '));
  }
  console.log(
    JSON.stringify({
      root,
      seconds: +seconds.toFixed(2),
      cpu: +(cpuSeconds(child.pid) - cpu0).toFixed(2),
      peakRssMiB: peakRssMiB(child.pid),
      deploymentsPosted: +posted.toFixed(2),
      lastPodStarted: +lastStart.toFixed(2),
      longestGap,
    }),
  );
} finally {
  for (const w of watches) w.destroy();
  child.kill('SIGTERM');
  await new Promise((r) => child.once('exit', r));
  rmSync(dir, { recursive: true, force: true });
}
