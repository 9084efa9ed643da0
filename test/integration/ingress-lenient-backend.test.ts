/**
 * Backends whose HTTP is not quite HTTP, on Docker: CGI scripts under busybox
 * httpd end their header lines in a bare LF. nginx (the usual Ingress
 * controller) passes such answers on, so our Ingress must too; what nginx
 * refuses with 502 (Content-Length together with Transfer-Encoding, a NUL in
 * a header) we refuse too. NodePort and `kubectl port-forward` are TCP pipes:
 * the bytes arrive unchanged.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { connect } from 'node:net';
import { after, before, describe, it } from 'node:test';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';
import { startKubectlPortForward } from './support/kubectl-port-forward.js';

/** The CGI scripts: each prints its answer with printf (busybox httpd adds a status line unless it starts with HTTP). */
const SCRIPTS: Record<string, string> = {
  lf: String.raw`printf 'Content-Type: text/plain\nX-Backend: busybox\n\nhello from a CGI script\n'`,
  'status-lf': String.raw`printf 'HTTP/1.0 200 OK\nContent-Type: text/plain\nContent-Length: 6\n\nraw lf'`,
  'length-and-chunked': String.raw`printf 'HTTP/1.1 200 OK\r\nContent-Length: 5\r\nTransfer-Encoding: chunked\r\n\r\n5\r\nhello\r\n0\r\n\r\n'`,
  'nul-in-header': String.raw`printf 'Content-Type: text/plain\nX-Bad: a\000b\n\nnul\n'`,
};

const setup = Object.keys(SCRIPTS)
  .map((name) => `printf '#!/bin/sh\\n%s\\n' "$CGI_${name.replace(/-/g, '_')}" > /www/cgi-bin/${name}`)
  .join('; ');

const manifest = (image: string) => `apiVersion: v1
kind: Pod
metadata: {name: cgi, labels: {app: cgi}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: httpd
    image: ${image}
    env:
${Object.entries(SCRIPTS)
  .map(([name, text]) => `    - {name: CGI_${name.replace(/-/g, '_')}, value: ${JSON.stringify(text)}}`)
  .join('\n')}
    command: [/bin/sh, -c, ${JSON.stringify(`mkdir -p /www/cgi-bin; ${setup}; busybox chmod +x /www/cgi-bin/*; exec httpd -f -p 8080 -h /www`)}]
    ports: [{containerPort: 8080, name: http}]
    readinessProbe: {tcpSocket: {port: http}, periodSeconds: 1}
---
apiVersion: v1
kind: Service
metadata: {name: cgi}
spec:
  type: NodePort
  selector: {app: cgi}
  ports: [{name: web, port: 80, targetPort: http}]
---
apiVersion: networking.k8s.io/v1
kind: Ingress
metadata: {name: cgi}
spec:
  rules:
  - host: cgi.test
    http:
      paths: [{path: /, pathType: Prefix, backend: {service: {name: cgi, port: {name: web}}}}]
`;

interface Answer {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  body: string;
}

/** GET through the Ingress with Node's strict parser: what the Ingress sends must be proper HTTP. */
function get(base: string, path: string): Promise<Answer> {
  const url = new URL(path, base);
  return new Promise((resolve, reject) => {
    const req = request(
      { host: url.hostname, port: url.port, path: url.pathname, headers: { host: 'cgi.test', connection: 'close' } },
      (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (c: string) => (body += c));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      },
    );
    req.on('error', reject);
    req.end();
  });
}

/** The raw bytes a plain TCP connection gets for a GET. */
function rawGet(port: number, path: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = connect({ host: '127.0.0.1', port }, () =>
      socket.write(`GET ${path} HTTP/1.0\r\nHost: cgi.test\r\n\r\n`),
    );
    let got = '';
    socket.setEncoding('latin1');
    socket.on('data', (c: string) => (got += c));
    socket.on('end', () => resolve(got));
    socket.on('error', reject);
  });
}

describe('Ingress, NodePort and port-forward with a backend that ends header lines in LF', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
    dc.apply(manifest(dc.image));
    await eventually('the CGI pod answers through the Ingress', 90, async () => {
      const r = await get(dc.cluster.ingress, '/cgi-bin/lf').catch(() => undefined);
      return r !== undefined && r.status !== 503 && r.status !== 404;
    });
  });
  after(async () => {
    await dc?.destroy();
  });

  it('passes on a CGI answer whose header lines end in a bare LF, as nginx does', async () => {
    const r = await get(dc.cluster.ingress, '/cgi-bin/lf');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.headers['content-type'], 'text/plain');
    assert.equal(r.headers['x-backend'], 'busybox');
    assert.equal(r.body, 'hello from a CGI script\n');
  });

  it('passes on a status line that ends in a bare LF', async () => {
    const r = await get(dc.cluster.ingress, '/cgi-bin/status-lf');
    assert.equal(r.status, 200, r.body);
    assert.equal(r.body, 'raw lf');
  });

  it('answers 502 as nginx does to Content-Length with Transfer-Encoding, and to a NUL in a header', async () => {
    const both = await get(dc.cluster.ingress, '/cgi-bin/length-and-chunked');
    assert.equal(both.status, 502);
    assert.match(both.body, /Service default\/cgi: .*Content-Length.*Transfer-Encoding/);
    const nul = await get(dc.cluster.ingress, '/cgi-bin/nul-in-header');
    assert.equal(nul.status, 502);
    assert.match(nul.body, /Service default\/cgi: .*invalid header/);
    const after502 = await get(dc.cluster.ingress, '/cgi-bin/lf');
    assert.equal(after502.status, 200, 'the Ingress still serves the backend');
  });

  it('passes the bytes through unchanged on the NodePort and through kubectl port-forward', async () => {
    const nodePort = Number(dc.kubectl(['get', 'svc', 'cgi', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    assert.ok(nodePort > 0);
    const viaNodePort = await eventually('the NodePort answers', 30, () =>
      rawGet(nodePort, '/cgi-bin/lf').then((s) => (s.includes('hello') ? s : undefined)),
    );
    assert.match(viaNodePort, /\r\nContent-Type: text\/plain\nX-Backend: busybox\n\nhello from a CGI script\n$/);
    const pf = await startKubectlPortForward(dc.cluster.kubeconfig, ['pod/cgi', ':8080']);
    try {
      const viaForward = await rawGet(pf.localPorts[0]!, '/cgi-bin/lf');
      assert.match(viaForward, /\r\nContent-Type: text\/plain\nX-Backend: busybox\n\nhello from a CGI script\n$/);
    } finally {
      await pf.stop();
    }
  });
});
