// Scale of the embedded control plane with the fake runtime: 100 simulated
// nodes, 100 Deployments x 100 replicas = 10,000 pods until all are Running
// and Ready. Reports the time, the scheduling throughput observed, API
// latency (get and list) while it runs, and the orchestrator's memory.
// Anchors are published figures, not measured here: kube-scheduler's CI
// throughput floor (270 pods/s) and k3s's memory with a workload (~1.6 GB).
// With KW_BENCH_BASELINE set to the directory of another build (its
// scripts/kube-workbench.js and client/out/), the same churn runs against it
// first and its API latency is the anchor: before and after in one run.
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, createBenchDeployments, readyReplicas } from './lib/api-client.mjs';
import { startClusterProcess } from '../test/integration/support/cluster-process.ts';
import { startClusterAt } from './lib/cluster-at.mjs';
import { startFloorServer } from './lib/floor-server.mjs';
import { rssMiB } from './lib/process-rss.mjs';

export const title = 'Orchestrator: 10,000 pods from 100 Deployments on 100 fake nodes';

const DEPLOYMENTS = 100;
const REPLICAS = 100;
const NODES = 100;
// A guard, not a goal: on a machine shared by many benches one churn has taken over 250 s (KW_SCALE_LIMIT_S sets it).
const LIMIT_S = Number(process.env.KW_SCALE_LIMIT_S) || 900;

const percentile = (xs, p) => {
  const s = [...xs].sort((a, b) => a - b);
  return s[Math.min(s.length - 1, Math.floor((p / 100) * s.length))];
};
const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
/** The process's CPU time so far (user + system), which a loaded machine distorts far less than the wall clock. */
const cpuSeconds = (pid) => {
  const fields = readFileSync(`/proc/${pid}/stat`, 'utf8').split(') ')[1].split(' ');
  return (Number(fields[11]) + Number(fields[12])) / 100;
};

/** kube-scheduler's benchmark shape: 10,000 pending pods and 100 nodes first, then the scheduler alone. */
function schedulerOnly() {
  const r = spawnSync(
    process.execPath,
    ['--import', 'tsx', 'bench/lib/scheduler-throughput.ts', String(NODES), String(DEPLOYMENTS * REPLICAS)],
    {
      encoding: 'utf8',
      timeout: 120_000,
    },
  );
  if (r.status !== 0) throw new Error(`scheduler benchmark failed: ${r.stderr}`);
  const { pods, seconds } = JSON.parse(r.stdout.trim().split('\n').pop());
  return pods / seconds;
}

/** Starts a cluster (this build, or the one under `root`), runs the churn while sampling reads, and stops it. */
async function churn(root, inspect) {
  const dir = mkdtempSync(join(tmpdir(), 'kw-scale-'));
  const stops = [];
  let done = false;
  const args = ['--nodes', String(NODES)];
  const { child, api } = root ? await startClusterAt(root, dir, args) : await startClusterProcess(dir, args);
  try {
    const call = apiClient(api, dir);
    const floor = await startFloorServer();
    stops.push(floor.stop);
    await sleep(2000);
    const idleRss = rssMiB(child.pid);
    const cpu0 = cpuSeconds(child.pid);
    const t0 = performance.now();
    let peakRss = idleRss;
    const getMs = [];
    const listMs = [];
    const floorMs = [];
    const sampler = (async () => {
      for (let n = 0; !done; n++) {
        const a = performance.now();
        await call('GET', `/apis/apps/v1/namespaces/default/deployments/d-${n % DEPLOYMENTS}`).catch(() => undefined);
        getMs.push(performance.now() - a);
        const b = performance.now();
        await call('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3Dd-${n % DEPLOYMENTS}`).catch((e) => {
          if (!done) throw e;
        });
        listMs.push(performance.now() - b);
        const c = performance.now();
        await floor.call().catch((e) => {
          if (!done) throw e;
        });
        floorMs.push(performance.now() - c);
        peakRss = Math.max(peakRss, rssMiB(child.pid));
        await sleep(50);
      }
    })();
    await createBenchDeployments(call, DEPLOYMENTS, REPLICAS);
    let ready = 0;
    while (ready < DEPLOYMENTS * REPLICAS) {
      if (performance.now() - t0 > LIMIT_S * 1000) {
        done = true; // the sampler stops before the cluster does
        await sampler;
        throw new Error(`only ${ready} of ${DEPLOYMENTS * REPLICAS} pods ready after ${LIMIT_S} s`);
      }
      await sleep(250);
      ready = await readyReplicas(call);
    }
    const seconds = (performance.now() - t0) / 1000;
    const cpu = cpuSeconds(child.pid) - cpu0;
    done = true;
    await sampler;
    // Before `inspect`: its list of all 10,000 pods (only ours is inspected) is no part of the churn.
    const loadedRss = Math.max(peakRss, rssMiB(child.pid));
    const extra = inspect ? await inspect(call) : undefined;
    return { seconds, cpu, getMs, listMs, floorMs, idleRss, loadedRss, extra };
  } finally {
    done = true; // a failed churn stops the sampler before the cluster goes
    for (const stop of stops) stop();
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}

