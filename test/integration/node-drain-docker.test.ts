/**
 * `kubectl cordon`, `uncordon` and `drain` on real containers, with a
 * PodDisruptionBudget: drain evicts through the eviction subresource, one pod
 * at a time while the budget allows one, waiting for each replacement to be
 * ready elsewhere; a budget that allows none makes kubectl report the 429 and
 * retry until its --timeout.
 */
import assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { tableRows } from './support/cluster-process.js';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

interface PodList {
  items: {
    metadata: { name: string; deletionTimestamp?: string };
    spec: { nodeName?: string };
    status: { conditions?: { type: string; status: string }[] };
  }[];
}

const NODES = ['kube-workbench-node-1', 'kube-workbench-node-2', 'kube-workbench-node-3'];

function kubectlAsync(dc: DockerCluster, args: string[]): Promise<{ code: number; out: string }> {
  return new Promise((resolve) => {
    execFile(
      'kubectl',
      ['--kubeconfig', dc.cluster.kubeconfig, '--cache-dir', `${dc.root}/cache`, ...args],
      { timeout: 120_000 },
      (error, stdout, stderr) => resolve({ code: error ? Number(error.code ?? 1) : 0, out: `${stdout}${stderr}` }),
    );
  });
}

describe('kubectl drain with a PodDisruptionBudget on Docker', () => {
  let dc: DockerCluster;
  const ok = (args: string[]) => {
    const r = dc.kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  const pods = () => (JSON.parse(ok(['get', 'pods', '-l', 'app=web', '-o', 'json'])) as PodList).items;
  const readyPods = () =>
    pods().filter(
      (p) =>
        !p.metadata.deletionTimestamp && p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
    );

  before(async () => {
    dc = await startDockerCluster(['--nodes', '3']);
  });
  after(async () => {
    await dc?.destroy();
  });

  it('cordons, drains one pod at a time as minAvailable: 2 allows, and uncordons', async () => {
    // Only node 1 takes pods at first, so all three replicas start there.
    for (const node of NODES.slice(1)) assert.match(ok(['cordon', node]), /cordoned/);
    assert.match(ok(['get', 'node', NODES[1]!, '--no-headers']), /SchedulingDisabled/);
    dc.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 2
      containers:
      - name: httpd
        image: ${dc.image}
        command: [/bin/sh, -c, 'echo ok > /www/index.html; exec httpd -f -p 8080 -h /www']
        readinessProbe: {httpGet: {path: /, port: 8080}, periodSeconds: 1}
---
apiVersion: policy/v1
kind: PodDisruptionBudget
metadata: {name: web}
spec:
  minAvailable: 2
  selector: {matchLabels: {app: web}}
`);
    await eventually('three ready pods', 40, () => readyPods().length === 3);
    assert.deepEqual(new Set(pods().map((p) => p.spec.nodeName)), new Set([NODES[0]]));
    const [row] = tableRows(
      await eventually('the budget allows one disruption', 20, () => {
        const out = ok(['get', 'pdb', 'web', '--no-headers']);
        return tableRows(out)[0]?.[3] === '1' ? out : undefined;
      }),
    );
    assert.deepEqual(row?.slice(0, 4), ['web', '2', 'N/A', '1']);
    assert.match(ok(['get', 'pdb', 'web']), /^NAME\s+MIN AVAILABLE\s+MAX UNAVAILABLE\s+ALLOWED DISRUPTIONS\s+AGE/);
    for (const node of NODES.slice(1)) assert.match(ok(['uncordon', node]), /uncordoned/);

    // Watch readiness while drain runs: the budget never lets it fall below 2.
    let lowest = 3;
    let draining = true;
    const sampling = (async () => {
      while (draining) {
        const r = await kubectlAsync(dc, ['get', 'pods', '-l', 'app=web', '-o', 'json']);
        if (r.code === 0) {
          const items = (JSON.parse(r.out) as PodList).items;
          const ready = items.filter(
            (p) =>
              !p.metadata.deletionTimestamp &&
              p.status.conditions?.some((c) => c.type === 'Ready' && c.status === 'True'),
          ).length;
          lowest = Math.min(lowest, ready);
        }
        await new Promise((r) => setTimeout(r, 200)); // polling interval, not a wait for a state
      }
    })();
    const drain = await kubectlAsync(dc, [
      'drain',
      NODES[0]!,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=90s',
    ]);
    draining = false;
    await sampling;
    assert.equal(drain.code, 0, drain.out);
    assert.match(drain.out, /node\/kube-workbench-node-1 cordoned/);
    assert.equal((drain.out.match(/^pod\/web-\S+ evicted$/gm) ?? []).length, 3, drain.out);
    // Three pods on one node and one disruption allowed: the others were refused until a replacement was ready.
    assert.match(drain.out, /Cannot evict pod as it would violate the pod's disruption budget/);
    assert.match(drain.out, /node\/kube-workbench-node-1 drained/);
    assert.ok(lowest >= 2, `ready pods fell to ${lowest} during the drain`);
    await eventually('three ready pods elsewhere', 40, () => readyPods().length === 3 && pods().length === 3);
    assert.ok(pods().every((p) => p.spec.nodeName !== NODES[0]));
    assert.match(ok(['get', 'node', NODES[0]!, '--no-headers']), /SchedulingDisabled/);
    assert.match(ok(['uncordon', NODES[0]!]), /uncordoned/);
  });

  it('reports the 429 and retries until --timeout when minAvailable: 3 allows no eviction', async () => {
    ok(['patch', 'pdb', 'web', '--type=merge', '-p', '{"spec":{"minAvailable":3}}']);
    await eventually(
      'the budget allows none',
      20,
      () => tableRows(ok(['get', 'pdb', 'web', '--no-headers']))[0]?.[3] === '0',
    );
    const node = pods()[0]!.spec.nodeName!;
    const before = pods()
      .map((p) => p.metadata.name)
      .sort();
    const drain = await kubectlAsync(dc, [
      'drain',
      node,
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--timeout=6s',
    ]);
    assert.notEqual(drain.code, 0, drain.out);
    assert.match(
      drain.out,
      /error when evicting pods\/"web-\S+" -n "default" \(will retry after 5s\): Cannot evict pod as it would violate the pod's disruption budget\./,
    );
    assert.match(drain.out, /global timeout reached: 6s/);
    // Nothing was evicted.
    assert.deepEqual(
      pods()
        .map((p) => p.metadata.name)
        .sort(),
      before,
    );
    assert.equal(readyPods().length, 3);
  });
});
