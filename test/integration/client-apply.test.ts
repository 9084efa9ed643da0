/**
 * The extension's cluster layer against a real embedded cluster (fake
 * runtime), started the way the extension starts it: EmbeddedCluster spawns
 * `kube-workbench cluster start` detached and records it in a state file.
 * Needs `npm run build` first (client/out/orchestrator.js).
 */
import assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { applyObjects, deleteObjects } from '../../client/src/run/apply-engine';
import { ClusterConnection } from '../../client/src/kube/cluster-connection';
import { EmbeddedCluster } from '../../client/src/kube/embedded-cluster';
import { parseManifests } from '../../client/src/run/manifest-documents';

const ROOT = join(__dirname, '..', '..');

const APP = `apiVersion: apps/v1
kind: Deployment
metadata:
  name: web
  namespace: shop
spec:
  replicas: 3
  selector:
    matchLabels: { app: web }
  template:
    metadata:
      labels: { app: web }
    spec:
      containers:
        - name: web
          image: nginx:1.27
          ports: [{ containerPort: 80 }]
---
apiVersion: v1
kind: Service
metadata:
  name: web
  namespace: shop
spec:
  selector: { app: web }
  ports: [{ port: 80, targetPort: 80 }]
---
apiVersion: v1
kind: Namespace
metadata:
  name: shop
`;

function objects(text: string) {
  const parsed = parseManifests(text);
  assert.deepEqual(parsed.problems, []);
  return parsed.documents.map((d) => d.object);
}

describe('cluster layer against the embedded cluster (fake runtime)', () => {
  let storage: string;
  let cluster: EmbeddedCluster;
  let conn: ClusterConnection;

  before(async () => {
    storage = mkdtempSync(join(tmpdir(), 'kw-client-'));
    cluster = new EmbeddedCluster({
      storageDir: storage,
      cliScript: join(ROOT, 'scripts', 'kube-workbench.js'),
      runtime: 'fake',
    });
    const state = await cluster.ensureStarted();
    conn = await ClusterConnection.fromKubeconfig(state.kubeconfig);
  });

  after(async () => {
    await cluster?.stop();
    rmSync(storage, { recursive: true, force: true });
  });

  it('reuses the running cluster instead of starting a second one', async () => {
    const first = await cluster.running();
    const again = await new EmbeddedCluster({
      storageDir: storage,
      cliScript: join(ROOT, 'scripts', 'kube-workbench.js'),
    }).ensureStarted();
    assert.equal(again.pid, first?.pid);
    assert.equal(again.api, first?.api);
    assert.equal(again.runtime, 'fake');
  });

  it('applies a file in dependency order and waits until 3/3 pods are ready', async () => {
    const progress: string[] = [];
    const result = await applyObjects(conn, objects(APP), { onProgress: (m) => progress.push(m), timeoutMs: 60_000 });
    assert.equal(result.error, undefined);
    assert.deepEqual(
      result.applied.map((a) => `${a.kind} ${a.namespace ?? ''}/${a.name} ${a.action}`),
      ['Namespace /shop created', 'Service shop/web created', 'Deployment shop/web created'],
    );
    assert.equal(result.ready, true);
    assert.equal(result.rollouts[0]?.state.message, '3/3 ready');
    const pods = await conn.reader.list('v1', 'Pod', { namespace: 'shop', labelSelector: 'app=web' });
    assert.equal(pods.items.length, 3);
  });

  it('reports unchanged objects on a second apply and configured ones after an edit', async () => {
    const again = await applyObjects(conn, objects(APP), { wait: false });
    assert.deepEqual(
      again.applied.map((a) => a.action),
      ['unchanged', 'unchanged', 'unchanged'],
    );
    const scaled = await applyObjects(conn, objects(APP.replace('replicas: 3', 'replicas: 2')), { timeoutMs: 60_000 });
    assert.deepEqual(
      scaled.applied.map((a) => `${a.kind} ${a.action}`),
      ['Namespace unchanged', 'Service unchanged', 'Deployment configured'],
    );
    assert.equal(scaled.ready, true);
    assert.equal(
      (await conn.reader.get({ apiVersion: 'apps/v1', kind: 'Deployment', namespace: 'shop', name: 'web' }))?.spec !==
        undefined,
      true,
    );
  });

  it('refuses an invalid object in the dry run and applies nothing of the file', async () => {
    const bad = `apiVersion: v1
kind: ConfigMap
metadata: { name: settings, namespace: shop }
data: { mode: fast }
---
apiVersion: v1
kind: Service
metadata: { name: broken, namespace: shop }
spec:
  ports: [{ port: 700000 }]
`;
    const result = await applyObjects(conn, objects(bad), { wait: false });
    assert.deepEqual(result.applied, []);
    assert.match(result.error ?? '', /^Service shop\/broken was refused \(nothing was applied\): .*port/i);
    assert.equal(
      await conn.reader.get({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'settings' }),
      undefined,
    );
  });

  it('names a kind the cluster does not serve', async () => {
    const result = await applyObjects(
      conn,
      objects('apiVersion: example.com/v1\nkind: Widget\nmetadata: { name: w }\n'),
      { wait: false },
    );
    assert.deepEqual(result.applied, []);
    assert.match(result.error ?? '', /Widget/);
  });

  it('watches objects: ADDED for existing ones, then changes', async () => {
    const seen: string[] = [];
    let resolveSeen: () => void = () => undefined;
    const deleted = new Promise<void>((r) => (resolveSeen = r));
    const stop = await conn.reader.watch('v1', 'ConfigMap', { namespace: 'shop' }, (type, o) => {
      seen.push(`${type} ${o.metadata?.name ?? ''}`);
      if (type === 'DELETED') resolveSeen();
    });
    await conn.writer.create({
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'watched', namespace: 'shop' },
      data: { a: '1' },
    });
    await conn.writer.patch(
      { apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'watched' },
      { data: { a: '2' } },
    );
    await conn.writer.delete({ apiVersion: 'v1', kind: 'ConfigMap', namespace: 'shop', name: 'watched' });
    await deleted;
    stop();
    assert.deepEqual(
      seen.filter((s) => s.endsWith(' watched')),
      ['ADDED watched', 'MODIFIED watched', 'DELETED watched'],
    );
  });

  it('deletes what a file defines, Ingresses and workloads before Namespaces', async () => {
    const result = await deleteObjects(conn, objects(APP));
    assert.equal(result.error, undefined);
    assert.deepEqual(
      result.deleted.map((d) => `${d.kind} ${String(d.found)}`),
      ['Deployment true', 'Service true', 'Namespace true'],
    );
  });

  it('says which cluster it cannot reach', async () => {
    const k8s = await import('@kubernetes/client-node');
    const kc = new k8s.KubeConfig();
    kc.loadFromOptions({
      clusters: [{ name: 'gone', server: 'https://127.0.0.1:1', skipTLSVerify: false }],
      users: [{ name: 'u', token: 't' }],
      contexts: [{ name: 'gone', cluster: 'gone', user: 'u' }],
      currentContext: 'gone',
    });
    const gone = ClusterConnection.fromKubeConfig(kc, k8s);
    await assert.rejects(gone.version(), /cannot reach the cluster at https:\/\/127\.0\.0\.1:1: nothing listens there/);
  });
});
