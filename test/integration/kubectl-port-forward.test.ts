/**
 * The real `kubectl port-forward` (1.32) against an embedded cluster running
 * real containers: to a pod, a Deployment and a Service, several ports at
 * once, connections in a row and concurrently, through both ways kubectl
 * speaks to the API server: plain SPDY (the cluster refuses kubectl's
 * WebSocket tunnel and kubectl falls back, once per port-forward; or
 * KUBECTL_PORT_FORWARD_WEBSOCKETS=false), and SPDY tunnelled in a WebSocket
 * from a cluster told to serve it (KW_PORT_FORWARD_TUNNEL=serve). A port nothing listens on gets
 * kubectl's error message. kubectl is stopped through its process group and
 * no connection is left behind, neither into the pod nor on the API server.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, podJson, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';
import { processGroupAlive, startKubectlPortForward } from './support/kubectl-port-forward.js';

/** GET on 127.0.0.1:port over a new connection (`connection: close`), the body as bytes. */
function get(port: number, path = '/'): Promise<{ status: number; body: Buffer }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'close' } }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks) }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}

async function getText(port: number, path = '/'): Promise<string> {
  const r = await get(port, path);
  assert.equal(r.status, 200);
  return r.body.toString().trim();
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
        command: [/bin/sh, -c, 'echo "hello from $(hostname)" > /www/index.html; cat /bin/busybox > /www/busybox; httpd -p 8080 -h /www; exec httpd -f -p 80 -h /www']
        ports: [{containerPort: 80, name: http}, {containerPort: 8080, name: alt}]
        readinessProbe: {tcpSocket: {port: 80}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: web, port: 8000, targetPort: http}]
`;

/** TCP connections in this network namespace (IPv4), as /proc/net/tcp lists them. */
function tcpConnections(): { remote: string; local: string; state: string }[] {
  const addr = (hex: string) => {
    const [ip, port] = hex.split(':') as [string, string];
    const bytes = Buffer.from(ip, 'hex').reverse();
    return `${[...bytes].join('.')}:${parseInt(port, 16)}`;
  };
  return readFileSync('/proc/net/tcp', 'utf8')
    .trim()
    .split('\n')
    .slice(1)
    .map((line) => line.trim().split(/\s+/))
    .map((f) => ({ local: addr(f[1]!), remote: addr(f[2]!), state: f[3]! }));
}
const ESTABLISHED = '01';
const CLOSE_WAIT = '08';

describe('kubectl port-forward on Docker', () => {
  let dc: DockerCluster;
  let pod: string;
  let podIp: string;
  const started: number[] = [];

  const forward = async (args: string[], env: Record<string, string> = {}) => {
    const pf = await startKubectlPortForward(dc.cluster.kubeconfig, ['-v=6', ...args], env);
    started.push(pf.child.pid!);
    return pf;
  };

  before(async () => {
    dc = await startDockerCluster();
    const r = dc.kubectl(['apply', '-f', '-'], manifest(dc.image));
    assert.equal(r.code, 0, r.err);
    pod = await eventually('the Deployment to have a ready pod', 90, () => {
      const out = dc.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']).out;
      return out && podJson(dc, out)?.status?.containerStatuses?.every((c) => c.ready) ? out : undefined;
    });
    podIp = podJson(dc, pod)?.status?.podIP ?? '';
    assert.ok(podIp);
  });

  after(async () => {
    for (const pid of started) {
      try {
        process.kill(-pid, 'SIGKILL');
      } catch {
        // gone
      }
    }
    await dc?.destroy();
  });

  it('forwards two ports of a pod, connection after connection and many at once (plain SPDY after one refused tunnel)', async () => {
    const pf = await forward([`pod/${pod}`, ':80', ':8080']);
    const [web, alt] = pf.localPorts as [number, number];
    assert.equal(await getText(web), `hello from ${pod}`);
    assert.equal(await getText(web), `hello from ${pod}`);
    assert.equal(await getText(alt), `hello from ${pod}`);
    const many = await Promise.all(Array.from({ length: 12 }, (_, i) => getText(i % 2 ? alt : web)));
    assert.deepEqual(many, Array<string>(12).fill(`hello from ${pod}`));
    // A body of megabytes arrives intact.
    const big = await get(web, '/busybox');
    assert.ok(big.body.equals(readFileSync('/bin/busybox')), `got ${big.body.length} bytes`);
    // kubectl 1.32 asked for the WebSocket tunnel once, was refused and fell back to plain SPDY (POST ... 101)
    // once: 16 connections on one session, no round trip per connection for the fallback.
    assert.equal(
      pf.stderr().match(/fallback to secondary dialer from primary dialer err: .*served to kubectl over plain SPDY/g)
        ?.length,
      1,
    );
    assert.deepEqual(
      [...pf.stderr().matchAll(/(GET|POST) https:\/\/\S+\/pods\/[^/]+\/portforward (\d+)/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
      ['POST 101'],
    );
    assert.equal(pf.stdout().match(/Handling connection for/g)?.length, 16);
    await pf.stop();
    assert.equal(processGroupAlive(pf.child.pid!), false);
  });

  it('resolves a Deployment and a Service to the pod as kubectl does', async () => {
    const byDeployment = await forward(['deployment/web', ':80']);
    const bySvc = await forward(['svc/web', ':8000']);
    assert.equal(await getText(byDeployment.localPorts[0]!), `hello from ${pod}`);
    // Service port 8000 is targetPort "http": container port 80.
    assert.match(bySvc.stdout(), /Forwarding from 127\.0\.0\.1:\d+ -> 80$/m);
    const both = await Promise.all([getText(bySvc.localPorts[0]!), getText(bySvc.localPorts[0]!)]);
    assert.deepEqual(both, [`hello from ${pod}`, `hello from ${pod}`]);
    await Promise.all([byDeployment.stop(), bySvc.stop()]);
  });

  it('speaks plain SPDY when WebSockets are turned off', async () => {
    const pf = await forward([`pod/${pod}`, ':80', ':8080'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: 'false' });
    const [web, alt] = pf.localPorts as [number, number];
    const answers = await Promise.all([getText(web), getText(alt), getText(web), getText(alt)]);
    assert.deepEqual(answers, Array<string>(4).fill(`hello from ${pod}`));
    assert.equal(await getText(web), `hello from ${pod}`);
    const big = await get(alt, '/busybox');
    assert.ok(big.body.equals(readFileSync('/bin/busybox')));
    assert.match(pf.stderr(), /POST https:\/\/\S+\/pods\/[^/]+\/portforward 101 Switching Protocols/);
    assert.doesNotMatch(pf.stderr(), /GET https:\/\/\S+\/portforward/);
    await pf.stop();
  });

  for (const websockets of ['true', 'false']) {
    it(`reports a port nothing listens on with kubectl's message (websockets ${websockets})`, async () => {
      const pf = await forward([`pod/${pod}`, ':80', ':81'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: websockets });
      const [web, closed] = pf.localPorts as [number, number];
      assert.equal(await getText(web), `hello from ${pod}`);
      // No answer from port 81: the local connection is closed without one.
      await assert.rejects(get(closed));
      await eventually('kubectl to print the error', 15, () => /an error occurred forwarding/.test(pf.stderr()));
      assert.match(
        pf.stderr(),
        new RegExp(
          `an error occurred forwarding ${closed} -> 81: error forwarding port 81 to pod ${pod}, uid [0-9a-f-]+: ` +
            `connect ECONNREFUSED ${podIp.replace(/\./g, '\\.')}:81`,
        ),
      );
      // kubectl 1.32 ends the whole forward after an error on any connection, as against any cluster.
      assert.equal(await pf.exited, 1);
      assert.match(pf.stderr(), /error: lost connection to pod/);
      // The cluster serves the next port-forward as before.
      const next = await forward([`pod/${pod}`, ':80'], { KUBECTL_PORT_FORWARD_WEBSOCKETS: websockets });
      assert.equal(await getText(next.localPorts[0]!), `hello from ${pod}`);
      await next.stop();
    });
  }

  it('leaves no process and no connection behind', async () => {
    // A forward with connections still open when kubectl is killed.
    const pf = await forward([`pod/${pod}`, ':80']);
    assert.equal(await getText(pf.localPorts[0]!), `hello from ${pod}`);
    const apiPort = Number(new URL(dc.cluster.api).port);
    // An unfinished request: httpd waits for the rest, the connection into the pod stays open.
    const held = connect(pf.localPorts[0]!, '127.0.0.1');
    held.on('error', () => undefined);
    held.write('GET / HTTP/1.0\r\n');
    await eventually('the held connection to reach the pod', 15, () =>
      tcpConnections().some((c) => c.remote === `${podIp}:80` && c.state === ESTABLISHED),
    );
    process.kill(-pf.child.pid!, 'SIGKILL');
    await pf.exited;
    for (const pid of started) assert.equal(processGroupAlive(pid), false, `kubectl ${pid} still runs`);
    await eventually('no connection into the pod and none to the API server left open', 30, () =>
      tcpConnections().every(
        (c) =>
          !(c.remote === `${podIp}:80` && c.state === ESTABLISHED) &&
          !(c.local === `127.0.0.1:${apiPort}` && (c.state === ESTABLISHED || c.state === CLOSE_WAIT)),
      ),
    );
    held.destroy();
  });
});

