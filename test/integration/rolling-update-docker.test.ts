/**
 * A rolling update behind a NodePort Service on real containers loses no
 * request: `kubectl set image` to a second local tag of the test image with
 * `maxUnavailable: 0`, a readiness probe and a preStop pause (so a pod leaves
 * the Service before it stops serving), while requests run without pause
 * through 127.0.0.1:nodePort. The extra tag and the cluster are removed.
 */
import assert from 'node:assert/strict';
import { execFile, execFileSync } from 'node:child_process';
import { request } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

function get(port: number): Promise<{ status: number; body: string }> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, body: body.trim() }));
    });
    req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', reject);
    req.end();
  });
}

/** kubectl without blocking the event loop, so requests keep flowing while it runs. */
function kubectlAsync(dc: DockerCluster, args: string[]): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      'kubectl',
      ['--kubeconfig', dc.cluster.kubeconfig, '--cache-dir', `${dc.root}/cache`, ...args],
      { timeout: 120_000 },
      (error, stdout, stderr) => (error ? reject(new Error(`${error.message}\n${stderr}`)) : resolve(stdout)),
    );
  });
}

describe('Rolling update on Docker', () => {
  let dc: DockerCluster;
  let second = '';
  before(async () => {
    dc = await startDockerCluster();
    second = `${dc.image.replace(/:.*$/, '')}:rolling-${process.pid}`;
    execFileSync('docker', ['tag', dc.image, second]);
  });
  after(async () => {
    await dc?.destroy();
    if (second) execFileSync('docker', ['rmi', second], { stdio: 'ignore' });
  });

  it('loses no request through the NodePort while set image replaces all three pods', async (t) => {
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: apps/v1
kind: Deployment
metadata: {name: roll}
spec:
  replicas: 3
  selector: {matchLabels: {app: roll}}
  strategy: {type: RollingUpdate, rollingUpdate: {maxUnavailable: 0, maxSurge: 1}}
  template:
    metadata: {labels: {app: roll}}
    spec:
      terminationGracePeriodSeconds: 5
      containers:
      - name: httpd
        image: ${dc.image}
        command: [/bin/sh, -c, 'hostname > /www/index.html; exec httpd -f -p 8080 -h /www']
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
        lifecycle: {preStop: {sleep: {seconds: 2}}}
---
apiVersion: v1
kind: Service
metadata: {name: roll}
spec:
  type: NodePort
  selector: {app: roll}
  ports: [{port: 80, targetPort: http}]
`,
    );
    assert.equal(r.code, 0, r.err);
    const nodePort = Number(dc.kubectl(['get', 'svc', 'roll', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    const before = await eventually('three pods answer through the NodePort', 90, async () => {
      const seen = new Set<string>();
      for (let i = 0; i < 12; i++) seen.add((await get(nodePort)).body);
      return seen.size === 3 ? seen : undefined;
    });

    let ok = 0;
    const failures: string[] = [];
    const answeredBy = new Set<string>();
    let running = true;
    const load = (async () => {
      // Bounded: at most 20,000 requests, and it stops when the rollout is over.
      for (let i = 0; running && i < 20_000; i++) {
        try {
          const res = await get(nodePort);
          if (res.status === 200) {
            ok++;
            answeredBy.add(res.body);
          } else failures.push(`HTTP ${res.status}: ${res.body}`);
        } catch (error) {
          failures.push(error instanceof Error ? error.message : String(error));
        }
      }
    })();
    try {
      await kubectlAsync(dc, ['set', 'image', 'deployment/roll', `httpd=${second}`]);
      await kubectlAsync(dc, ['rollout', 'status', 'deployment/roll', '--timeout=120s']);
      // Old pods finish terminating (preStop, then SIGTERM) while requests still run.
      await eventually('only the new pods remain', 60, async () => {
        const out = (await kubectlAsync(dc, ['get', 'pods', '-l', 'app=roll', '--no-headers'])).trim().split('\n');
        return out.length === 3 && out.every((l) => /1\/1\s+Running/.test(l));
      });
    } finally {
      running = false;
      await load;
    }
    const after = new Set(
      dc.kubectl(['get', 'pods', '-l', 'app=roll', '-o', 'jsonpath={.items[*].metadata.name}']).out.trim().split(' '),
    );
    assert.deepEqual(failures, [], `${failures.length} of ${ok + failures.length} requests failed`);
    assert.ok(ok > 0);
    t.diagnostic(`${ok} requests during the rollout, ${failures.length} failed`);
    assert.equal([...after].filter((p) => before.has(p)).length, 0, 'every pod was replaced by one of the new image');
    assert.ok(
      [...after].every((p) => answeredBy.has(p)),
      'the new pods answered during the run',
    );
    assert.equal(
      dc.kubectl(['get', 'deployment', 'roll', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).out,
      second,
    );
  });
});
