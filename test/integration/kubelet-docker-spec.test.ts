/**
 * The container spec on real Docker, checked from inside the containers the
 * way a user would check it with `kubectl exec` and `kubectl logs`: env from
 * values, the downward API, ConfigMaps and Secrets; securityContext and
 * fsGroup; a Memory emptyDir; resource
 * limits as the container's cgroup sees them; init containers in order;
 * secret volumes with items and modes; a PVC that outlives its pod; preStop
 * and SIGTERM on delete; liveness restarts and `logs --previous`; hostPath
 * refused unless allowed. Everything the cluster made is removed at the end.
 */
import assert from 'node:assert/strict';
import { after, before, describe, it } from 'node:test';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels.js';
import {
  containerStatus,
  eventually,
  podJson,
  startDockerCluster,
  type DockerCluster,
} from './support/docker-cluster.js';

describe('container spec on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  const running = (pod: string, seconds = 60) =>
    eventually(`${pod} Running`, seconds, () => podJson(dc, pod)?.status?.phase === 'Running');
  const exec = (pod: string, script: string, container?: string) =>
    dc.kubectl(['exec', pod, ...(container ? ['-c', container] : []), '--', 'sh', '-c', script]);

  it('gives a container env from values, the downward API, a ConfigMap and a Secret, expands $(VAR), and runs in workingDir', async () => {
    dc.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {LEVEL: debug, COLOR: blue}
---
apiVersion: v1
kind: Secret
metadata: {name: creds}
stringData: {password: s3cret}
---
apiVersion: v1
kind: Pod
metadata: {name: envy}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: ${dc.image}
    command: [/bin/sh, -c, 'echo started as $(GREETING); exec sleep 3600']
    workingDir: /tmp
    env:
    - {name: NAME, value: world}
    - {name: GREETING, value: 'hello $(NAME)'}
    - {name: POD_NAME, valueFrom: {fieldRef: {fieldPath: metadata.name}}}
    - {name: POD_NAMESPACE, valueFrom: {fieldRef: {fieldPath: metadata.namespace}}}
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: NODE, valueFrom: {fieldRef: {fieldPath: spec.nodeName}}}
    - {name: LOG_LEVEL, valueFrom: {configMapKeyRef: {name: settings, key: LEVEL}}}
    - {name: PASSWORD, valueFrom: {secretKeyRef: {name: creds, key: password}}}
    envFrom:
    - {configMapRef: {name: settings}, prefix: CFG_}
`);
    await running('envy');
    const r = exec(
      'envy',
      'echo "$GREETING|$POD_NAME|$POD_NAMESPACE|$POD_IP|$NODE|$LOG_LEVEL|$PASSWORD|$CFG_COLOR|$(pwd)"',
    );
    assert.equal(r.code, 0, r.err);
    const podIP = podJson(dc, 'envy')?.status?.podIP;
    assert.ok(podIP);
    assert.equal(r.out.trim(), `hello world|envy|default|${podIP}|kube-workbench-node-1|debug|s3cret|blue|/tmp`);
    assert.match(dc.kubectl(['logs', 'envy']).out, /^started as hello world$/m);
  });

  it('applies securityContext: runAsUser, a read-only root filesystem with a writable emptyDir, dropped capabilities', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: locked}
spec:
  terminationGracePeriodSeconds: 0
  volumes: [{name: scratch, emptyDir: {}}]
  containers:
  - name: user
    image: ${dc.image}
    command: [sleep, '3600']
    securityContext: {runAsUser: 1234, runAsGroup: 2345, readOnlyRootFilesystem: true}
    volumeMounts: [{name: scratch, mountPath: /scratch}]
  - name: root
    image: ${dc.image}
    command: [sleep, '3600']
    securityContext: {capabilities: {drop: [CHOWN]}}
`);
    await running('locked');
    assert.equal(exec('locked', 'id -u; id -g', 'user').out, '1234\n2345\n');
    const ro = exec('locked', 'touch /file', 'user');
    assert.notEqual(ro.code, 0);
    assert.match(ro.err, /Read-only file system/);
    assert.equal(exec('locked', 'echo ok > /scratch/f && cat /scratch/f', 'user').out, 'ok\n');
    const chown = exec('locked', 'touch /tmp/f && chown 1:1 /tmp/f', 'root');
    assert.notEqual(chown.code, 0);
    assert.match(chown.err, /Operation not permitted/);
    assert.equal(exec('locked', 'touch /tmp/g && echo wrote', 'root').out, 'wrote\n');
  });

  it('gives a pod’s fsGroup the claim and emptyDir volumes, and puts a Memory emptyDir on tmpfs', async () => {
    dc.apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: shared}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 10Mi}}
