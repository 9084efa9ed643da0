/**
 * Pods without a sandbox on the real engine: on a cluster network made with a range of fixed pod IPs, a pod of one
 * app container is that one container, holding the pod's IP (in its environment too, if asked), hostname and DNS
 * search list. When it stops and
 * restarts, a sandbox with the same IP takes the network over (another pod starting meanwhile never takes the
 * address); a debug container that joined the running app ends with it or loses its network; `kubectl debug`
 * reaches a crashing pod; both kinds of pods are adopted after the cluster process restarts. A cluster whose
 * network was made without a subnet of its own keeps a sandbox per pod.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { get } from 'node:http';
import { after, before, describe, it } from 'node:test';
import { LABEL, networkName } from '../../client/orchestrator/kubelet/docker-labels.js';
import {
  containerStatus,
  eventually,
  podJson,
  startDockerCluster,
  type DockerCluster,
} from './support/docker-cluster.js';

/** The body of a GET to the pod's IP (the host reaches the cluster network on Linux). */
const fetchFrom = (ip: string, port: number) =>
  new Promise<string>((resolve, reject) => {
    const req = get({ host: ip, port, path: '/', timeout: 5000 }, (res) => {
      let body = '';
      res.on('data', (c: Buffer) => (body += c.toString()));
      res.on('end', () => resolve(body));
    });
    req.on('timeout', () => req.destroy(new Error('timed out')));
    req.on('error', reject);
  });

/** A pod of one httpd container; `more`: lines added to the container (indented four spaces). */
const web = (name: string, image: string, more = '') => `apiVersion: v1
kind: Pod
metadata: {name: ${name}}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - name: main
    image: ${image}
    command: [/bin/httpd, -f, -p, "8080", -h, /www]
    readinessProbe: {tcpSocket: {port: 8080}, periodSeconds: 1}
${more}`;

const running = async (dc: DockerCluster) =>
  (await dc.containers())
    .filter((c) => c.state === 'running' && c.labels[LABEL.role] !== 'proxy')
    .map((c) => c.id)
    .sort();

const podIp = (dc: DockerCluster, pod: string) => podJson(dc, pod)?.status?.podIP ?? '';

interface EphemeralStatus {
  name: string;
  state: { running?: object; terminated?: { exitCode: number } };
}

function ephemeral(dc: DockerCluster, pod: string, name: string): EphemeralStatus | undefined {
  const r = dc.kubectl(['get', 'pod', pod, '-o', 'json']);
  if (r.code !== 0) return undefined;
  const json = JSON.parse(r.out) as { status?: { ephemeralContainerStatuses?: EphemeralStatus[] } };
  return json.status?.ephemeralContainerStatuses?.find((s) => s.name === name);
}

async function readyPods(dc: DockerCluster, names: string[]): Promise<void> {
  await eventually(`${names.join(', ')} Running and ready`, 90, () =>
    names.every((n) => {
      const s = containerStatus(dc, n);
      return s?.ready === true && podIp(dc, n) !== '';
    }),
  );
}

