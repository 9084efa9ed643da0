/**
 * The extension's port-forward (ClusterConnection.pods.portForward behind a
 * PortForwardListener on 127.0.0.1) against an embedded cluster running real
 * containers: HTTP from a busybox httpd pod through the local port, one
 * WebSocket per connection, so a connection that fails leaves the listener
 * serving the next one; a Service forwards to its ready pod. Everything the
 * cluster made is removed.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { ClusterConnection } from '../../client/src/kube/cluster-connection';
import { PortForwardListener } from '../../client/src/forwarding/port-forward-listener';
import { serviceForwardTarget } from '../../client/src/forwarding/service-forward-target';
import { eventually, podJson, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

/** GET on 127.0.0.1:port over a new connection each time (`connection: close`). */
function get(port: number, path = '/'): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    });
    req.on('error', reject);
    req.end();
  });
}

const manifest = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: web, labels: {app: web}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: ${image}
    command: [/bin/sh, -c, 'echo "hello from $(hostname)" > /www/index.html; exec httpd -f -p 8080 -h /www']
    ports: [{containerPort: 8080, name: http}]
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  selector: {app: web}
  ports: [{name: web, port: 80, targetPort: http}]
`;

describe('port-forward from the extension on Docker', () => {
  let dc: DockerCluster;
  let conn: ClusterConnection;
  before(async () => {
    dc = await startDockerCluster();
    const r = dc.kubectl(['apply', '-f', '-'], manifest(dc.image));
    assert.equal(r.code, 0, r.err);
    await eventually('pod web ready', 90, () => podJson(dc, 'web')?.status?.containerStatuses?.every((c) => c.ready));
    conn = await ClusterConnection.fromKubeconfig(dc.cluster.kubeconfig);
  });
  after(async () => {
    await dc?.destroy();
  });

  it('serves HTTP from the pod on 127.0.0.1, connection after connection', async () => {
    const errors: string[] = [];
    const listener = await PortForwardListener.listen(conn, {
      target: () => Promise.resolve({ namespace: 'default', pod: 'web', port: 8080 }),
      onError: (e) => errors.push(e.message),
    });
    try {
      assert.equal(listener.url, `http://127.0.0.1:${listener.localPort}`);
      assert.deepEqual(await get(listener.localPort), { status: 200, body: 'hello from web' });
      // A second connection in a row, after the first one has closed.
      assert.deepEqual(await get(listener.localPort), { status: 200, body: 'hello from web' });
      // Two at once, each with its own WebSocket.
      const both = await Promise.all([get(listener.localPort), get(listener.localPort, '/index.html')]);
      assert.deepEqual(both, [
        { status: 200, body: 'hello from web' },
        { status: 200, body: 'hello from web' },
      ]);
      assert.deepEqual(errors, []);
      await eventually('the closed connections to be gone', 10, () => listener.connections === 0);
    } finally {
      await listener.close();
    }
  });

  it('keeps listening after a connection fails, and serves once the port answers', async () => {
    const errors: string[] = [];
    const listener = await PortForwardListener.listen(conn, {
      target: () => Promise.resolve({ namespace: 'default', pod: 'web', port: 8081 }),
      onError: (e) => errors.push(e.message),
    });
    try {
      // Nothing listens on 8081 yet: the connection is closed and the error reported.
      await assert.rejects(get(listener.localPort));
      await eventually('the error to be reported', 10, () => errors.length > 0);
      assert.match(errors[0]!, /web:8081/);
      // Start a second server in the container; the same listener now answers.
      const started = dc.kubectl(['exec', 'web', '--', 'httpd', '-p', '8081', '-h', '/www']);
      assert.equal(started.code, 0, started.err);
      const res = await eventually('the forwarded 8081 to answer', 30, () => get(listener.localPort));
      assert.deepEqual(res, { status: 200, body: 'hello from web' });
      assert.deepEqual(await get(listener.localPort), { status: 200, body: 'hello from web' });
    } finally {
      await listener.close();
    }
  });

  it('forwards a Service port to its ready pod', async () => {
    const target = await eventually('the Service to have a ready pod', 30, () =>
      serviceForwardTarget(conn, 'default', 'web', 80),
    );
    assert.deepEqual(target, { namespace: 'default', pod: 'web', port: 8080 });
    const listener = await PortForwardListener.listen(conn, {
      target: () => serviceForwardTarget(conn, 'default', 'web', 80),
    });
    try {
      assert.deepEqual(await get(listener.localPort), { status: 200, body: 'hello from web' });
    } finally {
      await listener.close();
    }
  });

  it('refuses a local port that is taken', async () => {
    const first = await PortForwardListener.listen(conn, {
      target: () => Promise.resolve({ namespace: 'default', pod: 'web', port: 8080 }),
    });
    try {
      await assert.rejects(
        PortForwardListener.listen(conn, {
          target: () => Promise.resolve({ namespace: 'default', pod: 'web', port: 8080 }),
          localPort: first.localPort,
        }),
        /EADDRINUSE/,
      );
    } finally {
      await first.close();
    }
  });
});
