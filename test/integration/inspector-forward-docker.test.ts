/**
 * The debugger's way to a container's Node.js inspector, against an embedded
 * cluster running real containers (a Node image built locally): an inspector
 * that `--inspect=0.0.0.0:PORT` opens is reached straight through the
 * port-forward; without `--inspect`, SIGUSR1 starts it on the container's
 * loopback and a relay in the container carries it. The relay ends with its
 * exec, so a second attach starts a fresh one and the cluster stops cleanly.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { ClusterConnection } from '../../client/src/kube/cluster-connection';
import { openInspectorForward, RELAY_PORT } from '../../client/src/debug/inspector-forward';
import { inspectorPort, inspectorVersion } from '../../client/src/debug/node-inspector';
import { ensureNodeImage } from '../e2e/shared/node-image.js';
import { stopClusterProcess } from './support/cluster-process.js';
import { eventually, podJson, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

const IMAGE = 'kube-workbench-e2e/node:1.0';
const SERVER = "globalThis.kw = 'up'; require('http').createServer((q, r) => r.end('hi')).listen(8080)";

const pod = (name: string, args: string[]) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: app
    image: ${IMAGE}
    command: [node]
    args: ${JSON.stringify([...args, '-e', SERVER])}
`;

/** Command lines of the processes in the container that mention the relay's port. */
function relayProcesses(dc: DockerCluster, name: string): string[] {
  const script = [
    "const fs = require('fs');",
    'for (const p of fs.readdirSync("/proc").filter((d) => /^\\d+$/.test(d))) {',
    // The needle is built at run time, so this script's own command line does not contain it.
    `  try { const c = fs.readFileSync('/proc/' + p + '/cmdline', 'utf8'); if (c.includes('listen(' + '${RELAY_PORT}')) console.log(p); } catch {}`,
    '}',
  ].join('\n');
  const r = dc.kubectl(['exec', name, '-c', 'app', '--', 'node', '-e', script]);
  assert.equal(r.code, 0, r.err);
  return r.out.split('\n').filter((l) => l.trim() !== '');
}

describe('the Node.js inspector of a container on Docker', { timeout: 240_000 }, () => {
  let dc: DockerCluster;
  let conn: ClusterConnection;
  let haveImage = false;
  before(async () => {
    haveImage = ensureNodeImage(IMAGE);
    dc = await startDockerCluster();
    if (!haveImage) return;
    for (const yaml of [pod('inspect-open', ['--inspect=0.0.0.0:9230']), pod('inspect-none', [])]) {
      const r = dc.kubectl(['apply', '-f', '-'], yaml);
      assert.equal(r.code, 0, r.err);
    }
    for (const name of ['inspect-open', 'inspect-none'])
      await eventually(`pod ${name} ready`, 90, () =>
        podJson(dc, name)?.status?.containerStatuses?.every((c) => c.ready),
      );
    conn = await ClusterConnection.fromKubeconfig(dc.cluster.kubeconfig);
  });
  after(async () => {
    await dc?.destroy();
  });

  it('reaches an inspector that --inspect=0.0.0.0:9230 opened, straight through the port-forward', async (t) => {
    if (!haveImage) return t.skip('no Node image');
    const port = inspectorPort({ args: ['--inspect=0.0.0.0:9230'] });
    const forward = await openInspectorForward(
      conn,
      { namespace: 'default', pod: 'inspect-open', container: 'app' },
      { port },
    );
    try {
      assert.equal(forward.inspectorPort, 9230);
      assert.equal(forward.signalled, false);
      assert.equal(forward.relay, undefined, 'no relay is needed');
      assert.match(forward.version, /^node\.js\/v\d+/);
    } finally {
      await forward.listener.close();
    }
  });

  it('starts the inspector with SIGUSR1 and carries it through a relay that ends with the session', async (t) => {
    if (!haveImage) return t.skip('no Node image');
    const target = { namespace: 'default', pod: 'inspect-none', container: 'app' };
    const first = await openInspectorForward(conn, target, {});
    assert.equal(first.signalled, true);
    assert.equal(first.inspectorPort, 9229);
    assert.ok(first.relay, 'the inspector listens on the container’s loopback: a relay carries it');
    assert.match(first.version, /^node\.js\/v\d+/);
    assert.equal(relayProcesses(dc, 'inspect-none').length, 1, 'one relay runs in the container');
    first.relay.close();
    await first.listener.close();
    await eventually('the relay to end with its exec', 30, () => relayProcesses(dc, 'inspect-none').length === 0);

    // Attaching again: the inspector is already on, a new relay starts and answers.
    const second = await openInspectorForward(conn, target, {});
    try {
      assert.ok(second.relay);
      assert.match((await inspectorVersion(second.listener.localPort)) ?? '', /^node\.js\//);
    } finally {
      second.relay?.close();
      await second.listener.close();
    }
    await eventually('the second relay to end', 30, () => relayProcesses(dc, 'inspect-none').length === 0);
  });

  it('reports a container that runs no node, naming the pod, instead of waiting forever', async (t) => {
    if (!haveImage) return t.skip('no Node image');
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      pod('inspect-none', [])
        .replace('inspect-none', 'no-node')
        .replace(/command: \[node\]\n {4}args: .*/, "command: [sh, -c, 'sleep 3600']"),
    );
    assert.equal(r.code, 0, r.err);
    await eventually('pod no-node ready', 90, () =>
      podJson(dc, 'no-node')?.status?.containerStatuses?.every((c) => c.ready),
    );
    await assert.rejects(
      openInspectorForward(conn, { namespace: 'default', pod: 'no-node', container: 'app' }, { stepTimeoutMs: 3_000 }),
      /no Node\.js inspector answers on port 9229 in no-node \(app\)/,
    );
  });

  it('stops cleanly afterwards: no exec of the debugger is left holding the cluster', async (t) => {
    if (!haveImage) return t.skip('no Node image');
    assert.equal(await stopClusterProcess(dc.cluster), 0);
  });
});
