/**
 * Graceful termination never holds back other pods (issue #18): three
 * apply / `kubectl delete -f` cycles in a row of a Deployment of 3 busybox
 * httpd pods behind a NodePort Service, on one Docker node. httpd runs as
 * PID 1 and ignores SIGTERM, so each deleted pod sits out its 60 s grace
 * period; the third rollout's pods still become Ready and answer through the
 * NodePort while all six pods of the first two cycles are still Terminating.
 * Everything the cluster made is removed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

interface PodItem {
  metadata: { name: string; deletionTimestamp?: string; labels?: Record<string, string> };
  status?: { conditions?: { type: string; status: string }[] };
}

const manifest = (image: string, cycle: number) => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  replicas: 3
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web, cycle: "${cycle}"}}
    spec:
      terminationGracePeriodSeconds: 60
      containers:
      - name: httpd
        image: ${image}
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
`;

const ready = (p: PodItem) => p.status?.conditions?.some((c) => c.type === 'Ready' && c.status === 'True') === true;

describe('Terminating pods on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  const pods = (): PodItem[] => {
    const r = dc.kubectl(['get', 'pods', '-l', 'app=web', '-o', 'json']);
    assert.equal(r.code, 0, r.err);
    return (JSON.parse(r.out) as { items: PodItem[] }).items;
  };

  /** Applies cycle `n` and waits until its three pods are Ready; returns the pod list seen at that moment. */
  const rollout = async (n: number) => {
    dc.apply(manifest(dc.image, n));
    return eventually(`the three pods of cycle ${n} are Ready`, 120, () => {
      const all = pods();
      const mine = all.filter((p) => p.metadata.labels?.cycle === String(n) && !p.metadata.deletionTimestamp);
      return mine.length === 3 && mine.every(ready) ? all : undefined;
    });
  };

  it('starts the third rollout while the pods of the first two still sit in their grace period', async () => {
    for (const n of [1, 2]) {
      await rollout(n);
      const r = dc.kubectl(['delete', '-f', '-'], manifest(dc.image, n));
      assert.equal(r.code, 0, r.err);
    }
    const seen = await rollout(3);
    const terminating = seen.filter((p) => p.metadata.deletionTimestamp).map((p) => p.metadata.labels?.cycle);
    assert.deepEqual(
      terminating.sort(),
      ['1', '1', '1', '2', '2', '2'],
      'every pod of the first two cycles is still Terminating when the third rollout is Ready',
    );
    const nodePort = Number(dc.kubectl(['get', 'svc', 'web', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    const res = await eventually('the Service answers through the NodePort', 30, async () => {
      const r = await fetch(`http://127.0.0.1:${nodePort}/`).catch(() => undefined);
      return r?.status === 200 ? (await r.text()).trim() : undefined;
    });
    const fresh = seen.filter((p) => !p.metadata.deletionTimestamp).map((p) => p.metadata.name);
    assert.ok(fresh.includes(res), `answered by ${res}, not one of the third rollout's pods ${fresh.join(', ')}`);
  });
});
