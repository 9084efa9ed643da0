// Node outages at scale on the fake runtime: 100 simulated nodes, 50
// Deployments x 100 replicas = 5,000 pods Running and Ready, then 10 nodes
// stopped at once (the simulated-outage annotation, as `kube-workbench node
// stop` sets it). Measures the time until every one of the 5,000 pods runs
// again, Ready, on the 90 healthy nodes, with a 10 s node monitor grace period
// and 2 s default tolerations (Kubernetes' defaults would add 50 s + 300 s).
// Anchor: the time those two settings alone impose (grace period + toleration).
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient, createBenchDeployments, readyReplicas } from './lib/api-client.mjs';
import { startClusterProcess } from '../test/integration/support/cluster-process.ts';

export const title = 'Orchestrator: 10 of 100 fake nodes stopped under 5,000 pods';

const DEPLOYMENTS = 50;
const REPLICAS = 100;
const NODES = 100;
const STOPPED = 10;
const GRACE_S = 10;
const TOLERATION_S = 2;
const LIMIT_S = 240;
const OUTAGE = 'kube-workbench.io/simulated-outage';

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));
const isReady = (p) => (p.status?.conditions ?? []).some((c) => c.type === 'Ready' && c.status === 'True');

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kw-outage-'));
  const { child, api } = await startClusterProcess(dir, [
    '--nodes',
    String(NODES),
    '--node-monitor-grace-period',
    `${GRACE_S}s`,
    '--default-toleration-seconds',
    String(TOLERATION_S),
  ]);
  try {
    const call = apiClient(api, dir);
    await createBenchDeployments(call, DEPLOYMENTS, REPLICAS);
    const t0 = performance.now();
    for (let ready = 0; ready < DEPLOYMENTS * REPLICAS;) {
      if (performance.now() - t0 > LIMIT_S * 1000) throw new Error(`only ${ready} pods ready before the outage`);
      await sleep(500);
      ready = await readyReplicas(call);
    }
    const startup = (performance.now() - t0) / 1000;
    const stopped = new Set(Array.from({ length: STOPPED }, (_, i) => `kube-workbench-node-${i * 10 + 1}`));
    const before = await call('GET', '/api/v1/pods');
    const displaced = before.items.filter((p) => stopped.has(p.spec.nodeName)).length;
    const t1 = performance.now();
    await Promise.all(
      [...stopped].map((name) =>
        call(
          'PATCH',
          `/api/v1/nodes/${name}`,
          { metadata: { annotations: { [OUTAGE]: 'true' } } },
          'application/merge-patch+json',
        ),
      ),
    );
    // Light polling (the Deployments' ready counts, the stopped nodes and their pods): listing all pods every
    // half second would load the orchestrator more than the outage does.
    let tainted;
    let evicted;
    for (let ready = 0; evicted === undefined || ready < DEPLOYMENTS * REPLICAS;) {
      if (performance.now() - t1 > LIMIT_S * 1000)
        throw new Error(`only ${ready} of ${DEPLOYMENTS * REPLICAS} pods back after ${LIMIT_S} s`);
      await sleep(250);
      const at = (performance.now() - t1) / 1000;
      if (tainted === undefined) {
        const nodes = await call('GET', '/api/v1/nodes');
        const n = nodes.items.filter(
          (x) => stopped.has(x.metadata.name) && (x.spec.taints ?? []).some((t) => t.effect === 'NoExecute'),
        ).length;
        if (n === STOPPED) tainted = at;
      } else if (evicted === undefined) {
        const lists = await Promise.all(
          [...stopped].map((n) => call('GET', `/api/v1/pods?fieldSelector=spec.nodeName%3D${n}`)),
        );
        if (lists.every((l) => l.items.every((p) => p.metadata.deletionTimestamp))) evicted = at;
      }
      ready = await readyReplicas(call);
    }
    const recovery = (performance.now() - t1) / 1000;
    const pods = await call('GET', '/api/v1/pods?fieldSelector=status.phase%3DRunning');
    const healthy = pods.items.filter(
      (p) => !p.metadata.deletionTimestamp && !stopped.has(p.spec.nodeName) && isReady(p),
    ).length;
    if (healthy !== DEPLOYMENTS * REPLICAS) throw new Error(`${healthy} pods running on healthy nodes`);
    const none = { anchor: undefined, anchorName: 'no anchor' };
    return [
      { metric: '5,000 pods Running and Ready on 100 nodes', unit: 's', ours: startup, ...none, better: 'lower' },
      {
        metric: `10 nodes stopped (${displaced} pods): all 5,000 running again`,
        unit: 's',
        ours: recovery,
        anchor: GRACE_S + TOLERATION_S,
        anchorName: 'grace period + toleration',
        better: 'lower',
      },
      { metric: 'the 10 nodes tainted unreachable after', unit: 's', ours: tainted, ...none, better: 'lower' },
      { metric: `all ${displaced} pods evicted after`, unit: 's', ours: evicted, ...none, better: 'lower' },
      {
        metric: 'of which beyond grace period + toleration',
        unit: 's',
        ours: recovery - GRACE_S - TOLERATION_S,
        ...none,
        better: 'lower',
      },
    ];
  } finally {
    child.kill('SIGTERM');
    await new Promise((r) => child.once('exit', r));
    rmSync(dir, { recursive: true, force: true });
  }
}