---
apiVersion: v1
kind: Pod
metadata: {name: grouped}
spec:
  terminationGracePeriodSeconds: 0
  securityContext: {runAsUser: 1000, fsGroup: 3000, supplementalGroups: [4000]}
  volumes:
  - {name: data, persistentVolumeClaim: {claimName: shared}}
  - {name: cache, emptyDir: {medium: Memory, sizeLimit: 16Mi}}
  containers:
  - name: main
    image: ${dc.image}
    command: [sleep, '3600']
    volumeMounts: [{name: data, mountPath: /data}, {name: cache, mountPath: /cache}]
`);
    await running('grouped');
    const r = exec(
      'grouped',
      'id -G; stat -c %g /data; echo hi > /data/f && cat /data/f; echo fast > /cache/f && cat /cache/f; grep " /cache " /proc/mounts',
    );
    assert.equal(r.code, 0, r.err);
    const [groups = '', dataGroup, written, cached, mount = ''] = r.out.trim().split('\n');
    assert.deepEqual(groups.split(' ').sort(), ['0', '3000', '4000']);
    assert.equal(dataGroup, '3000');
    assert.equal(written, 'hi');
    assert.equal(cached, 'fast');
    assert.match(mount, /^tmpfs \/cache tmpfs .*size=16384k/);
  });

  it('limits memory and cpu as the container’s cgroup reports them', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: limited}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: main
    image: ${dc.image}
    command: [sleep, '3600']
    resources: {limits: {memory: 64Mi, cpu: 500m}, requests: {memory: 32Mi, cpu: 250m}}
`);
    await running('limited');
    const memory = exec(
      'limited',
      'cat /sys/fs/cgroup/memory.max 2>/dev/null || cat /sys/fs/cgroup/memory/memory.limit_in_bytes',
    );
    assert.equal(memory.out.trim(), String(64 * 1024 * 1024));
    const cpu = exec(
      'limited',
      'cat /sys/fs/cgroup/cpu.max 2>/dev/null || echo "$(cat /sys/fs/cgroup/cpu/cpu.cfs_quota_us) $(cat /sys/fs/cgroup/cpu/cpu.cfs_period_us)"',
    );
    const [quota, period] = cpu.out.trim().split(' ').map(Number);
    assert.ok(quota && period, cpu.out);
    assert.equal(quota / period, 0.5);
  });

  it('runs init containers to completion in order before the app container', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: staged}
spec:
  terminationGracePeriodSeconds: 0
  volumes: [{name: work, emptyDir: {}}]
  initContainers:
  - {name: first, image: ${dc.image}, command: [sh, -c, 'sleep 1; echo first >> /work/order'], volumeMounts: [{name: work, mountPath: /work}]}
  - {name: second, image: ${dc.image}, command: [sh, -c, 'echo second >> /work/order'], volumeMounts: [{name: work, mountPath: /work}]}
  containers:
  - {name: app, image: ${dc.image}, command: [sh, -c, 'echo app >> /work/order; exec sleep 3600'], volumeMounts: [{name: work, mountPath: /work}]}
`);
    await running('staged');
    assert.equal(exec('staged', 'cat /work/order').out, 'first\nsecond\napp\n');
    const pod = JSON.parse(dc.kubectl(['get', 'pod', 'staged', '-o', 'json']).out) as {
      status: {
        initContainerStatuses: { name: string; state: { terminated?: { exitCode: number; reason: string } } }[];
      };
    };
    assert.deepEqual(
      pod.status.initContainerStatuses.map((s) => [s.name, s.state.terminated?.reason]),
      [
        ['first', 'Completed'],
        ['second', 'Completed'],
      ],
    );
  });

  it('mounts Secret items with their modes, and follows a ConfigMap change in its volume', async () => {
    dc.apply(`apiVersion: v1
kind: Secret
metadata: {name: tls}
stringData: {key.pem: PRIVATE, cert.pem: PUBLIC}
---
apiVersion: v1
kind: ConfigMap
metadata: {name: live}
data: {mode: one}
---
apiVersion: v1
kind: Pod
metadata: {name: mounted}
spec:
  terminationGracePeriodSeconds: 0
  volumes:
  - name: tls
    secret: {secretName: tls, defaultMode: 0444, items: [{key: key.pem, path: private/key.pem, mode: 0400}, {key: cert.pem, path: cert.pem}]}
  - {name: live, configMap: {name: live}}
  containers:
  - name: main
    image: ${dc.image}
    command: [sleep, '3600']
    volumeMounts: [{name: tls, mountPath: /etc/tls, readOnly: true}, {name: live, mountPath: /etc/live}]
