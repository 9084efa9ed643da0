/**
 * The Docker kubelet against the real engine: pods of real containers, seen
 * through kubectl the way a user sees them. Every container, volume and
 * network the cluster makes is removed at the end (by its cluster label).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { after, before, describe, it } from 'node:test';
import { LABEL } from '../../client/orchestrator/kubelet/docker-labels.js';
import {
  containerStatus,
  eventually,
  podJson,
  startDockerCluster,
  type DockerCluster,
} from './support/docker-cluster.js';

describe('kubelet on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  /** How many times the pod's Warning events with reason Failed have been seen (their counts summed). */
  const failedEvents = (pod: string) => {
    const r = dc.kubectl([
      'get',
      'events',
      '--field-selector',
      `involvedObject.name=${pod},reason=Failed`,
      '-o',
      'jsonpath={.items[*].count}',
    ]);
    return r.out
      .split(' ')
      .filter(Boolean)
      .reduce((sum, n) => sum + Number(n), 0);
  };
  const containerOf = async (pod: string, container: string) => {
    const list = await dc.containers({ [LABEL.podName]: pod, [LABEL.container]: container });
    return list.find((c) => c.state === 'running');
  };
  const logsOf = async (id: string) => {
    const stream = await dc.engine.logs(id, { follow: false, timestamps: false });
    let text = '';
    for await (const chunk of stream) text += String(chunk);
    return text;
  };

  it('runs two containers in one pod that talk over localhost, with a pod IP on the cluster network', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: pair}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: web
    image: ${dc.image}
    command: [/bin/httpd, -f, -p, "8080", -h, /www]
    ports: [{containerPort: 8080, name: http}]
    readinessProbe: {httpGet: {path: /, port: http}, periodSeconds: 1}
  - name: client
    image: ${dc.image}
    command: [/bin/sh, -c, 'while true; do wget -qO- http://localhost:8080/ && sleep 1 || sleep 0.2; done']
