/**
 * The node lifecycle through the real kubectl against `cluster start --runtime
 * fake --nodes 3` with a 4 s node monitor grace period and 2 s default
 * tolerations: `kube-workbench node stop` silences a node's kubelet; the node
 * turns NotReady (Unknown) with the unreachable taints and events; a Deployment's
 * pod there is evicted and replaced on another node; a StatefulSet's pod there
 * stays Terminating (its events say why) and is replaced only after
 * `kubectl delete pod --force --grace-period=0`; a DaemonSet's pod stays; after
 * `node start` the node is Ready, untainted, and the evicted pod is gone.
 * Needs a build first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { describe, it } from 'node:test';
import { BIN, clusterFixture, waitUntil } from './support/cluster-process';

const MANIFEST = `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{port: 80}]
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec: {containers: [{name: app, image: example.test/web:1}]}
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  serviceName: db
  replicas: 3
  podManagementPolicy: Parallel
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: example.test/db:1}]}
---
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec: {containers: [{name: agent, image: example.test/agent:1}]}
`;

interface PodRow {
  ip: string;
  name: string;
  uid: string;
  node: string;
  phase: string;
  deleting: boolean;
}

describe('node lifecycle: a node stops answering, its pods are evicted and replaced, it comes back', () => {
  const c = clusterFixture('kw-node-life-', [
    '--nodes',
    '3',
    '--node-monitor-grace-period',
    '4s',
    '--default-toleration-seconds',
    '2',
  ]);
  const { ok, apply } = c;

  const pods = (selector: string): PodRow[] => {
    const json = JSON.parse(ok(['get', 'pods', '-l', selector, '-o', 'json'])) as {
      items: {
        metadata: { name: string; uid: string; deletionTimestamp?: string };
        spec: { nodeName?: string };
        status: { phase?: string; podIP?: string };
      }[];
    };
    return json.items.map((p) => ({
      name: p.metadata.name,
      uid: p.metadata.uid,
      node: p.spec.nodeName ?? '',
      phase: p.status.phase ?? '',
      ip: p.status.podIP ?? '',
      deleting: p.metadata.deletionTimestamp !== undefined,
    }));
  };
  const nodeCommand = (action: 'stop' | 'start', name: string) => {
    const r = spawnSync(process.execPath, [BIN, 'node', action, name, '--data-dir', c.cluster.dataDir], {
      encoding: 'utf8',
    });
    assert.equal(r.status, 0, r.stderr);
    return r.stdout;
  };
  const events = (name: string) =>
    ok(['get', 'events', '--field-selector', `involvedObject.name=${name}`, '-o', 'jsonpath={.items[*].reason}']);

  let victim = '';
  let webVictim: PodRow | undefined;
  let dbVictim: PodRow | undefined;

  it('runs every node Ready with a renewed Lease', async () => {
    apply(MANIFEST);
    await waitUntil('3 web, 3 db and 3 agent pods Running', 30, () =>
      ['app=web', 'app=db', 'app=agent'].every((s) => {
        const p = pods(s);
        return p.length === 3 && p.every((x) => x.phase === 'Running');
      }),
    );
    const leases = ok(['get', 'leases', '-n', 'kube-node-lease', '-o', 'jsonpath={.items[*].spec.holderIdentity}']);
    assert.equal(leases, 'kube-workbench-node-1 kube-workbench-node-2 kube-workbench-node-3');
    // The node holding a web pod and a db pod goes down.
    const web = pods('app=web');
    const db = pods('app=db');
    dbVictim = db.find((d) => web.some((w) => w.node === d.node));
    assert.ok(dbVictim, `no node holds both a web and a db pod: ${JSON.stringify({ web, db })}`);
    victim = dbVictim.node;
    webVictim = web.find((w) => w.node === victim);
  });

  it('node stop: NotReady after the grace period, tainted unreachable, with events', async () => {
    assert.match(nodeCommand('stop', victim), new RegExp(`node/${victim} stopped`));
    assert.equal(
      ok(['get', 'node', victim, '-o', 'jsonpath={.metadata.annotations.kube-workbench\\.io/simulated-outage}']),
      'true',
    );
    await waitUntil(`${victim} Ready=Unknown`, 20, () =>
      ok(['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']) === 'Unknown'
        ? true
        : undefined,
    );
    assert.equal(
      ok(['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].message}']),
      'Kubelet stopped posting node status.',
    );
    await waitUntil('the unreachable taints', 10, () =>
      ok(['get', 'node', victim, '-o', 'jsonpath={.spec.taints[*].key}:{.spec.taints[*].effect}']) ===
      'node.kubernetes.io/unreachable node.kubernetes.io/unreachable:NoSchedule NoExecute'
        ? true
        : undefined,
    );
    assert.match(ok(['get', 'nodes', victim, '--no-headers']), /\sNotReady\s/);
    assert.match(events(victim), /RegisteredNode/);
    assert.match(events(victim), /NodeNotReady/);
    assert.match(ok(['describe', 'node', victim]), /Kubelet stopped posting node status\./);
  });

  it("evicts the Deployment's pod and runs its replacement on another node", async () => {
    await waitUntil('a Running web replacement on another node', 30, () => {
      const web = pods('app=web');
      const live = web.filter((p) => !p.deleting && p.phase === 'Running');
      return live.length === 3 && live.every((p) => p.node !== victim) ? true : undefined;
    });
    const old = pods('app=web').find((p) => p.uid === webVictim!.uid);
    assert.ok(old?.deleting, 'the evicted pod stays Terminating while its node is silent');
    assert.match(events(webVictim!.name), /NodeNotReady/);
    assert.match(events(webVictim!.name), /TaintManagerEviction/);
    const ready = await waitUntil('3 ready addresses in the Endpoints', 10, () => {
      const ips = ok(['get', 'endpoints', 'web', '-o', 'jsonpath={.subsets[*].addresses[*].ip}']).split(' ');
      return ips.length === 3 ? ips : undefined;
    });
    assert.ok(!ready.includes(webVictim!.ip), 'the Service no longer sends traffic to the pod on the silent node');
    const slice = JSON.parse(ok(['get', 'endpointslices', '-l', 'kubernetes.io/service-name=web', '-o', 'json'])) as {
      items: { endpoints?: { addresses: string[]; conditions?: { ready?: boolean } }[] }[];
    };
    const there = slice.items.flatMap((i) => i.endpoints ?? []).filter((e) => e.addresses.includes(webVictim!.ip));
    assert.ok(
      there.every((e) => e.conditions?.ready === false),
      JSON.stringify(there),
    );
  });

  it("keeps the StatefulSet's pod Terminating, unreplaced, and says why; the DaemonSet's pod stays", () => {
    // The web replacement above runs, so the controllers have had their turn: the db pod was evicted, not replaced.
    const db = pods('app=db').find((p) => p.name === dbVictim!.name);
    assert.equal(db?.uid, dbVictim!.uid, 'no replacement while the name is taken');
    assert.ok(db?.deleting, 'evicted (Terminating)');
    const described = ok(['describe', 'pod', dbVictim!.name]);
    assert.match(described, /TerminatingOnUnreachableNode/);
    assert.match(described, /--force --grace-period=0/);
    const agent = pods('app=agent').find((p) => p.node === victim);
    assert.ok(agent && !agent.deleting, 'the daemon pod tolerates unreachable without tolerationSeconds');
  });

  it('replaces the StatefulSet pod once it is force-deleted', async () => {
    ok(['delete', 'pod', dbVictim!.name, '--force', '--grace-period=0']);
    await waitUntil(`${dbVictim!.name} running again on another node`, 30, () => {
      const db = pods('app=db').find((p) => p.name === dbVictim!.name);
      return db && db.uid !== dbVictim!.uid && db.phase === 'Running' ? db : undefined;
    }).then((db) => assert.notEqual(db.node, victim));
  });

  it('node start: Ready again, untainted, the evicted pod gone, no extra pods', async () => {
    assert.match(nodeCommand('start', victim), new RegExp(`node/${victim} started`));
    await waitUntil(`${victim} Ready`, 20, () =>
      ok(['get', 'node', victim, '-o', 'jsonpath={.status.conditions[?(@.type=="Ready")].status}']) === 'True'
        ? true
        : undefined,
    );
    await waitUntil('the taints gone', 10, () =>
      ok(['get', 'node', victim, '-o', 'jsonpath={.spec.taints}']) === '' ? true : undefined,
    );
    await waitUntil('the evicted web pod gone', 20, () =>
      pods('app=web').some((p) => p.uid === webVictim!.uid) ? undefined : true,
    );
    assert.equal(pods('app=web').length, 3);
    assert.equal(pods('app=db').length, 3);
    assert.equal(pods('app=agent').length, 3);
    assert.match(events(victim), /NodeReady/);
  });
});