`);
    await running('mounted');
    const files = exec(
      'mounted',
      'cat /etc/tls/private/key.pem; echo; cat /etc/tls/cert.pem; echo; stat -L -c %a /etc/tls/private/key.pem /etc/tls/cert.pem',
    );
    assert.equal(files.code, 0, files.err);
    assert.equal(files.out, 'PRIVATE\nPUBLIC\n400\n444\n');
    assert.equal(exec('mounted', 'cat /etc/live/mode').out, 'one');
    dc.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: live}
data: {mode: two}
`);
    await eventually(
      'the ConfigMap change reaches the file',
      60,
      () => exec('mounted', 'cat /etc/live/mode').out === 'two',
    );
  });

  it('keeps a PVC’s data after its pod is deleted, and runs preStop then SIGTERM on delete', async () => {
    const pod = (name: string, script: string) => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 20
  volumes: [{name: data, persistentVolumeClaim: {claimName: data}}]
  containers:
  - name: main
    image: ${dc.image}
    command: [sh, -c, '${script}']
    volumeMounts: [{name: data, mountPath: /data}]
    lifecycle: {preStop: {exec: {command: [sh, -c, 'echo prestop >> /data/log']}}}
`;
    dc.apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 100Mi}}
---
${pod('writer', 'echo written >> /data/log; trap "echo term >> /data/log; exit 0" TERM; while true; do sleep 0.2; done')}`);
    await running('writer');
    const started = Date.now();
    const del = dc.kubectl(['delete', 'pod', 'writer', '--wait=true', '--timeout=60s']);
    assert.equal(del.code, 0, del.err);
    // The process exits on SIGTERM, so deletion does not wait out the 20 s grace period.
    assert.ok(Date.now() - started < 15_000, `delete took ${Date.now() - started} ms`);
    dc.apply(pod('reader', 'exec sleep 3600'));
    await running('reader');
    assert.equal(exec('reader', 'cat /data/log').out, 'written\nprestop\nterm\n');
  });

  it('restarts a container whose liveness probe fails, and kubectl logs --previous shows the run before', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: sickly}
spec:
  terminationGracePeriodSeconds: 0
  volumes: [{name: state, emptyDir: {}}]
  containers:
  - name: main
    image: ${dc.image}
    # The first run turns unhealthy after 2 s; the run after the restart stays healthy (the emptyDir
    # outlives the container), so "previous" and "current" name one run each while the test reads them.
    command: [sh, -c, 'echo run $RANDOM$RANDOM; touch /tmp/alive; if [ ! -e /state/once ]; then touch /state/once; sleep 2; rm /tmp/alive; fi; exec sleep 3600']
    volumeMounts: [{name: state, mountPath: /state}]
    livenessProbe: {exec: {command: [test, -f, /tmp/alive]}, periodSeconds: 1, failureThreshold: 2}
`);
    const status = await eventually('sickly restarted by its liveness probe', 90, () => {
      const s = containerStatus(dc, 'sickly');
      return s && s.restartCount >= 1 && s.state.running ? s : undefined;
    });
    assert.equal(status.restartCount, 1);
    const events = dc.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=sickly', '-o', 'wide']).out;
    assert.match(events, /Unhealthy/);
    assert.match(events, /Liveness probe failed/);
    const previous = dc.kubectl(['logs', 'sickly', '--previous']);
    assert.equal(previous.code, 0, previous.err);
    const current = await eventually(
      'the new run has logged',
      30,
      () => dc.kubectl(['logs', 'sickly']).out || undefined,
    );
    assert.match(previous.out, /^run \d+\n$/);
    assert.match(current, /^run \d+\n$/);
    assert.notEqual(previous.out, current);
  });

  it('refuses a hostPath volume unless the cluster allows it, saying so in the pod’s events', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: hosty}
spec:
  terminationGracePeriodSeconds: 0
  volumes: [{name: host, hostPath: {path: /etc}}]
  containers:
  - {name: main, image: ${dc.image}, command: [sleep, '3600'], volumeMounts: [{name: host, mountPath: /host}]}
`);
    const text = await eventually('an event says hostPath is not allowed', 60, () => {
      const out = dc.kubectl(['describe', 'pod', 'hosty']).out;
      return /hostPath/i.test(out) && /allow/i.test(out) ? out : undefined;
    });
    assert.doesNotMatch(text, /Status:\s+Running/);
    assert.equal((await dc.containers({ [LABEL.podName]: 'hosty', [LABEL.container]: 'main' })).length, 0);
  });
});
