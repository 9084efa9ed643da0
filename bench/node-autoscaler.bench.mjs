// The node autoscaler on the fake runtime: 2 nodes of 1 cpu, a Deployment of
// 100 replicas requesting 450m each (2 per node: 50 nodes needed), until all
// are Running; then scaled to 4 replicas, until the unneeded nodes are drained
// and removed (shortened delays: 2 s unneeded, 2 s after a scale-up). No
// anchor: cluster-autoscaler's own timings depend on a cloud's VM start.
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { apiClient } from './lib/api-client.mjs';
import { startClusterProcess, stopClusterProcess } from '../test/integration/support/cluster-process.ts';

export const title = 'Node autoscaler: 2 -> 50 fake nodes for 100 pods, and back';

const REPLICAS = 100;
const MAX_NODES = 50;
const LIMIT_S = 120;

const sleep = (ms) => new Promise((r) => setTimeout(r, ms));

async function until(what, check) {
  const t0 = performance.now();
  while (!(await check())) {
    if (performance.now() - t0 > LIMIT_S * 1000) throw new Error(`timed out after ${LIMIT_S} s waiting for ${what}`);
    await sleep(250);
  }
  return (performance.now() - t0) / 1000;
}

export async function run() {
  const dir = mkdtempSync(join(tmpdir(), 'kw-autoscale-'));
  const cluster = await startClusterProcess(dir, [
    '--nodes',
    '2',
    '--max-nodes',
    String(MAX_NODES),
    '--node-cpu',
    '1',
    '--node-memory',
    '4Gi',
    '--scale-down-unneeded-time',
    '2s',
    '--scale-down-delay-after-add',
    '2s',
  ]);
  try {
    const call = apiClient(cluster.api, dir);
    await call('POST', '/apis/apps/v1/namespaces/default/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'wide' },
      spec: {
        replicas: REPLICAS,
        selector: { matchLabels: { app: 'wide' } },
        template: {
          metadata: { labels: { app: 'wide' } },
          spec: { containers: [{ name: 'app', image: 'nginx:1.27', resources: { requests: { cpu: '450m' } } }] },
        },
      },
    });
    const running = async () =>
      (await call('GET', '/api/v1/namespaces/default/pods?fieldSelector=status.phase%3DRunning')).items.length;
    const nodes = async () => (await call('GET', '/api/v1/nodes')).items.length;
    const up = await until(`${REPLICAS} pods Running`, async () => (await running()) === REPLICAS);
    const peak = await nodes();
    await call(
      'PATCH',
      '/apis/apps/v1/namespaces/default/deployments/wide/scale',
      { spec: { replicas: 4 } },
      'application/merge-patch+json',
    );
    const down = await until('the cluster back to 2 nodes', async () => (await nodes()) === 2);
    const none = { anchor: undefined, anchorName: 'no anchor', better: 'lower' };
    return [
      { metric: `scale-up: ${REPLICAS} pods Running on ${peak} nodes, from 2`, unit: 's', ours: up, ...none },
      {
        metric: 'scale-down: back to 2 nodes after scaling to 4 replicas (2 s + 2 s delays)',
        unit: 's',
        ours: down,
        ...none,
      },
    ];
  } finally {
    await stopClusterProcess(cluster);
    rmSync(dir, { recursive: true, force: true });
  }
}
