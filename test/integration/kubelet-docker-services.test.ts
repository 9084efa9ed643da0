/**
 * Services on the Docker kubelet: a Deployment behind a NodePort Service
 * answers on 127.0.0.1 and spreads requests over every ready pod; pods reach
 * the Service by its DNS names; a pod whose readiness probe fails leaves the
 * Service without being restarted. Everything the cluster made is removed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

describe('Services on Docker', () => {
  let dc: DockerCluster;
  let nodePort = 0;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  /** The bodies of `count` requests to the Service's node port on 127.0.0.1 (each names the pod that answered). */
  const ask = async (count: number) => {
    const seen: string[] = [];
    for (let i = 0; i < count; i++) {
      const res = await fetch(`http://127.0.0.1:${nodePort}/`);
      seen.push((await res.text()).trim());
    }
    return seen;
  };

  it('spreads requests to a NodePort Service on 127.0.0.1 across all three pods of a Deployment', async () => {
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: apps/v1
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
        command: [/bin/sh, -c, 'hostname > /www/index.html; echo > /tmp/ready; exec httpd -f -p 8080 -h /www']
        ports: [{containerPort: 8080, name: http}]
        readinessProbe: {exec: {command: [sh, -c, 'test -s /tmp/ready']}, periodSeconds: 1, failureThreshold: 1}
---
apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  type: NodePort
  selector: {app: web}
  ports: [{port: 80, targetPort: http}]
---
apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: ${dc.image}, command: [sleep, "3600"]}]
`,
    );
    assert.equal(r.code, 0, r.err);
    nodePort = Number(dc.kubectl(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    assert.ok(nodePort >= 30000 && nodePort <= 32767);
    const pods = await eventually('three ready pods', 90, () => {
      const out = dc.kubectl(['get', 'pods', '-l', 'app=web', '--no-headers']).out.trim().split('\n');
      return out.length === 3 && out.every((l) => /1\/1\s+Running/.test(l))
        ? out.map((l) => l.split(/\s+/)[0]!)
        : undefined;
    });
    const answered = await eventually('all three pods answer through the Service', 60, async () => {
      const seen = new Set(await ask(9).catch(() => []));
      return seen.size === 3 ? seen : undefined;
    });
    assert.deepEqual([...answered].sort(), [...pods].sort());
  });

  it('lets a pod reach the Service by name, name.namespace and the full cluster name', async () => {
    await eventually('client running', 60, () => /1\/1\s+Running/.test(dc.kubectl(['get', 'pod', 'client']).out));
    for (const host of ['web', 'web.default', 'web.default.svc', 'web.default.svc.cluster.local']) {
      const r = await eventually(`wget http://${host}/ from the client pod`, 30, () => {
        const x = dc.kubectl(['exec', 'client', '--', 'wget', '-qO-', `http://${host}/`]);
        return x.code === 0 ? x : undefined;
      });
      assert.match(r.out, /^web-/);
    }
  });

  it('takes a pod whose readiness probe fails out of the Service, without restarting it', async () => {
    const pods = dc
      .kubectl(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.name}'])
      .out.split(' ');
    const victim = pods[0]!;
    assert.equal(dc.kubectl(['exec', victim, '--', 'sh', '-c', ': > /tmp/ready']).code, 0);
    await eventually('the pod is not ready', 30, () =>
      /0\/1\s+Running\s+0/.test(dc.kubectl(['get', 'pod', victim]).out),
    );
    await eventually('requests avoid it', 30, async () => {
      const seen = await ask(12);
      return !seen.includes(victim) && new Set(seen).size === 2;
    });
    assert.equal(dc.kubectl(['exec', victim, '--', 'sh', '-c', 'echo > /tmp/ready']).code, 0);
    await eventually('it is back in the Service', 30, async () => new Set(await ask(12)).has(victim));
  });
});