describe('pods whose app container owns the network, on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    dc = await startDockerCluster();
  });
  after(async () => {
    await dc?.destroy();
  });

  it('runs a one-container pod as one container holding the pod IP (in the network’s pod range), hostname and DNS', async () => {
    dc.apply(web('solo', dc.image));
    await readyPods(dc, ['solo']);
    const mine = await dc.containers({ [LABEL.podName]: 'solo' });
    assert.equal(mine.length, 1, 'no sandbox');
    assert.equal(mine[0]!.labels[LABEL.ownsNetwork], 'true');
    const ip = podIp(dc, 'solo');
    assert.equal((await dc.engine.inspect(mine[0]!.id))?.ips[networkName(dc.clusterId)], ip);
    const net = spawnSync('docker', ['network', 'inspect', networkName(dc.clusterId), '--format', '{{json .}}'], {
      encoding: 'utf8',
    });
    const info = JSON.parse(net.stdout) as { Labels: Record<string, string>; IPAM: { Config: { IPRange: string }[] } };
    const range = info.Labels[LABEL.podIps] ?? '';
    assert.match(range, /^\d+\.\d+\.\d+\.\d+\/\d+$/);
    assert.notEqual(info.IPAM.Config[0]?.IPRange, range, 'the engine hands out the other half');
    assert.equal(ip.split('.').slice(0, 2).join('.'), range.split('.').slice(0, 2).join('.'));
    const r = dc.kubectl(['exec', 'solo', '--', 'sh', '-c', 'hostname; cat /etc/resolv.conf']);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /^solo\n/);
    assert.match(r.out, /search default\.svc\.cluster\.local svc\.cluster\.local cluster\.local/);
    assert.match(await fetchFrom(ip, 8080), /hello from kube-workbench/);
  });

  it('runs a pod whose environment holds its own IP as one container, with that IP in the environment', async () => {
    dc.apply(
      web(
        'knows-ip',
        dc.image,
        `    env:
    - {name: POD_IP, valueFrom: {fieldRef: {fieldPath: status.podIP}}}
    - {name: AT, value: "$(POD_IP):8080"}
`,
      ),
    );
    await readyPods(dc, ['knows-ip']);
    const mine = await dc.containers({ [LABEL.podName]: 'knows-ip' });
    assert.equal(mine.length, 1, 'no sandbox');
    assert.equal(mine[0]!.labels[LABEL.ownsNetwork], 'true');
    const ip = podIp(dc, 'knows-ip');
    const r = dc.kubectl(['exec', 'knows-ip', '--', 'sh', '-c', 'echo "$POD_IP $AT"']);
    assert.equal(r.code, 0, r.err);
    assert.equal(r.out.trim(), `${ip} ${ip}:8080`);
    dc.kubectl(['delete', 'pod', 'knows-ip', '--wait=false']);
    await eventually(
      'knows-ip gone',
      60,
      async () => (await dc.containers({ [LABEL.podName]: 'knows-ip' })).length === 0,
    );
  });

  it('keeps the pod IP when its container restarts (a sandbox takes the network over), while other pods start', async () => {
    const ip = podIp(dc, 'solo');
    const [owner] = await dc.containers({ [LABEL.podName]: 'solo' });
    assert.ok(owner);
    // Debug containers that joined the running app: one in its process namespace (--target), one in its own.
    for (const [name, target] of [
      ['tied', ['--target=main']],
      ['loose', []],
    ] as const) {
      const r = dc.kubectl(['debug', 'solo', `--image=${dc.image}`, ...target, '-c', name, '--', 'sleep', '3600']);
      assert.equal(r.code, 0, r.err);
    }
    await eventually('both debug containers running', 60, () =>
      ['tied', 'loose'].every((n) => ephemeral(dc, 'solo', n)?.state.running),
    );
    // The engine gives the lowest free address to the next container: start pods just as the owner stops.
    await dc.engine.stop(owner.id, 0);
    dc.apply([web('rival-1', dc.image), web('rival-2', dc.image)].join('---\n'));
    const s = await eventually('solo restarted', 90, () => {
      const c = containerStatus(dc, 'solo');
      return c?.restartCount === 1 && c.ready ? c : undefined;
    });
    assert.equal(s.lastState.terminated?.exitCode, 137);
    assert.equal(podIp(dc, 'solo'), ip, 'the same pod IP');
    await readyPods(dc, ['rival-1', 'rival-2']);
    const ips = new Set([ip, podIp(dc, 'rival-1'), podIp(dc, 'rival-2')]);
    assert.equal(ips.size, 3, 'every pod has its own IP');
    const [sandbox] = await dc.containers({ [LABEL.podName]: 'solo', [LABEL.role]: 'sandbox' });
    assert.equal(sandbox?.labels[LABEL.takesOver], owner.id);
    assert.equal(sandbox.labels[LABEL.podIp], ip);
    assert.match(await fetchFrom(ip, 8080), /hello from kube-workbench/);
    const again = dc.kubectl(['exec', 'solo', '--', 'hostname']);
    assert.equal(again.out, 'solo\n');
    // The app's exit ended the debug container in its process namespace; the other runs on, but the network it
    // joined went with the app (only its loopback is left): a new `kubectl debug` joins the pod's sandbox.
    await eventually('tied ended with the app', 30, () => ephemeral(dc, 'solo', 'tied')?.state.terminated);
    assert.ok(ephemeral(dc, 'solo', 'loose')?.state.running);
    const loose = dc.kubectl(['exec', 'solo', '-c', 'loose', '--', 'cat', '/proc/net/fib_trie']);
    assert.equal(loose.code, 0, loose.err);
    assert.ok(!loose.out.includes(ip), 'no pod IP in the network the debug container joined');
  });

  it('runs `kubectl debug` in a crashing one-container pod, in the pod’s network', async () => {
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: crashy}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: main, image: ${dc.image}, command: [/bin/sh, -c, 'echo crashing; exit 3']}
`);
    await eventually('crashy in CrashLoopBackOff', 90, () => {
      const c = containerStatus(dc, 'crashy');
      return c?.state.waiting?.reason === 'CrashLoopBackOff' && c.restartCount >= 1;
    });
    const ip = podIp(dc, 'crashy');
    assert.ok(ip);
    const r = dc.kubectl([
      'debug',
      'crashy',
      `--image=${dc.image}`,
      '-c',
      'dbg',
      '--',
      'sh',
      '-c',
      'hostname; cat /proc/net/fib_trie',
    ]);
    assert.equal(r.code, 0, r.err);
    const logs = await eventually('the debug container’s output', 60, () => {
      const out = dc.kubectl(['logs', 'crashy', '-c', 'dbg']).out;
      return out.includes(ip) ? out : undefined;
    });
    assert.match(logs, /^crashy\n/);
    assert.equal(podIp(dc, 'crashy'), ip);
  });

  it('adopts both kinds of pods after the cluster process restarts: the same containers, the same IPs', async () => {
    dc.kubectl(['delete', 'pod', 'crashy', 'rival-2', '--wait=false']);
    dc.apply(`apiVersion: v1
