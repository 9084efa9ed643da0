/**
 * volumeMounts[].subPath and subPathExpr on real Docker, checked from inside
 * the containers with kubectl exec: a ConfigMap key mounted as one file into
 * a directory of the image (the rest of the directory stays; the file keeps
 * its content when the ConfigMap changes, while a whole-volume mount of the
 * same ConfigMap follows); a missing subPath becomes a directory; an
 * emptyDir shared by two containers through subPaths, one from
 * $(POD_NAME); a subPath inside a PersistentVolumeClaim.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { eventually, podJson, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';

describe('subPath volume mounts on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  const sh = (pod: string, container: string, script: string) =>
    dc.kubectl(['exec', pod, '-c', container, '--', 'sh', '-c', script]);
  const out = (pod: string, container: string, script: string) => {
    const r = sh(pod, container, script);
    assert.equal(r.code, 0, `${script}: ${r.err}`);
    return r.out;
  };
  const running = (pod: string) =>
    eventually(`${pod} running`, 60, () => {
      const p = podJson(dc, pod);
      const statuses = p?.status?.containerStatuses ?? [];
      return p?.status?.phase === 'Running' && statuses.length > 0 && statuses.every((s) => s.state.running);
    });

  it('mounts a ConfigMap key as one file into an existing directory, which keeps its other files', async () => {
    dc.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  app.conf: "listen 8080;"
  other.conf: "unused"
---
apiVersion: v1
kind: Pod
metadata: {name: conf}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: cfg, configMap: {name: web-config}}]
  containers:
  - name: main
    image: ${dc.image}
    command: [/bin/sh, -c, 'exec sleep 3600']
    volumeMounts:
    - {name: cfg, mountPath: /etc/app.conf, subPath: app.conf}
    - {name: cfg, mountPath: /cfg}
    - {name: cfg, mountPath: /empty, subPath: not-a-key}
`);
    await running('conf');
    assert.equal(out('conf', 'main', 'cat /etc/app.conf'), 'listen 8080;');
    assert.equal(out('conf', 'main', 'test -f /etc/app.conf && echo file'), 'file\n');
    const etc = out('conf', 'main', 'ls /etc').trim().split(/\s+/);
    assert.ok(etc.includes('app.conf') && etc.includes('passwd'), `/etc: ${etc.join(' ')}`);
    assert.match(out('conf', 'main', 'cat /etc/passwd'), /^root:x:0:0:/, 'the image’s own file is still there');
    assert.equal(
      out('conf', 'main', 'test -d /empty && ls -A /empty && echo dir'),
      'dir\n',
      'a missing subPath is a directory',
    );

    dc.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: web-config}
data:
  app.conf: "listen 9090;"
`);
    await eventually('the whole-volume mount follows the change', 60, () =>
      sh('conf', 'main', 'cat /cfg/app.conf').out === 'listen 9090;' ? true : undefined,
    );
    assert.equal(out('conf', 'main', 'cat /etc/app.conf'), 'listen 8080;', 'a subPath mount keeps its content');
  });

  it('shares an emptyDir between two containers through subPaths, one named by $(POD_NAME)', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: share}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: shared, emptyDir: {}}]
  containers:
  - name: writer
    image: ${dc.image}
    env: [{name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}]
    command: [/bin/sh, -c, 'echo hello-from-writer > /out/msg; echo mine > /mine/file; exec sleep 3600']
    volumeMounts:
    - {name: shared, mountPath: /out, subPath: logs/writer}
    - {name: shared, mountPath: /mine, subPathExpr: $(POD_NAME)}
  - name: reader
    image: ${dc.image}
    command: [/bin/sh, -c, 'exec sleep 3600']
    volumeMounts:
    - {name: shared, mountPath: /in, subPath: logs, readOnly: true}
    - {name: shared, mountPath: /all}
`);
    await running('share');
    await eventually('the writer wrote its file', 30, () =>
      sh('share', 'reader', 'cat /in/writer/msg').out === 'hello-from-writer\n' ? true : undefined,
    );
    assert.deepEqual(out('share', 'reader', 'ls /all').trim().split(/\s+/).sort(), ['logs', 'share']);
    assert.equal(out('share', 'reader', 'cat /all/share/file'), 'mine\n');
    assert.equal(out('share', 'writer', 'ls /out'), 'msg\n', 'the writer sees only its subPath');
    const write = sh('share', 'reader', 'echo x > /in/new');
    assert.notEqual(write.code, 0, 'a readOnly subPath mount refuses writes');
    assert.match(write.err, /Read-only file system/);
  });

  it('mounts a subPath of a PersistentVolumeClaim', async () => {
    dc.apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
---
apiVersion: v1
kind: Pod
metadata: {name: claim-user}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
  containers:
  - name: main
    image: ${dc.image}
    command: [/bin/sh, -c, 'echo saved > /data/record; exec sleep 3600']
    volumeMounts:
    - {name: data, mountPath: /data, subPath: app/data}
    - {name: data, mountPath: /whole}
`);
    await running('claim-user');
    await eventually('the record in the claim', 30, () =>
      sh('claim-user', 'main', 'cat /whole/app/data/record').out === 'saved\n' ? true : undefined,
    );
    assert.equal(out('claim-user', 'main', 'ls /data'), 'record\n');
  });
});