export async function run() {
  const schedulerRate = schedulerOnly();
  const baselineRoot = process.env.KW_BENCH_BASELINE;
  const baseline = baselineRoot ? await churn(baselineRoot) : undefined;
  const ours = await churn(undefined, async (call) => {
    const running = await call('GET', '/api/v1/pods?fieldSelector=status.phase%3DRunning');
    if (running.items.length !== DEPLOYMENTS * REPLICAS) throw new Error(`${running.items.length} pods Running`);
    const scheduledAt = running.items.map((p) =>
      Date.parse(p.status.conditions.find((c) => c.type === 'PodScheduled').lastTransitionTime),
    );
    const created = running.items.map((p) => Date.parse(p.metadata.creationTimestamp));
    // Timestamps have whole seconds: count the span generously (one extra second).
    const span = (Math.max(...scheduledAt) - Math.min(...created)) / 1000 + 1;
    const perNode = new Map();
    for (const p of running.items) perNode.set(p.spec.nodeName, (perNode.get(p.spec.nodeName) ?? 0) + 1);
    return { span, spread: `${Math.min(...perNode.values())}-${Math.max(...perNode.values())} pods per node` };
  });
  const { seconds, getMs, listMs, idleRss, loadedRss } = ours;
  const { span, spread } = ours.extra;
  const none = { anchor: undefined, anchorName: 'no anchor' };
  /** A latency row: ours, against the baseline build's when there is one. */
  const latency = (metric, key, p) => ({
    metric,
    unit: 'ms',
    ours: percentile(ours[key], p),
    ...(baseline ? { anchor: percentile(baseline[key], p), anchorName: 'baseline build, same run' } : none),
    better: 'lower',
  });
  return [
    { metric: `10,000 pods Running and Ready (${spread})`, unit: 's', ours: seconds, ...none, better: 'lower' },
    ...(baseline
      ? [
          {
            metric: '10,000 pods Running and Ready, baseline build',
            unit: 's',
            ours: seconds,
            anchor: baseline.seconds,
            anchorName: 'baseline build, same run',
            better: 'lower',
          },
        ]
      : []),
    {
      metric: 'orchestrator CPU for the churn (user + system)',
      unit: 's',
      ours: ours.cpu,
      ...(baseline ? { anchor: baseline.cpu, anchorName: 'baseline build, same run' } : none),
      better: 'lower',
    },
    {
      metric: 'scheduler alone: 10,000 pending pods, 100 nodes',
      unit: 'pods/s',
      ours: schedulerRate,
      anchor: 270,
      anchorName: 'kube-scheduler CI floor (published)',
      better: 'higher',
    },
    {
      metric: 'scheduling throughput (end to end, with creation)',
      unit: 'pods/s',
      ours: (DEPLOYMENTS * REPLICAS) / span,
      anchor: 270,
      anchorName: 'kube-scheduler CI floor (published)',
      better: 'higher',
    },
    latency(`API get p50 (${getMs.length} samples under load)`, 'getMs', 50),
    latency('API get p90 under load', 'getMs', 90),
    latency('API get p99 under load', 'getMs', 99),
    latency(`API list 100 pods by label p50 (${listMs.length} samples)`, 'listMs', 50),
    latency('API list 100 pods by label p90 under load', 'listMs', 90),
    latency('API list 100 pods by label p99 under load', 'listMs', 99),
    latency('API get max under load', 'getMs', 100),
    latency('API list 100 pods by label max under load', 'listMs', 100),
    ...[50, 90, 99].map((p) => ({
      metric: `API get p${p} against the machine's floor (trivial Node server, same moments)`,
      unit: 'ms',
      ours: percentile(ours.getMs, p),
      anchor: percentile(ours.floorMs, p),
      anchorName: 'trivial server, same run',
      better: 'lower',
    })),
    {
      metric: 'orchestrator RSS with 10,000 pods (peak)',
      unit: 'MiB',
      ours: loadedRss,
      anchor: 1600,
      anchorName: 'k3s with workload (published)',
      better: 'lower',
    },
    ...(baseline
      ? [
          {
            metric: 'orchestrator RSS with 10,000 pods (peak), baseline build',
            unit: 'MiB',
            ours: loadedRss,
            anchor: baseline.loadedRss,
            anchorName: 'baseline build, same run',
            better: 'lower',
          },
        ]
      : []),
    {
      metric: 'orchestrator idle RSS (100 nodes, no pods)',
      unit: 'MiB',
      ours: idleRss,
      anchor: 1600,
      anchorName: 'k3s (published)',
      better: 'lower',
    },
  ];
}
