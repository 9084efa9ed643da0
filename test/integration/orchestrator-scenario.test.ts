/**
 * The acceptance scenario of the control plane, as one user-like flow: the
 * real kubectl 1.32 and @kubernetes/client-node against `kube-workbench
 * cluster start --runtime fake`. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BUNDLE,
  kubectlIn,
  kubectlOk,
  tableRows,
  startClusterProcess,
  stopClusterProcess,
  waitUntil,
  type ClusterProcess,
} from './support/cluster-process';

// No `replicas` in the file: `kubectl scale` owns the count, so applying the
// same file again after scaling changes nothing (with `replicas: 3` Kubernetes
// itself would answer "configured" and scale back to 3).
const APP = `apiVersion: v1
kind: ConfigMap
metadata:
  name: shop-config
data:
  greeting: hello
---
apiVersion: apps/v1
kind: Deployment
metadata:
  name: shop
spec:
  selector:
    matchLabels:
      app: shop
  template:
    metadata:
      labels:
        app: shop
    spec:
      containers:
        - name: shop
          image: nginx:1.27
          ports:
            - name: http
              containerPort: 80
---
apiVersion: v1
kind: Service
metadata:
  name: shop
spec:
  selector:
    app: shop
  ports:
    - port: 80
      targetPort: http
`;

const TYPO = `apiVersion: v1
kind: ConfigMap
metadata:
  name: typo
dataa:
  greeting: hello
`;

const skip = existsSync(BUNDLE) ? false : 'run `npm run build` first';

const rows = tableRows;

describe('acceptance scenario: kubectl and client-node against the control plane', { skip }, () => {
  let dir: string;
  let cluster: ClusterProcess;
  const file = () => join(dir, 'shop.yaml');
  const kubectl = (...args: string[]) => kubectlIn(cluster, join(dir, 'cache'), args);
  const ok = (...args: string[]) => kubectlOk(cluster, join(dir, 'cache'), args);
  const show = (title: string, out: string) => process.stdout.write(`$ ${title}\n${out}\n`);
  const pods = () => rows(ok('get', 'pods', '-l', 'app=shop', '--no-headers'));
  const running = () => pods().filter((r) => r[1] === '1/1' && r[2] === 'Running');

  before(async () => {
    dir = mkdtempSync(join(tmpdir(), 'kw-scenario-'));
    writeFileSync(file(), APP);
    writeFileSync(join(dir, 'typo.yaml'), TYPO);
    cluster = await startClusterProcess(join(dir, 'data'), ['--nodes', '2']);
  });

  after(async () => {
    if (cluster) await stopClusterProcess(cluster);
    rmSync(dir, { recursive: true, force: true });
  });

  it('apply -f creates the three objects; get shows the pod, ReplicaSet, Deployment, Service and endpoints', async () => {
    const applied = ok('apply', '-f', file());
    show('kubectl apply -f shop.yaml', applied);
    assert.deepEqual(applied.trim().split('\n'), [
      'configmap/shop-config created',
      'deployment.apps/shop created',
      'service/shop created',
    ]);
    await waitUntil('1 running pod', 30, () => running().length === 1);
    await waitUntil('the endpoint', 30, () => /^shop\s+10\.244\./m.test(ok('get', 'endpoints')));
    const out = ok('get', 'pods,rs,deploy,svc,endpoints');
    show('kubectl get pods,rs,deploy,svc,endpoints', out);
    const hash = /pod\/shop-([a-z0-9]+)-[a-z0-9]{5}\s+1\/1\s+Running\s+0\s/.exec(out)?.[1];
    assert.ok(hash, out);
    assert.match(out, new RegExp(`replicaset.apps/shop-${hash}\\s+1\\s+1\\s+1\\s`));
    assert.match(out, /deployment.apps\/shop\s+1\/1\s+1\s+1\s/);
    assert.match(out, /service\/shop\s+ClusterIP\s+10\.\d+\.\d+\.\d+\s+<none>\s+80\/TCP/);
    assert.match(out, /endpoints\/shop\s+10\.244\.\d+\.\d+:80\s/);
    const spec = JSON.parse(ok('get', 'pods', '-l', 'app=shop', '-o', 'jsonpath={.items[0].spec}')) as Record<
      string,
      unknown
    >;
    assert.equal(spec.serviceAccountName, 'default', 'pods made by the ReplicaSet controller get admission defaults');
  });

  it('scale --replicas=5 runs five pods', async () => {
    assert.match(ok('scale', 'deployment/shop', '--replicas=5'), /deployment.apps\/shop scaled/);
    await waitUntil('5 running pods', 30, () => running().length === 5);
    const endpoints = await waitUntil('5 endpoints', 30, () => {
      const e = ok('get', 'endpoints', 'shop', '-o', 'jsonpath={.subsets[*].addresses[*].ip}').split(' ');
      return e.length === 5 && e;
    });
    assert.ok(endpoints.every((ip) => /^10\.244\.\d+\.\d+$/.test(ip)));
  });

  it('set image rolls out; rollout history has two revisions; rollout undo goes back', () => {
    ok('set', 'image', 'deployment/shop', 'shop=nginx:1.28');
    const status = ok('rollout', 'status', 'deployment/shop', '--timeout=60s');
    show('kubectl rollout status deployment/shop', status);
    assert.match(status, /deployment "shop" successfully rolled out/);
    const history = ok('rollout', 'history', 'deployment/shop');
    show('kubectl rollout history deployment/shop', history);
    assert.match(history, /^deployment.apps\/shop\s*$/m);
    assert.deepEqual(
      rows(history)
        .slice(2)
        .map((r) => r[0]),
      ['1', '2'],
    );
    assert.match(ok('rollout', 'undo', 'deployment/shop'), /deployment.apps\/shop rolled back/);
    assert.match(ok('rollout', 'status', 'deployment/shop', '--timeout=60s'), /successfully rolled out/);
    assert.equal(ok('get', 'deploy', 'shop', '-o', 'jsonpath={.spec.template.spec.containers[0].image}'), 'nginx:1.27');
    const images = ok('get', 'pods', '-l', 'app=shop', '-o', 'jsonpath={.items[*].spec.containers[0].image}');
    assert.deepEqual([...new Set(images.split(' '))], ['nginx:1.27']);
    show('kubectl get rs', ok('get', 'rs'));
  });

  it('delete pod: the ReplicaSet replaces it', async () => {
    const victim = running()[0]![0]!;
    assert.match(ok('delete', 'pod', victim), new RegExp(`pod "${victim}" deleted`));
    await waitUntil('5 running pods without the deleted one', 30, () => {
      const now = running();
      return now.length === 5 && !now.some((p) => p[0] === victim);
    });
  });

  it('apply -f of the same file again changes nothing', () => {
    const generation = () => ok('get', 'deploy', 'shop', '-o', 'jsonpath={.metadata.generation}');
    const before = generation();
    const out = ok('apply', '-f', file());
    show('kubectl apply -f shop.yaml (again)', out);
    assert.deepEqual(out.trim().split('\n'), [
      'configmap/shop-config unchanged',
      'deployment.apps/shop unchanged',
      'service/shop unchanged',
    ]);
    assert.equal(ok('get', 'deploy', 'shop', '-o', 'jsonpath={.spec.replicas}'), '5');
    assert.equal(generation(), before, 'the spec did not move');
  });

  it('apply --server-side takes the same objects over without conflicts', () => {
    const out = ok('apply', '--server-side', '-f', file());
    show('kubectl apply --server-side -f shop.yaml', out);
    assert.deepEqual(out.trim().split('\n'), [
      'configmap/shop-config serverside-applied',
      'deployment.apps/shop serverside-applied',
      'service/shop serverside-applied',
    ]);
    const managers = ok('get', 'deploy', 'shop', '-o', 'jsonpath={.metadata.managedFields[*].manager}');
    assert.ok(managers.split(' ').includes('kubectl'), managers);
  });

  it('client-node lists and watches pods over HTTPS with the kubeconfig the cluster wrote', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(cluster.kubeconfig);
    assert.equal(kc.getCurrentContext(), 'kube-workbench');
    const core = kc.makeApiClient(k8s.CoreV1Api);
    const list = await core.listNamespacedPod({ namespace: 'default', labelSelector: 'app=shop' });
    assert.equal(list.items.length, 5);
    assert.ok(list.items.every((p) => p.status?.phase === 'Running' && p.spec?.serviceAccountName === 'default'));

    const seen: string[] = [];
    const watch = new k8s.Watch(kc);
    let resolveDeleted: () => void = () => undefined;
    const deleted = new Promise<void>((resolve) => (resolveDeleted = resolve));
    const request = await watch.watch(
      '/api/v1/namespaces/default/pods',
      { resourceVersion: list.metadata?.resourceVersion ?? '' },
      (type: string, obj: { metadata?: { name?: string } }) => {
        seen.push(`${type} ${obj.metadata?.name ?? ''}`);
        if (type === 'DELETED' && obj.metadata?.name === 'watched') resolveDeleted();
      },
      () => undefined,
    );
    ok('run', 'watched', '--image=nginx:1.27', '--restart=Never');
    await waitUntil('the watched pod running', 30, () => /watched\s+1\/1\s+Running/.test(ok('get', 'pod', 'watched')));
    ok('delete', 'pod', 'watched');
    await deleted;
    request.abort();
    const mine = seen.filter((s) => s.endsWith(' watched'));
    assert.equal(mine[0], 'ADDED watched');
    assert.ok(mine.includes('MODIFIED watched'));
    assert.equal(mine[mine.length - 1], 'DELETED watched');
  });

  it('delete --cascade=orphan keeps the ReplicaSet and its pods; --cascade=foreground waits until the pods are gone', () => {
    const sets = ok('get', 'rs', '-l', 'app=shop', '-o', 'jsonpath={.items[*].metadata.name}').split(' ');
    const rs = ok('get', 'rs', '-l', 'app=shop', '-o', 'jsonpath={.items[?(@.spec.replicas>0)].metadata.name}');
    assert.equal(sets.length, 2, 'the rollout left two ReplicaSets');
    const orphaned = ok('delete', 'deployment', 'shop', '--cascade=orphan');
    show('kubectl delete deployment shop --cascade=orphan', orphaned);
    assert.match(orphaned, /deployment.apps "shop" deleted/);
    assert.equal(kubectl('get', 'deployment', 'shop').code, 1);
    for (const name of sets) assert.equal(ok('get', 'rs', name, '-o', 'jsonpath={.metadata.ownerReferences}'), '');
    assert.equal(running().length, 5, 'the orphaned ReplicaSet keeps its pods');

    const foreground = ok('delete', 'rs', rs, '--cascade=foreground');
    show(`kubectl delete rs ${rs} --cascade=foreground`, foreground);
    // kubectl waited until the ReplicaSet was gone, which in foreground comes after its pods.
    assert.equal(kubectl('get', 'rs', rs).code, 1);
    assert.deepEqual(pods(), []);
    ok('delete', 'rs', '-l', 'app=shop');
    assert.equal(ok('get', 'rs', '-l', 'app=shop', '--no-headers', '--ignore-not-found').trim(), '');
  });

  it('delete -f removes the objects and everything they owned', async () => {
    ok('apply', '-f', file());
    await waitUntil('1 running pod', 30, () => running().length === 1);
    const out = ok('delete', '-f', file());
    show('kubectl delete -f shop.yaml', out);
    assert.deepEqual(out.trim().split('\n'), [
      'configmap "shop-config" deleted',
      'deployment.apps "shop" deleted',
      'service "shop" deleted',
    ]);
    await waitUntil('pods, ReplicaSets, endpoints and slices gone', 30, () => {
      const left = ok(
        'get',
        'pods,rs,endpoints,endpointslices',
        '-l',
        'app=shop',
        '--no-headers',
        '--ignore-not-found',
      );
      return left.trim() === '' && ok('get', 'endpoints', 'shop', '--ignore-not-found').trim() === '';
    });
    assert.equal(ok('get', 'deploy,svc,cm', '--no-headers', '--ignore-not-found', '-l', 'app=shop').trim(), '');
  });

  it('delete namespace removes what is in it, then the namespace', async () => {
    ok('create', 'namespace', 'team');
    ok('-n', 'team', 'create', 'deployment', 'api', '--image=nginx:1.27', '--replicas=2');
    await waitUntil('2 running pods in team', 30, () => {
      const r = rows(ok('-n', 'team', 'get', 'pods', '--no-headers', '--ignore-not-found'));
      return r.length === 2 && r.every((p) => p[2] === 'Running');
    });
    const out = ok('delete', 'namespace', 'team');
    show('kubectl delete namespace team', out);
    assert.match(out, /namespace "team" deleted/);
    assert.equal(kubectl('get', 'namespace', 'team').code, 1, 'kubectl waited until the namespace was gone');
    assert.equal(ok('-n', 'team', 'get', 'all', '--no-headers', '--ignore-not-found').trim(), '');
  });

  it('apply -f with an unknown field fails with the strict-validation message and stores nothing', () => {
    const r = kubectl('apply', '-f', join(dir, 'typo.yaml'));
    show('kubectl apply -f typo.yaml', r.err);
    assert.equal(r.code, 1);
    assert.match(
      r.err,
      /Error from server \(BadRequest\): error when creating ".*typo\.yaml": ConfigMap in version "v1" cannot be handled as a ConfigMap: strict decoding error: unknown field "dataa"/,
    );
    assert.equal(kubectl('get', 'configmap', 'typo').code, 1);
  });
});
