/**
 * A node outage on Docker, as a user would cause it: `cluster start --nodes 3`
 * with a 4 s node monitor grace period and 2 s default tolerations, a
 * Deployment of 3 (one pod per node) behind a NodePort Service answering a
 * steady stream of requests; `kube-workbench node stop` on the node of one pod
 * freezes its containers (docker pause; a container the cluster did not make
 * is left alone). The Service keeps answering (only requests sent to the
 * frozen pod before its node was found NotReady may fail; the count is
 * printed), a replacement runs on another node, and after `node start` the
 * evicted pod's containers are removed: no pod has two containers, and no
 * container is left of a pod that no longer exists. A restart of the
 * orchestrator meanwhile keeps the outage.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels.js';
import { BIN } from './support/cluster-process.js';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

interface Outcome {
  startedAt: number;
  ok: boolean;
  body: string;
}

/** One GET on a new connection (so the node port picks an endpoint per request), failing after `timeoutMs`. */
function ask(port: number, timeoutMs: number): Promise<{ ok: boolean; body: string }> {
  return new Promise((resolve) => {
    const req = get({ host: '127.0.0.1', port, path: '/', agent: false, timeout: timeoutMs }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve({ ok: res.statusCode === 200, body: body.trim() }));
      res.on('error', () => resolve({ ok: false, body: '' }));
    });
    req.on('timeout', () => req.destroy(new Error('timeout')));
    req.on('error', () => resolve({ ok: false, body: '' }));
  });
}

interface PodRow {
  name: string;
  uid: string;
  node: string;
  ip: string;
  running: boolean;
  deleting: boolean;
}