`);
    await eventually('pair Running and 2/2 ready', 60, () => {
      const pod = podJson(dc, 'pair');
      const statuses = pod?.status?.containerStatuses ?? [];
      return pod?.status?.phase === 'Running' && statuses.length === 2 && statuses.every((s) => s.ready);
    });
    const wide = dc.kubectl(['get', 'pods', 'pair', '-o', 'wide']);
    assert.match(wide.out, /pair\s+2\/2\s+Running\s+0\s+\S+\s+(\d+\.\d+\.\d+\.\d+)\s+kube-workbench-node-1/);
    const client = await containerOf('pair', 'client');
    assert.ok(client, 'the client container runs');
    const text = await eventually('the client fetched the page over localhost', 30, async () => {
      const logs = await logsOf(client.id);
      return logs.includes('hello from kube-workbench') ? logs : undefined;
    });
    assert.match(text, /hello from kube-workbench/);
  });

  it('serves kubectl logs (tail, timestamps, follow) and exec (exit code, stdin, interactive shell) from real containers', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: talker}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: ${dc.image}
    command: [/bin/sh, -c, 'i=0; while true; do echo line $i; i=$((i+1)); sleep 0.2; done']
`);
    await eventually('talker has logged a few lines', 60, () => /line 3/.test(dc.kubectl(['logs', 'talker']).out));
    const tail = dc.kubectl(['logs', 'talker', '--tail=2']);
    assert.equal(tail.code, 0, tail.err);
    assert.equal(tail.out.trim().split('\n').length, 2);
    assert.match(dc.kubectl(['logs', 'talker', '--tail=1', '--timestamps']).out, /^\d{4}-\d\d-\d\dT\S+Z line \d+\n$/);
    // follow: new lines keep coming until kubectl is stopped
    const follow = spawnSync('kubectl', ['--kubeconfig', dc.cluster.kubeconfig, 'logs', '-f', 'talker', '--tail=1'], {
      encoding: 'utf8',
      timeout: 3000,
    });
    assert.ok(follow.stdout.trim().split('\n').length >= 3, `follow streamed lines: ${follow.stdout}`);

    const run = dc.kubectl(['exec', 'talker', '--', 'sh', '-c', 'echo out; echo err >&2; exit 3']);
    assert.equal(run.code, 3);
    assert.equal(run.out, 'out\n');
    assert.match(run.err, /err\n[\s\S]*command terminated with exit code 3/);
    const piped = dc.kubectl(['exec', '-i', 'talker', '--', 'sh'], 'echo from-stdin; hostname\n');
    assert.equal(piped.code, 0, piped.err);
    assert.equal(piped.out, 'from-stdin\ntalker\n');
    // An interactive shell on a terminal (script gives kubectl a pty).
    const shell = spawnSync(
      'script',
      ['-qec', `kubectl --kubeconfig ${dc.cluster.kubeconfig} exec -it talker -- sh`, '/dev/null'],
      { input: 'echo TTY-$((40+2)); tty\nexit 5\n', encoding: 'utf8', timeout: 20_000 },
    );
    assert.match(shell.stdout, /TTY-42/);
    assert.match(shell.stdout, /\/dev\/pts\/\d+/);
    assert.equal(shell.status, 5);
  });

  it('restarts a container killed with docker kill (restartCount 1, last state exit 137)', async () => {
    const web = await containerOf('pair', 'web');
    assert.ok(web);
    await dc.engine.stop(web.id, 0);
    const status = await eventually('web restarted', 60, () => {
      const s = containerStatus(dc, 'pair', 'web');
      return s?.restartCount === 1 && s.state.running ? s : undefined;
    });
    assert.equal(status.lastState.terminated?.exitCode, 137);
    assert.notEqual(status.containerID, `docker://${web.id}`);
  });

  it('recreates a pod whose containers were removed with docker rm -f', async () => {
    for (const c of await dc.containers({ [LABEL.podName]: 'pair' })) await dc.engine.remove(c.id);
    await eventually('pair running again on new containers', 60, async () => {
      const running = (await dc.containers({ [LABEL.podName]: 'pair' })).filter((c) => c.state === 'running');
      return running.length === 3 && podJson(dc, 'pair')?.status?.phase === 'Running';
    });
  });

  it('runs a pod again in a new sandbox when its sandbox goes while a container is being replaced, without calling it a container failure', async () => {
    const [sandbox] = await dc.containers({ [LABEL.podName]: 'pair', [LABEL.role]: 'sandbox' });
    const web = await containerOf('pair', 'web');
    assert.ok(sandbox && web);
    const old = (await dc.containers({ [LABEL.podName]: 'pair', [LABEL.role]: 'container' })).map((c) => c.id);
    const failuresBefore = failedEvents('pair');
    await dc.engine.remove(web.id); // the kubelet starts replacing it in the sandbox...
    await new Promise((r) => setTimeout(r, 40));
    await dc.engine.remove(sandbox.id); // ...which then goes too
    const now = await eventually('pair running again in a new sandbox', 60, async () => {
      const all = await dc.containers({ [LABEL.podName]: 'pair' });
      const running = all.filter((c) => c.state === 'running');
      const fresh = running.length === 3 && !all.some((c) => c.id === sandbox.id || old.includes(c.id));
      return fresh && podJson(dc, 'pair')?.status?.phase === 'Running' ? all : undefined;
    });
    assert.equal(now.length, 3, 'the new sandbox and two containers, nothing of the old sandbox');
    assert.equal(failedEvents('pair'), failuresBefore, 'no container failure was reported');
  });

  it('mounts a ConfigMap as files the container reads', async () => {
    dc.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {greeting: hello-from-configmap, other: x}
---
apiVersion: v1
kind: Pod
metadata: {name: reader}
spec:
  terminationGracePeriodSeconds: 1
  volumes: [{name: cfg, configMap: {name: settings, items: [{key: greeting, path: greeting.txt}]}}]
  containers:
  - name: main
    image: ${dc.image}
    command: [/bin/sh, -c, 'while true; do cat /etc/cfg/greeting.txt; echo; ls /etc/cfg; sleep 1; done']
    volumeMounts: [{name: cfg, mountPath: /etc/cfg}]
`);
    const main = await eventually('reader running', 60, () => containerOf('reader', 'main'));
    await eventually('the file content in the logs', 30, async () =>
      (await logsOf(main.id)).includes('hello-from-configmap'),
    );
    assert.doesNotMatch(await logsOf(main.id), /^other$/m);
    dc.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: settings}
data: {greeting: changed-value}
`);
    await eventually('the updated file in the logs', 30, async () => (await logsOf(main.id)).includes('changed-value'));
  });

  it('shows CrashLoopBackOff with growing back-off for a container that keeps failing', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: crasher}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: ${dc.image}
    command: [/bin/sh, -c, 'echo failing; exit 3']
