/**
 * The cluster's Ingress entry on 127.0.0.1 with real containers: a
 * Deployment(3) behind a Service and an Ingress answers from all three pods;
 * host and path rules pick between two Services; 404 and 503 bodies say what
 * is missing; an upgraded connection is piped through. Also what pods and the
 * host get besides: Service environment variables, and client-node's
 * WebSocket port-forward to a pod. Everything the cluster made is removed.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

/** GET through the Ingress with a Host header; a new connection each time, so each is balanced anew. */
function get(base: string, host: string, path: string): Promise<{ status: number; body: string }> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, headers: { host, connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

const httpd = (image: string, name: string, replicas: number, body: string) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: httpd
        image: ${image}
        command: [/bin/sh, -c, 'B=$(${body}); mkdir -p /www/api /www/apiary; for f in index.html api/index.html api/exact apiary/index.html; do echo "$B" > /www/$f; done; exec httpd -f -p 8080 -h /www']
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: ${name}}
spec:
  selector: {app: ${name}}
  ports: [{name: web, port: 80, targetPort: http}]
`;

describe('Ingress on Docker', () => {
  let dc: DockerCluster;
  let web: string[] = [];
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  it('prints its entry and spreads requests through an Ingress across all three pods of a Deployment', async () => {
    assert.match(dc.cluster.ingress, /^http:\/\/127\.0\.0\.1:\d+$/);
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `${httpd(dc.image, 'web', 3, 'hostname')}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: site}
spec:
  rules:
  - host: shop.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {name: web}}}}
`,
    );
    assert.equal(r.code, 0, r.err);
    web = await eventually('three ready web pods', 90, () => {
      const out = dc.kubectl(['get', 'pods', '-l', 'app=web', '--no-headers']).out.trim().split('\n');
      return out.length === 3 && out.every((l) => /1\/1\s+Running/.test(l))
        ? out.map((l) => l.split(/\s+/)[0]!)
        : undefined;
    });
    const seen = await eventually('all three pods answer through the Ingress', 60, async () => {
      const bodies = new Set<string>();
      for (let i = 0; i < 12; i++) {
        const res = await get(dc.cluster.ingress, 'shop.test', '/');
        if (res.status === 200) bodies.add(res.body);
      }
      return bodies.size === 3 ? bodies : undefined;
    });
    assert.deepEqual([...seen].sort(), [...web].sort());
  });

  it('routes by host and path to two Services: longest prefix, Exact, wildcard host', async () => {
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `${httpd(dc.image, 'api', 1, 'echo api')}---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: routes}
spec:
  rules:
  - host: "*.apps.test"
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: web, port: {number: 80}}}}
      - {path: /api, pathType: Prefix, backend: {service: {name: api, port: {name: web}}}}
      - {path: /api/exact, pathType: Exact, backend: {service: {name: web, port: {number: 80}}}}
