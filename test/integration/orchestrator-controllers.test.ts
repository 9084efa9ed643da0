/**
 * The control plane (scheduler, controllers, kubelets on the fake runtime)
 * driven by the real kubectl 1.32 against `kube-workbench cluster start
 * --runtime fake`, as a user would; and a kill -9 in the middle of a rolling
 * update. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BUNDLE,
  kubectlOk,
  tableRows,
  startClusterProcess,
  stopClusterProcess,
  waitUntil,
  type ClusterProcess,
} from './support/cluster-process';

const APP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: web-config
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
spec:
  replicas: 3
  selector:
    matchLabels:
      app: web
  template:
    metadata:
      labels:
        app: web
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: web
spec:
  selector:
    app: web
  ports:
    - port: 80
      targetPort: http
`;

const skip = existsSync(BUNDLE) ? false : 'run `npm run build` first';

const rows = tableRows;

describe('control plane with kubectl', { skip }, () => {
  let dir: string;
  let cluster: ClusterProcess;
  const ok = (...args: string[]) => kubectlOk(cluster, join(dir, 'cache'), args);
  const runningPods = () => rows(ok('get', 'pods', '--no-headers')).filter((r) => r[1] === '1/1' && r[2] === 'Running');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-controllers-'));
    writeFileSync(join(dir, 'app.yaml'), APP);
    cluster = await startClusterProcess(join(dir, 'data'));
  });

  after(async () => {
    if (cluster) await stopClusterProcess(cluster);
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply runs the Deployment: 3 Running pods, its ReplicaSet, the Service and its endpoints', async () => {
    assert.match(ok('apply', '-f', join(dir, 'app.yaml')), /deployment.apps\/web created/);
    await waitUntil('3 running pods', 30, () => runningPods().length === 3);
    const out = ok('get', 'pods,rs,deploy,svc,endpoints');
    process.stdout.write(`${out}\n`);
    const pods = runningPods();
    const hash = /^web-([a-z0-9]+)-[a-z0-9]{5}$/.exec(pods[0]![0]!)?.[1];
    assert.ok(hash, `pod names are <rs>-<5 chars>: ${pods[0]![0]}`);
    assert.ok(pods.every((p) => p[0]!.startsWith(`web-${hash}-`)));
    assert.match(out, new RegExp(`replicaset.apps/web-${hash}\\s+3\\s+3\\s+3\\s`));
    assert.match(out, /deployment.apps\/web\s+3\/3\s+3\s+3\s/);
    assert.match(out, /service\/web\s+ClusterIP\s+\d+\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/);
    const endpoints = /endpoints\/web\s+(\S+)/.exec(out)?.[1] ?? '';
    assert.equal(endpoints.split(',').length, 3, endpoints);
    assert.ok(
      endpoints.split(',').every((e) => /^10\.244\.\d+\.\d+:80$/.test(e)),
      endpoints,
    );
    const events = ok(
      'get',
      'events',
      '--field-selector',
      'involvedObject.kind=Deployment',
      '-o',
      'jsonpath={.items[*].reason}',
    );
    assert.match(events, /ScalingReplicaSet/);
  });

  it('scale deployment --replicas=5 gives 5 pods', async () => {
    ok('scale', 'deployment', 'web', '--replicas=5');
    await waitUntil('5 running pods', 30, () => runningPods().length === 5);
    assert.match(ok('get', 'deploy', 'web', '--no-headers'), /^web\s+5\/5\s+5\s+5\s/);
  });

  it('set image rolls out, rollout history shows two revisions, rollout undo returns to the first template', () => {
    ok('set', 'image', 'deployment/web', 'web=nginx:1.28');
    assert.match(ok('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
    const history = ok('rollout', 'history', 'deployment/web');
    process.stdout.write(`${history}\n`);
    assert.deepEqual(
      rows(history)
        .slice(2)
        .map((r) => r[0]),
      ['1', '2'],
    );
    assert.equal(ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.28');
    const before = ok(
      'get',
      'rs',
      '-o',
      'jsonpath={range .items[*]}{.metadata.name}={.spec.template.spec.containers[0].image}{"\\n"}{end}',
    );
    const firstRs = before
      .split('\n')
      .find((l) => l.endsWith('=nginx:1.27'))!
      .split('=')[0];
    assert.match(ok('rollout', 'undo', 'deployment/web'), /rolled back/);
    assert.match(ok('rollout', 'status', 'deployment/web', '--timeout=60s'), /successfully rolled out/);
    assert.equal(ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.27');
    const rsRows = rows(ok('get', 'rs', '--no-headers'));
    process.stdout.write(`${ok('get', 'rs')}\n`);
    assert.equal(rsRows.length, 2, 'the first ReplicaSet is reused, not a third one');
    assert.deepEqual(rsRows.find((r) => r[0] === firstRs)?.slice(1, 4), ['5', '5', '5']);
    assert.deepEqual(
      rows(ok('rollout', 'history', 'deployment/web'))
        .slice(2)
        .map((r) => r[0]),
      ['2', '3'],
    );
  });

  it('delete pod: a replacement appears', async () => {
    const victim = runningPods()[0]![0]!;
    ok('delete', 'pod', victim);
    await waitUntil('5 running pods again, without the deleted one', 30, () => {
      const pods = runningPods();
      return pods.length === 5 && !pods.some((p) => p[0] === victim);
    });
  });

  it('delete -f removes everything the Deployment owned', async () => {
    ok('delete', '-f', join(dir, 'app.yaml'));
    await waitUntil('pods, ReplicaSets and endpoints gone', 30, () => {
      const left = ok('get', 'pods,rs,endpoints,endpointslices', '--no-headers', '--ignore-not-found');
      return left.trim() === '' || undefined;
    });
    assert.equal(
      ok(
        'get',
        'deploy,cm',
        '--no-headers',
        '--ignore-not-found',
        '--field-selector',
        'metadata.name!=kube-root-ca.crt',
      ).trim(),
      '',
    );
  });
});

describe('kill -9 during a rolling update', { skip }, () => {
  let dir: string;
  let cluster: ClusterProcess;
  const ok = (...args: string[]) => kubectlOk(cluster, join(dir, 'cache'), args);

  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-crash-'));
  });

  after(async () => {
    if (cluster) await stopClusterProcess(cluster);
    rmSync(dir, { recursive: true, force: true });
  });

  it('converges after a restart on the same data directory with no acknowledged write lost', async () => {
    const data = join(dir, 'data');
    cluster = await startClusterProcess(data, ['--nodes', '3']);
    const slow = APP.replace(
      'replicas: 3',
      'replicas: 8\n  minReadySeconds: 1\n  strategy:\n    rollingUpdate:\n      maxSurge: 1\n      maxUnavailable: 0',
    );
    writeFileSync(join(dir, 'app.yaml'), slow);
    ok('apply', '-f', join(dir, 'app.yaml'));
    assert.match(ok('rollout', 'status', 'deployment/web', '--timeout=90s'), /successfully rolled out/);
    ok('set', 'image', 'deployment/web', 'web=nginx:1.28');
    // Writes acknowledged during the rollout must survive the crash.
    const acknowledged: string[] = [];
    await waitUntil('the rollout to be under way', 30, () => {
      const name = `ack-${acknowledged.length}`;
      ok('create', 'configmap', name, `--from-literal=n=${acknowledged.length}`);
      acknowledged.push(name);
      const rs = rows(ok('get', 'rs', '--no-headers'));
      return rs.length === 2 && rs.every((r) => Number(r[1]) > 0);
    });
    cluster.child.kill('SIGKILL');
    await new Promise((r) => cluster.child.once('exit', r));

    cluster = await startClusterProcess(data, ['--nodes', '3']);
    assert.equal(ok('get', 'deploy', 'web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.28');
    const configmaps = ok('get', 'configmaps', '-o', 'jsonpath={.items[*].metadata.name}').split(' ');
    for (const name of acknowledged) assert.ok(configmaps.includes(name), `${name} was acknowledged before the crash`);
    assert.match(ok('rollout', 'status', 'deployment/web', '--timeout=90s'), /successfully rolled out/);
    const pods = rows(ok('get', 'pods', '--no-headers')).filter((r) => r[2] === 'Running');
    assert.equal(pods.length, 8);
    const images = ok('get', 'pods', '-o', 'jsonpath={.items[*].spec.containers[0].image}').split(' ');
    assert.ok(
      images.every((i) => i === 'nginx:1.28'),
      images.join(' '),
    );
    assert.deepEqual(
      rows(ok('rollout', 'history', 'deployment/web'))
        .slice(2)
        .map((r) => r[0]),
      ['1', '2'],
    );
  });
});
