/**
 * Ephemeral debug containers with the real kubectl: `kubectl debug --target` on Docker starts a
 * busybox container that sees the target's processes (and one without a target does not),
 * interactively (`-i`, over `pods/attach`) and not (then `kubectl logs -c`); `kubectl exec` reaches a
 * running one. Then the `pods/ephemeralcontainers` subresource against hostile bodies (on the fake
 * runtime): only additions, Kubernetes' field rules, nothing stored on refusal.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { PassThrough } from 'node:stream';
import { DEBUG_SHELL_IMAGE } from '../../client/orchestrator/protocol/index.js';
import { attachSession, startDebugContainer } from '../../client/src/explorer/debug-shell.js';
import { ClusterConnection } from '../../client/src/kube/cluster-connection.js';
import { clusterFixture } from './support/cluster-process.js';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';
import { rawRequest, statusMessage } from './support/raw-api.js';

interface EphemeralStatus {
  name: string;
  state: { running?: object; terminated?: { exitCode: number }; waiting?: { reason: string } };
}

describe('kubectl debug on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: target}
spec:
  terminationGracePeriodSeconds: 0
  containers:
  - name: app
    image: ${dc.image}
    command: [/bin/sh, -c, 'exec sleep 3601']
`);
    const r = dc.kubectl(['wait', '--for=condition=Ready', 'pod/target', '--timeout=60s']);
    assert.equal(r.code, 0, r.err);
  });
  after(async () => {
    await dc?.destroy();
  });

  const ephemeral = (name: string): EphemeralStatus | undefined => {
    const r = dc.kubectl(['get', 'pod', 'target', '-o', 'json']);
    if (r.code !== 0) return undefined;
    const pod = JSON.parse(r.out) as { status?: { ephemeralContainerStatuses?: EphemeralStatus[] } };
    return pod.status?.ephemeralContainerStatuses?.find((s) => s.name === name);
  };
  /** kubectl with `input` written to its stdin, which is kept open until kubectl exits (60 s at most). */
  const interactive = (args: string[], input: string) =>
    new Promise<{ code: number | null; out: string; err: string }>((resolve) => {
      const child = spawn('kubectl', [
        '--kubeconfig',
        dc.cluster.kubeconfig,
        '--cache-dir',
        join(dc.root, 'cache'),
        ...args,
      ]);
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      const timer = setTimeout(() => child.kill(), 60_000);
      child.on('close', (code) => {
        clearTimeout(timer);
        resolve({ code, out, err });
      });
      child.stdin.write(input);
    });
  const finished = (name: string) =>
    eventually(`${name} to finish`, 30, () => ephemeral(name)?.state.terminated !== undefined);

  it('runs `ps` in a debug container that shares the target container’s processes; one without a target does not see them', async () => {
    const r = dc.kubectl(['debug', 'target', `--image=${dc.image}`, '--target=app', '-c', 'dbg', '--', 'ps']);
    assert.equal(r.code, 0, r.err);
    await finished('dbg');
    const seen = dc.kubectl(['logs', 'target', '-c', 'dbg']);
    assert.equal(seen.code, 0, seen.err);
    assert.match(seen.out, /sleep 3601/);

    const alone = dc.kubectl(['debug', 'target', `--image=${dc.image}`, '-c', 'alone', '--', 'ps']);
    assert.equal(alone.code, 0, alone.err);
    await finished('alone');
    const own = dc.kubectl(['logs', 'target', '-c', 'alone']);
    assert.equal(own.code, 0, own.err);
    assert.match(own.out, /ps/);
    assert.doesNotMatch(own.out, /sleep 3601/);
    // The pod's own containers are untouched: still one running app, never restarted.
    const app = dc.kubectl(['get', 'pod', 'target', '-o', 'jsonpath={.status.containerStatuses[0].restartCount}']);
    assert.equal(app.out, '0');
  });

  it('attaches `kubectl debug -i` to a shell in the debug container, and `kubectl exec` reaches a running one', async () => {
    // stdin stays open, as a person's would: the shell's own `exit` ends the session.
    const r = await interactive(
      ['debug', '-i', 'target', `--image=${dc.image}`, '--target=app', '-c', 'shell', '--', 'sh'],
      'echo from-the-debug-shell; ps; exit 3\n',
    );
    assert.match(r.out, /from-the-debug-shell/, r.err);
    assert.match(r.out, /sleep 3601/);
    await finished('shell');
    assert.equal(ephemeral('shell')?.state.terminated?.exitCode, 3);

    const started = dc.kubectl([
      'debug',
      'target',
      `--image=${dc.image}`,
      '--target=app',
      '-c',
      'sleeper',
      '--',
      'sleep',
      '3602',
    ]);
    assert.equal(started.code, 0, started.err);
    await eventually('sleeper running', 30, () => ephemeral('sleeper')?.state.running !== undefined);
    const ps = dc.kubectl(['exec', 'target', '-c', 'sleeper', '--', 'ps']);
    assert.equal(ps.code, 0, ps.err);
    assert.match(ps.out, /sleep 3601/);
    assert.match(ps.out, /sleep 3602/);
  });

  it("the tree's Debug Shell: a container of the default image (made locally from busybox) attached with a TTY", async () => {
    const conn = await ClusterConnection.fromKubeconfig(dc.cluster.kubeconfig);
    const target = { namespace: 'default', pod: 'target', container: 'app' };
    const name = await startDebugContainer(conn, target, DEBUG_SHELL_IMAGE);
    const stdout = Object.assign(new PassThrough(), { columns: 120, rows: 30 });
    const stdin = new PassThrough();
    let seen = '';
    stdout.on('data', (c: Buffer) => (seen += c.toString()));
    const ended = new Promise<string>((resolve) => {
      void attachSession(conn, target, name)({ stdout, stdin }, resolve);
    });
    await eventually('a prompt', 30, () => seen.includes('#'));
    stdin.write('ps -o pid,args; exit 4\r');
    assert.match(await ended, /debug shell ended/);
    assert.match(seen, /sleep 3601/);
    await finished(name);
    assert.equal(ephemeral(name)?.state.terminated?.exitCode, 4);
  });
});

