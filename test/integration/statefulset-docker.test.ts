/**
 * A StatefulSet on the Docker kubelet: two pods, each writing its $HOSTNAME
 * into its own claim's volume on first start; pod web-1 deleted comes back
 * as web-1 with the same data; another pod reaches web-0 by
 * `web-0.<headless Service>` and the full cluster name. Everything the
 * cluster made is removed.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

describe('StatefulSet on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  const ok = (args: string[]) => {
    const r = dc.kubectl(args);
    assert.equal(r.code, 0, `kubectl ${args.join(' ')}: ${r.err}`);
    return r.out;
  };
  /** What web-N keeps in its volume: the name written on first start, and one line per start. */
  const volume = (pod: string) => ok(['exec', pod, '--', 'sh', '-c', 'cat /data/name; cat /data/starts']);

  it('keeps web-1 and its data when its pod is deleted', async () => {
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Service
metadata: {name: web}
spec:
  clusterIP: None
  selector: {app: web}
  ports: [{port: 8080, name: http}]
---
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: web}
spec:
  serviceName: web
  replicas: 2
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      terminationGracePeriodSeconds: 1
      containers:
      - name: app
        image: ${dc.image}
        command: [/bin/sh, -c, '[ -f /data/name ] || echo "$HOSTNAME" > /data/name; echo start >> /data/starts; exec httpd -f -p 8080 -h /data']
        ports: [{containerPort: 8080, name: http}]
        volumeMounts: [{name: data, mountPath: /data}]
  volumeClaimTemplates:
  - metadata: {name: data}
    spec:
      accessModes: [ReadWriteOnce]
      resources: {requests: {storage: 64Mi}}
`,
    );
    assert.equal(r.code, 0, r.err);
    assert.match(ok(['rollout', 'status', 'sts/web', '--timeout=120s']), /roll out complete: 2 new pods/);
    assert.equal(volume('web-0'), 'web-0\nstart\n');
    assert.equal(volume('web-1'), 'web-1\nstart\n');
    const claims = ok(['get', 'pvc', '-o', 'jsonpath={range .items[*]}{.metadata.name}={.status.phase} {end}']);
    assert.equal(claims.trim(), 'data-web-0=Bound data-web-1=Bound');

    const uid = ok(['get', 'pod', 'web-1', '-o', 'jsonpath={.metadata.uid}']);
    ok(['delete', 'pod', 'web-1']);
    await eventually('web-1 back, running and ready', 90, () => {
      const x = dc.kubectl([
        'get',
        'pod',
        'web-1',
        '-o',
        'jsonpath={.metadata.uid} {.status.containerStatuses[0].ready}',
      ]);
      return x.code === 0 && !x.out.startsWith(uid) && x.out.endsWith(' true');
    });
    assert.equal(volume('web-1'), 'web-1\nstart\nstart\n', 'the same volume, started twice');
    assert.equal(volume('web-0'), 'web-0\nstart\n');
  });

  it('lets another pod reach web-0 as web-0.web and by its full cluster name', async () => {
    const r = dc.kubectl(
      ['apply', '-f', '-'],
      `apiVersion: v1
kind: Pod
metadata: {name: client}
spec:
  terminationGracePeriodSeconds: 1
  containers: [{name: c, image: ${dc.image}, command: [sleep, "3600"]}]
`,
    );
    assert.equal(r.code, 0, r.err);
    await eventually('client running', 60, () => /1\/1\s+Running/.test(dc.kubectl(['get', 'pod', 'client']).out));
    for (const [host, pod] of [
      ['web-0.web', 'web-0'],
      ['web-1.web', 'web-1'],
      ['web-0.web.default.svc.cluster.local', 'web-0'],
    ]) {
      const x = await eventually(`wget http://${host}:8080/name from the client pod`, 30, () => {
        const y = dc.kubectl(['exec', 'client', '--', 'wget', '-qO-', `http://${host}:8080/name`]);
        return y.code === 0 ? y : undefined;
      });
      assert.equal(x.out, `${pod}\n`);
    }
    assert.match(ok(['exec', 'web-1', '--', 'hostname']), /^web-1\n$/);
  });
});