`,
    );
    assert.equal(r.code, 0, r.err);
    await eventually('the api Service answers through the Ingress', 90, async () => {
      const res = await get(dc.cluster.ingress, 'one.apps.test', '/api/');
      return res.status === 200 && res.body === 'api';
    });
    const body = async (host: string, path: string) => (await get(dc.cluster.ingress, host, path)).body;
    assert.equal(await body('one.apps.test', '/api/index.html'), 'api');
    assert.ok(web.includes(await body('one.apps.test', '/apiary/')), '/apiary is not under the /api prefix');
    assert.ok(web.includes(await body('two.apps.test', '/api/exact')), 'Exact /api/exact beats Prefix /api');
    assert.ok(web.includes(await body('two.apps.test', '/')));
    assert.ok(web.includes(await body('shop.test', '/api/')), 'shop.test has its own rules');
  });

  it('answers 404 naming the host and path no rule matches, and 503 naming the Service without ready endpoints', async () => {
    const missing = await get(dc.cluster.ingress, 'nowhere.test', '/x/y');
    assert.equal(missing.status, 404);
    assert.equal(missing.body, 'no Ingress rule matches host nowhere.test path /x/y');
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Service
metadata: {name: empty}
spec:
  selector: {app: nothing-has-this-label}
  ports: [{port: 80}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: empty}
spec:
  rules:
  - host: empty.test
    http:
      paths:
      - {path: /, pathType: Prefix, backend: {service: {name: empty, port: {number: 80}}}}
      - {path: /gone, pathType: Prefix, backend: {service: {name: gone, port: {number: 80}}}}
`,
    );
    assert.equal(r.code, 0, r.err);
    const unavailable = await eventually('the new Ingress is routed', 30, async () => {
      const res = await get(dc.cluster.ingress, 'empty.test', '/');
      return res.status === 503 ? res : undefined;
    });
    assert.equal(unavailable.body, 'Service default/empty has no ready endpoints');
    const gone = await get(dc.cluster.ingress, 'empty.test', '/gone');
    assert.equal(gone.status, 503);
    assert.equal(gone.body, 'Service default/gone (from Ingress empty) does not exist');
  });

  it('pipes an upgraded connection (as WebSocket uses) through to the pod', async () => {
    const script =
      'while read -r l; do [ "$l" = "$(printf \'\\r\')" ] && break; done; ' +
      "printf 'HTTP/1.1 101 Switching Protocols\\r\\nUpgrade: echo\\r\\nConnection: Upgrade\\r\\n\\r\\n'; exec cat";
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: echo, labels: {app: echo}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: echo
    image: ${dc.image}
    command: [/bin/sh, -c, 'printf "#!/bin/sh\\n%s\\n" "$0" > /tmp/up.sh && busybox chmod +x /tmp/up.sh && exec busybox nc -ll -p 9000 -e /tmp/up.sh', ${JSON.stringify(script)}]
    ports: [{containerPort: 9000}]
    readinessProbe: {tcpSocket: {port: 9000}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: echo}
spec:
  selector: {app: echo}
  ports: [{port: 9000}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: echo}
spec:
  rules:
  - host: echo.test
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: echo, port: {number: 9000}}}}]
`,
    );
    assert.equal(r.code, 0, r.err);
    const echoed = await eventually('an upgraded connection echoes', 90, async () => {
      const url = new URL(dc.cluster.ingress);
      return await new Promise<string | undefined>((resolve) => {
        const req = request({
          host: url.hostname,
          port: url.port,
          path: '/socket',
          headers: { host: 'echo.test', connection: 'Upgrade', upgrade: 'echo' },
        });
        req.on('upgrade', (res, socket: Socket) => {
          assert.equal(res.statusCode, 101);
          let got = '';
          socket.on('data', (c: Buffer) => {
            got += c.toString();
            if (got.includes('ping 2')) {
              socket.destroy();
              resolve(got);
            }
          });
          socket.write('ping 1\n');
          setTimeout(() => socket.write('ping 2\n'), 50);
          setTimeout(() => {
            socket.destroy();
            resolve(undefined);
          }, 3000);
        });
        req.on('response', () => resolve(undefined));
        req.on('error', () => resolve(undefined));
        req.end();
      });
    });
    assert.equal(echoed, 'ping 1\nping 2\n');
  });

  it('gives pods WEB_SERVICE_HOST and WEB_SERVICE_PORT for the Services that exist when they start', async () => {
    const r = dc.kubectl(['run', 'client', `--image=${dc.image}`, '--restart=Never', '--', 'sleep', '3600']);
    assert.equal(r.code, 0, r.err);
    await eventually('client running', 60, () => /1\/1\s+Running/.test(dc.kubectl(['get', 'pod', 'client']).out));
    const env = dc.kubectl(['exec', 'client', '--', 'env']).out;
    assert.match(env, /^WEB_SERVICE_PORT=80$/m);
    assert.match(env, /^WEB_SERVICE_PORT_WEB=80$/m);
    assert.match(env, /^KUBERNETES_SERVICE_HOST=/m);
    const x = dc.kubectl(['exec', 'client', '--', 'sh', '-c', 'wget -qO- http://$WEB_SERVICE_HOST:$WEB_SERVICE_PORT/']);
    assert.equal(x.code, 0, x.err);
    assert.ok(web.includes(x.out.trim()), `answered by a web pod: ${x.out}`);
  });

  it("forwards a local port to a pod with client-node's WebSocket PortForward", async () => {
    const { KubeConfig, PortForward } = await import('@kubernetes/client-node');
    const kc = new KubeConfig();
    kc.loadFromFile(dc.cluster.kubeconfig);
    const forward = new PortForward(kc);
    const target = web[0]!;
    const server = createServer((socket) => {
      forward.portForward('default', target, [8080], socket, null, socket).catch(() => socket.destroy());
    });
    await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
    try {
      const port = (server.address() as AddressInfo).port;
      for (let i = 0; i < 3; i++) {
        const res = await get(`http://127.0.0.1:${port}`, 'localhost', '/');
        assert.deepEqual(res, { status: 200, body: target });
      }
    } finally {
      server.close();
    }
  });
});