describe('kubectl port-forward through SPDY in a WebSocket (KW_PORT_FORWARD_TUNNEL=serve)', () => {
  let dc: DockerCluster;
  let pod: string;
  let pf: Awaited<ReturnType<typeof startKubectlPortForward>> | undefined;

  before(async () => {
    dc = await startDockerCluster([], { KW_PORT_FORWARD_TUNNEL: 'serve' });
    const r = dc.kubectl(['apply', '-f', '-'], manifest(dc.image));
    assert.equal(r.code, 0, r.err);
    pod = await eventually('the Deployment to have a ready pod', 90, () => {
      const out = dc.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[0].metadata.name}']).out;
      return out && podJson(dc, out)?.status?.containerStatuses?.every((c) => c.ready) ? out : undefined;
    });
  });

  after(async () => {
    if (pf?.child.pid !== undefined && processGroupAlive(pf.child.pid)) process.kill(-pf.child.pid, 'SIGKILL');
    await dc?.destroy();
  });

  it('forwards connections in a row and at once, and a body of megabytes, with no fallback', async () => {
    pf = await startKubectlPortForward(dc.cluster.kubeconfig, ['-v=6', `pod/${pod}`, ':80', ':8080']);
    const [web, alt] = pf.localPorts as [number, number];
    assert.equal(await getText(web), `hello from ${pod}`);
    const many = await Promise.all(Array.from({ length: 8 }, (_, i) => getText(i % 2 ? alt : web)));
    assert.deepEqual(many, Array<string>(8).fill(`hello from ${pod}`));
    const big = await get(alt, '/busybox');
    assert.ok(big.body.equals(readFileSync('/bin/busybox')), `got ${big.body.length} bytes`);
    // One upgrade: the WebSocket carrying SPDY (GET ... 101).
    assert.deepEqual(
      [...pf.stderr().matchAll(/(GET|POST) https:\/\/\S+\/pods\/[^/]+\/portforward (\d+)/g)].map(
        (m) => `${m[1]} ${m[2]}`,
      ),
      ['GET 101'],
    );
    await pf.stop();
  });
});
