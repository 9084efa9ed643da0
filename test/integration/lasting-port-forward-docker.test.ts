/**
 * Named port-forwards that last (client/src/forwarding/named-forwards.ts) against an embedded
 * cluster on Docker: a forward to a Deployment keeps answering after `kubectl rollout restart`
 * (from the new pod), says "no ready pod" while the Deployment has none and comes back by itself;
 * a taken local port is the reason it waits, until the port is free; what was saved is restored
 * (a window reload) and answers again.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type AddressInfo, type Server } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { ClusterConnection } from '../../client/src/kube/cluster-connection';
import { stateText } from '../../client/src/forwarding/lasting-forward';
import { NamedForwards, type SavedForward } from '../../client/src/forwarding/named-forwards';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body.trim()));
    });
    req.on('error', reject);
    req.end();
  });
}

/** A port nothing listens on now. */
async function freePort(): Promise<number> {
  const s = createServer();
  await new Promise<void>((resolve) => s.listen(0, '127.0.0.1', resolve));
  const { port } = s.address() as AddressInfo;
  await new Promise((resolve) => s.close(resolve));
  return port;
}

const manifest = (image: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 1
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${image}
        command: [/bin/sh, -c, 'echo "hello from $(hostname)" > /www/index.html; exec httpd -f -p 8080 -h /www']
        ports: [{containerPort: 8080}]
        readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
`;

describe('lasting port-forwards on Docker', () => {
  let dc: DockerCluster;
  let conn: ClusterConnection;
  let saved: SavedForward[] = [];
  const log: string[] = [];
  const newForwards = () =>
    new NamedForwards({ connection: () => Promise.resolve(conn), log: (m) => log.push(m), retryMs: 250 }, (s) => {
      saved = s;
    });
  let forwards: NamedForwards;

  before(async () => {
    dc = await startDockerCluster();
    dc.apply(manifest(dc.image));
    const r = dc.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    assert.equal(r.code, 0, r.err);
    conn = await ClusterConnection.fromKubeconfig(dc.cluster.kubeconfig);
    forwards = newForwards();
  });
  after(async () => {
    await forwards?.dispose();
    await dc?.destroy();
  });

  it('keeps answering after `kubectl rollout restart`, from the new pod; waits while no pod is ready', async () => {
    const port = await freePort();
    const f = await forwards.add({
      name: 'web',
      localPort: port,
      target: { kind: 'Deployment', namespace: 'default', name: 'web', port: 8080 },
    });
    await eventually('the forward active', 30, () => f.state.state === 'active');
    const first = await get(port);
    assert.match(first, /^hello from web-/);

    const restart = dc.kubectl(['rollout', 'restart', 'deployment/web']);
    assert.equal(restart.code, 0, restart.err);
    const done = dc.kubectl(['rollout', 'status', 'deployment/web', '--timeout=90s']);
    assert.equal(done.code, 0, done.err);
    const second = await eventually('an answer from the new pod', 30, async () => {
      const body = await get(port);
      return body !== first && body;
    });
    assert.match(second, /^hello from web-/);
    // The state follows the pod watch, which may tell of the new pod a moment after a connection reached it.
    const expected = `active → pod ${second.replace('hello from ', '')}`;
    await eventually('the forward to name the new pod', 30, () => stateText(f.state) === expected);
    assert.equal(stateText(f.state), expected);

    const none = dc.kubectl(['scale', 'deployment/web', '--replicas=0']);
    assert.equal(none.code, 0, none.err);
    await eventually('the forward waiting for a pod', 30, () => f.state.state === 'waiting' && f.state);
    assert.equal(stateText(f.state), 'waiting: no ready pod of deployment default/web');
    const back = dc.kubectl(['scale', 'deployment/web', '--replicas=1']);
    assert.equal(back.code, 0, back.err);
    await eventually('the forward active again', 60, () => f.state.state === 'active');
    assert.match(await eventually('an answer', 30, () => get(port)), /^hello from web-/);
  });

  it('says the local port is taken, and forwards once it is free; a reload restores the forwards', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    const port = (blocker.address() as AddressInfo).port;
    const f = await forwards.add({
      name: 'blocked',
      localPort: port,
      target: { kind: 'Service', namespace: 'default', name: 'missing', port: 80 },
    });
    assert.equal(stateText(f.state), `waiting: local port ${port} is taken by another program`);
    await new Promise((resolve) => blocker.close(resolve));
    // Free now: it listens, and says what else is wrong (the Service does not exist).
    await eventually('the next reason', 30, () => /service default\/missing/.test(stateText(f.state)));
    await forwards.stop('blocked');
    assert.deepEqual(
      saved.map((s) => [s.name, s.stopped === true]),
      [
        ['web', false],
        ['blocked', true],
      ],
    );

    // A window reload: everything stops, then the saved forwards come back (the stopped one stays stopped).
    await forwards.dispose();
    const webPort = saved[0]!.localPort;
    await assert.rejects(get(webPort));
    forwards = newForwards();
    assert.deepEqual(await forwards.restore(JSON.parse(JSON.stringify(saved))), []);
    assert.deepEqual(
      forwards.list().map((x) => [x.spec.name, x.state.state]),
      [
        ['web', 'active'],
        ['blocked', 'stopped'],
      ],
    );
    assert.match(await get(webPort), /^hello from web-/);
  });
});