describe('pods/ephemeralcontainers against hostile bodies', () => {
  const k = clusterFixture('kw-ephemeral-');
  const path = '/api/v1/namespaces/default/pods/victim/ephemeralcontainers';
  const smp = 'application/strategic-merge-patch+json';
  const debugger1 = { name: 'debugger', image: 'busybox:1.36', stdin: true, tty: true };

  before(() => {
    // The fixture's `before` runs first (registered first): the cluster is up.
    k.apply(`apiVersion: v1
kind: Pod
metadata: {name: victim}
spec:
  containers:
  - {name: app, image: nginx:1.27}
`);
  });

  const stored = async () => {
    const r = await rawRequest(k.cluster, 'GET', path);
    assert.equal(r.status, 200, r.body);
    return JSON.parse(r.body) as {
      kind: string;
      metadata: { resourceVersion: string };
      spec: { containers: { image: string }[]; ephemeralContainers?: Record<string, unknown>[] };
      status?: { ephemeralContainerStatuses?: EphemeralStatus[] };
    };
  };

  it('is listed in discovery and adds a container by strategic merge patch; the fake runtime runs it', async () => {
    const discovery = JSON.parse(k.ok(['get', '--raw', '/api/v1'])) as {
      resources: { name: string; verbs: string[] }[];
    };
    const sub = discovery.resources.find((r) => r.name === 'pods/ephemeralcontainers');
    assert.deepEqual(sub?.verbs, ['get', 'patch', 'update']);
    assert.ok(discovery.resources.some((r) => r.name === 'pods/attach'));

    const r = await rawRequest(k.cluster, 'PATCH', path, {
      body: { spec: { ephemeralContainers: [debugger1] } },
      contentType: smp,
    });
    assert.equal(r.status, 200, r.body);
    const pod = await stored();
    assert.equal(pod.kind, 'Pod');
    assert.equal(pod.spec.ephemeralContainers?.[0]?.name, 'debugger');
    assert.equal(pod.spec.ephemeralContainers?.[0]?.terminationMessagePolicy, 'File');
    await eventually('the debugger running', 20, async () => {
      const s = (await stored()).status?.ephemeralContainerStatuses?.[0];
      return s?.state.running !== undefined;
    });
  });

  it('attaches kubectl to a running debug container of the fake runtime (its output, then its stdin echoed)', () => {
    const r = k.kubectl(['attach', 'victim', '-c', 'debugger', '-i'], 'hello-attach\n');
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /debugger started\nhello-attach/);
    const exec = k.kubectl(['exec', 'victim', '-c', 'debugger', '--', 'echo', 'in-debugger']);
    assert.equal(exec.code, 0, exec.err);
    assert.match(exec.out, /echo in-debugger/);
  });

  const refused = async (body: unknown, contentType: string, status: number, message: RegExp) => {
    const before = await stored();
    const r = await rawRequest(k.cluster, 'PATCH', path, { body, contentType });
    assert.equal(r.status, status, r.body);
    assert.match(statusMessage(r.body), message);
    const afterwards = await stored();
    assert.equal(afterwards.metadata.resourceVersion, before.metadata.resourceVersion, 'nothing was written');
  };

  it('refuses to change or remove an existing ephemeral container', async () => {
    await refused(
      [{ op: 'replace', path: '/spec/ephemeralContainers/0/image', value: 'evil:1' }],
      'application/json-patch+json',
      422,
      /spec\.ephemeralContainers\[0\]: Forbidden: existing ephemeral containers "debugger" may not be changed/,
    );
    await refused(
      { spec: { ephemeralContainers: null } },
      'application/merge-patch+json',
      422,
      /spec\.ephemeralContainers: Forbidden: existing ephemeral containers "debugger" may not be removed/,
    );
  });

  it('refuses ports, probes, resources, a duplicate name and a missing target, with their fields', async () => {
    const add = (c: Record<string, unknown>) => ({ spec: { ephemeralContainers: [debugger1, c] } });
    await refused(
      add({
        name: 'bad',
        image: 'busybox:1.36',
        ports: [{ containerPort: 80 }],
        livenessProbe: { tcpSocket: { port: 80 } },
        resources: { limits: { memory: '1Gi' } },
        targetContainerName: 'ghost',
      }),
      smp,
      422,
      /spec\.ephemeralContainers\[1\]\.ports: Forbidden: cannot be set for an Ephemeral Container.*livenessProbe.*resources.*spec\.ephemeralContainers\[1\]\.targetContainerName: Not found: "ghost"/,
    );
    await refused(
      add({ name: 'app', image: 'busybox:1.36' }),
      smp,
      422,
      /spec\.ephemeralContainers\[1\]\.name: Duplicate value: "app"/,
    );
    await refused(add({ name: 'no-image' }), smp, 422, /spec\.ephemeralContainers\[1\]\.image: Required value/);
  });

  it('refuses bodies of the wrong shape, and takes nothing but the ephemeral containers from a PUT', async () => {
    await refused(
      { spec: { ephemeralContainers: 'all of them' } },
      'application/merge-patch+json',
      422,
      /must be a list/,
    );
    await refused([1, 2], 'application/merge-patch+json', 400, /must be a Pod object/);
    await refused(
      { spec: { ephemeralContainers: [debugger1, { name: '__proto__', image: 'x:1' }] } },
      smp,
      422,
      /spec\.ephemeralContainers\[1\]\.name: Invalid value: "__proto__"/,
    );
    await refused({ kind: 'Secret', apiVersion: 'v1' }, 'application/merge-patch+json', 400, /v1 Pod/);
    const nested = `${'['.repeat(100_000)}${']'.repeat(100_000)}`;
    const deep = `{"spec":{"ephemeralContainers":[${JSON.stringify(debugger1)},{"name":"deep","image":"x:1","args":${nested}}]}}`;
    await refused(deep, smp, 400, /exceeded max depth/);

    const pod = await stored();
    const put = await rawRequest(k.cluster, 'PUT', path, {
      body: {
        ...pod,
        spec: {
          ...pod.spec,
          containers: [{ name: 'app', image: 'changed:2' }],
          ephemeralContainers: [...(pod.spec.ephemeralContainers ?? []), { name: 'second', image: 'busybox:1.36' }],
        },
      },
    });
    assert.equal(put.status, 200, put.body);
    const afterwards = await stored();
    assert.equal(afterwards.spec.containers[0]?.image, 'nginx:1.27');
    assert.deepEqual(
      afterwards.spec.ephemeralContainers?.map((c) => c.name),
      ['debugger', 'second'],
    );
    const stale = await rawRequest(k.cluster, 'PUT', path, { body: pod });
    assert.equal(stale.status, 409, stale.body);
  });
});