describe('a node outage on Docker', () => {
  let dc: DockerCluster;
  let nodePort = 0;
  let victim: PodRow;
  const foreign = `kw-foreign-${process.pid}`;
  before(async () => {
    dc = await startDockerCluster([
      '--nodes',
      '3',
      '--node-monitor-grace-period',
      '4s',
      '--default-toleration-seconds',
      '2',
    ]);
  });
  after(async () => {
    spawnSync('docker', ['rm', '-f', foreign]);
    await dc?.destroy();
  });

  const pods = (): PodRow[] => {
    const r = dc.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    const items = (
      JSON.parse(r.out) as {
        items: {
          metadata: { name: string; uid: string; deletionTimestamp?: string };
          spec: { nodeName?: string };
          status: { phase?: string; podIP?: string };
        }[];
      }
    ).items;
    return items.map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      node: p.spec.nodeName ?? '',
      ip: p.status.podIP ?? '',
      running: p.status.phase === 'Running',
      deleting: p.metadata.deletionTimestamp !== undefined,
    }));
  };
  const nodeCommand = (action: 'stop' | 'start', name: string) => {
    const r = spawnSync(process.execPath, [BIN, 'node', action, name, '--data-dir', dc.cluster.dataDir], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
  };
  const readyAddresses = () =>
    dc.kubectl(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}']).out.split(' ');

  it('runs one pod per node behind a NodePort Service', async () => {
    dc.apply(`apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${dc.image}
        command: [/bin/sh, -c, 'hostname > /www/index.html; exec httpd -f -p 8080 -h /www']
        ports: [{containerPort: 8080, name: http}]
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
`);
    nodePort = Number(dc.kubectl(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    const running = await eventually('three running pods', 90, () => {
      const p = pods();
      return p.length === 3 && p.every((x) => x.running) ? p : undefined;
    });
    // The scheduler spreads a ReplicaSet's pods over the nodes (its SelectorSpread-like score).
    assert.equal(new Set(running.map((p) => p.node)).size, 3, `not one pod per node: ${JSON.stringify(running)}`);
    await eventually('all three pods answer through the Service', 60, async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 9; i++) seen.add((await ask(nodePort, 2000)).body);
      return running.every((p) => seen.has(p.name));
    });
    victim = running[1]!;
  });

  it('keeps answering while a node is stopped, and runs a replacement elsewhere', async (t) => {
    const original = new Set(pods().map((p) => p.uid));
    assert.equal(spawnSync('docker', ['run', '-d', '--name', foreign, dc.image, 'sleep', '600']).status, 0);
    const outcomes: Outcome[] = [];
    let running = true;
    const traffic = (async () => {
      while (running) {
        const startedAt = Date.now();
        outcomes.push({ startedAt, ...(await ask(nodePort, 1000)) });
      }
    })();
    const stoppedAt = Date.now();
    nodeCommand('stop', victim.node);
    await eventually("the victim node's containers paused", 30, async () => {
      const mine = await dc.containers({ [LABEL.node]: victim.node });
      return mine.length > 0 && mine.every((c) => c.state === 'paused');
    });
    const foreignState = spawnSync('docker', ['inspect', '-f', '{{.State.Status}}', foreign], { encoding: 'utf8' });
    assert.equal(foreignState.stdout.trim(), 'running', 'a container the cluster did not make is left alone');
    await eventually('the frozen pod out of the Service', 30, () => !readyAddresses().includes(victim.ip));
    const droppedAt = Date.now();
    const replacement = await eventually('a replacement running on another node', 60, () => {
      const live = pods().filter((p) => p.running && !p.deleting);
      return live.length === 3 && live.every((p) => p.node !== victim.node)
        ? live.find((p) => !original.has(p.uid))
        : undefined;
    });
    const replacedAt = Date.now();
    await eventually('the replacement answers through the Service', 30, () =>
      outcomes.some((o) => o.ok && o.body === replacement.name) ? true : undefined,
    );
    running = false;
    await traffic;
    const during = outcomes.filter((o) => o.startedAt >= stoppedAt);
    const failed = during.filter((o) => !o.ok);
    t.diagnostic(
      `${during.length} requests after node stop, ${failed.length} failed; node NotReady and pod out of the ` +
        `Service after ${droppedAt - stoppedAt} ms, replacement ${replacement.name} running after ${replacedAt - stoppedAt} ms`,
    );
    // Only requests that went to the frozen pod before the Endpoints dropped it may fail.
    const late = failed.filter((o) => o.startedAt > droppedAt);
    assert.deepEqual(late, [], 'no request sent after the frozen pod left the Service failed');
    assert.ok(
      during.some((o) => o.ok && o.startedAt > droppedAt),
      'the Service answered after the outage was noticed',
    );
  });

  it('keeps the outage across a restart of the orchestrator', async () => {
    await dc.restart();
    assert.equal(
      dc.kubectl([
        'get',
        'node',
        victim.node,
        '-o',
        'jsonpath={.metadata.annotations.kube-workbench\\.io/simulated-outage}',
      ]).out,
      'true',
    );
    assert.notEqual(
      dc.kubectl(['get', 'node', victim.node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).out,
      'True',
    );
    const mine = await dc.containers({ [LABEL.node]: victim.node });
    assert.ok(mine.length > 0 && mine.every((c) => c.state === 'paused'), JSON.stringify(mine));
  });

  it('node start: the evicted pod and its containers go; no duplicate container', async () => {
    nodeCommand('start', victim.node);
    await eventually(`${victim.node} Ready`, 30, () =>
      dc.kubectl(['get', 'node', victim.node, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']).out ===
      'True'
        ? true
        : undefined,
    );
    await eventually('the evicted pod gone', 60, () => !pods().some((p) => p.uid === victim.uid));
    const live = pods();
    assert.equal(live.length, 3);
    await eventually('one running container per pod, none of a pod that is gone', 30, async () => {
      const containers = (await dc.containers({ [LABEL.role]: 'container' })).filter((c) => c.state !== 'exited');
      const uids = containers.map((c) => c.labels[LABEL.podUid] ?? '');
      return (
        containers.every((c) => c.state === 'running') &&
        uids.length === 3 &&
        new Set(uids).size === 3 &&
        live.every((p) => uids.includes(p.uid))
      );
    });
    const paused = (await dc.containers()).filter((c) => c.state === 'paused');
    assert.deepEqual(paused, [], 'nothing stays paused');
  });
});