kind: Pod
metadata: {name: pair}
spec:
  terminationGracePeriodSeconds: 1
  containers:
  - {name: a, image: ${dc.image}, command: [/bin/httpd, -f, -p, "8080", -h, /www]}
  - {name: b, image: ${dc.image}, command: [/bin/sh, -c, 'exec sleep 3600']}
`);
    await eventually('pair running', 90, () => /pair\s+2\/2\s+Running/.test(dc.kubectl(['get', 'pod', 'pair']).out));
    await eventually('crashy and rival-2 gone', 60, async () => {
      const left = await dc.containers();
      return !left.some((c) => ['crashy', 'rival-2'].includes(c.labels[LABEL.podName] ?? ''));
    });
    const pods = ['solo', 'rival-1', 'pair'];
    const ips = pods.map((p) => podIp(dc, p));
    const before = await running(dc);
    assert.equal(before.length, 7, 'solo (sandbox, container, debug container), rival-1 (one), pair (sandbox + 2)');
    await dc.restart();
    await eventually('the pods synced after the restart', 60, () =>
      /pair\s+2\/2\s+Running/.test(dc.kubectl(['get', 'pod', 'pair']).out),
    );
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(await running(dc), before, 'the same containers run, none added');
    assert.deepEqual(
      pods.map((p) => podIp(dc, p)),
      ips,
    );
    // Both kinds restart their container as before, with the pod's IP: rival-1's owner hands over to a sandbox.
    for (const pod of ['solo', 'rival-1']) {
      const [app] = (await dc.containers({ [LABEL.podName]: pod, [LABEL.role]: 'container' })).filter(
        (c) => c.state === 'running',
      );
      assert.ok(app);
      const restarts = containerStatus(dc, pod)?.restartCount ?? 0;
      await dc.engine.stop(app.id, 0);
      await eventually(`${pod} restarted`, 90, () => {
        const c = containerStatus(dc, pod);
        return c?.restartCount === restarts + 1 && c.ready;
      });
    }
    assert.equal(podIp(dc, 'rival-1'), ips[1]);
    assert.match(await fetchFrom(ips[1]!, 8080), /hello from kube-workbench/);
    assert.match(await fetchFrom(ips[0]!, 8080), /hello from kube-workbench/);
  });
});

describe('a cluster network made without a subnet of its own, on Docker', () => {
  let dc: DockerCluster;
  before(async () => {
    // As clusters made before pod ranges have it: the engine picks every address.
    dc = await startDockerCluster([], {}, async (clusterId, engine) => {
      await engine.removeNetwork(networkName(clusterId));
      spawnSync('docker', ['network', 'create', '--label', `${LABEL.cluster}=${clusterId}`, networkName(clusterId)]);
    });
  });
  after(async () => {
    await dc?.destroy();
  });

  it('keeps a sandbox per pod, restarts a container in it, and adopts it after a restart', async () => {
    dc.apply(web('boxed', dc.image));
    await readyPods(dc, ['boxed']);
    const roles = (await dc.containers({ [LABEL.podName]: 'boxed' })).map((c) => c.labels[LABEL.role]).sort();
    assert.deepEqual(roles, ['container', 'sandbox']);
    const ip = podIp(dc, 'boxed');
    const [app] = await dc.containers({ [LABEL.podName]: 'boxed', [LABEL.role]: 'container' });
    assert.ok(app);
    await dc.engine.stop(app.id, 0);
    await eventually('boxed restarted', 90, () => containerStatus(dc, 'boxed')?.restartCount === 1);
    assert.equal(podIp(dc, 'boxed'), ip);
    const before = await running(dc);
    await dc.restart();
    await readyPods(dc, ['boxed']);
    await new Promise((r) => setTimeout(r, 2000));
    assert.deepEqual(await running(dc), before);
    assert.match(await fetchFrom(ip, 8080), /hello from kube-workbench/);
  });
});