`);
    const first = await eventually('CrashLoopBackOff after the first restart', 60, () => {
      const s = containerStatus(dc, 'crasher');
      return s?.state.waiting?.reason === 'CrashLoopBackOff' && s.restartCount >= 1 ? s : undefined;
    });
    assert.equal(first.lastState.terminated?.exitCode, 3);
    assert.match(first.state.waiting?.message ?? '', /back-off 10s restarting failed container=main/);
    const later = await eventually('a longer back-off', 90, () => {
      const s = containerStatus(dc, 'crasher');
      return s?.state.waiting?.reason === 'CrashLoopBackOff' && /back-off 20s/.test(s.state.waiting.message ?? '')
        ? s
        : undefined;
    });
    assert.ok(later.restartCount >= 2);
    assert.match(dc.kubectl(['get', 'pod', 'crasher']).out, /crasher\s+0\/1\s+CrashLoopBackOff/);
  });

  it('reports ErrImagePull then ImagePullBackOff with the engine message for an image that is nowhere', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: missing}
spec:
  containers: [{name: main, image: 127.0.0.1:9/kube-workbench-test/does-not-exist:1}]
`);
    // The image names a registry on a closed loopback port: the pull fails at once, on this machine.
    const s = await eventually('ImagePullBackOff', 90, () => {
      const c = containerStatus(dc, 'missing');
      return c?.state.waiting?.reason === 'ImagePullBackOff' ? c : undefined;
    });
    assert.ok((s.state.waiting?.message ?? '').length > 0, 'the engine says why');
    const events = dc.kubectl(['get', 'events', '--field-selector', 'involvedObject.name=missing']);
    assert.match(events.out, /Failed to pull image "127\.0\.0\.1:9\/kube-workbench-test\/does-not-exist:1"/);
    dc.kubectl(['delete', 'pod', 'missing', '--wait=false']);
  });

  it('adopts its running containers after an orchestrator restart: no duplicates, no orphans', async () => {
    dc.kubectl(['delete', 'pod', 'crasher', '--wait=false']);
    await eventually(
      'crasher gone',
      60,
      async () => (await dc.containers({ [LABEL.podName]: 'crasher' })).length === 0,
    );
    const running = async () =>
      (await dc.containers())
        .filter((c) => c.state === 'running')
        .map((c) => c.id)
        .sort();
    const before = await running();
    assert.equal(before.length, 5, 'pair (sandbox + 2), talker and reader (one container each, owning its network)');
    await dc.restart();
    await eventually('pods synced after the restart', 60, () =>
      /pair\s+2\/2\s+Running/.test(dc.kubectl(['get', 'pod', 'pair']).out),
    );
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(await running(), before, 'the same containers run, none added');
    const all = await dc.containers();
    assert.equal(
      all.filter((c) => c.state !== 'running' && c.labels[LABEL.role] === 'sandbox').length,
      0,
      'no dead sandboxes left',
    );
    assert.match(dc.kubectl(['get', 'pod', 'pair']).out, /pair\s+2\/2\s+Running/);
  });
});
