/**
 * Hostile values against a fake-runtime cluster (issue 12, findings 1 and 4):
 * integer fields that are fractions, out of range or strings are refused at
 * decoding as Kubernetes refuses them; such objects already on disk neither
 * hang nor stop the cluster; `__proto__` and `constructor` keys stay data.
 */
import assert from 'node:assert/strict';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import {
  BUNDLE,
  clusterFixture,
  kubectlIn,
  startClusterProcess,
  stopClusterProcess,
  waitUntil,
  type ClusterProcess,
} from './support/cluster-process';

const skip = existsSync(BUNDLE) ? false : 'run `npm run build` first';

function deployment(kind: 'Deployment' | 'ReplicaSet', name: string, replicas: string): string {
  return `apiVersion: apps/v1
kind: ${kind}
metadata: {name: ${name}}
spec:
  replicas: ${replicas}
  selector: {matchLabels: {app: ${name}}}
  template:
    metadata: {labels: {app: ${name}}}
    spec: {containers: [{name: web, image: nginx:1.27}]}
`;
}

/** An HTTPS request with the cluster's token, trusting its certificate. */
function http(
  cluster: ClusterProcess,
  method: string,
  path: string,
  body?: string,
  type = 'application/json',
): Promise<{ status: number; body: string }> {
  const ca = readFileSync(join(cluster.dataDir, 'apiserver.crt'), 'utf8');
  const token = readFileSync(join(cluster.dataDir, 'token'), 'utf8').trim();
  return new Promise((resolve, reject) => {
    const req = request(
      new URL(path, cluster.api),
      { method, ca, headers: { Authorization: `Bearer ${token}`, 'Content-Type': type } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

describe('integer fields and prototype keys (fake runtime)', { skip, timeout: 120_000 }, () => {
  const c = clusterFixture('kw-hostile-');

  it('refuses fractional, out-of-range and string replicas with the decoder message, and keeps answering', () => {
    const cases: [kind: 'Deployment' | 'ReplicaSet', replicas: string, shown: string][] = [
      ['Deployment', '1.5', 'number 1.5'],
      ['ReplicaSet', '0.5', 'number 0.5'],
      ['Deployment', '2147483648', 'number 2147483648'],
      ['Deployment', '1e12', 'number 1000000000000'],
      ['ReplicaSet', '"3"', 'string'],
    ];
    for (const [kind, replicas, shown] of cases) {
      const r = c.kubectl(['apply', '-f', '-'], deployment(kind, 'bad', replicas));
      assert.notEqual(r.code, 0, `${kind} replicas ${replicas} was accepted`);
      const spec = kind === 'Deployment' ? 'DeploymentSpec' : 'ReplicaSetSpec';
      assert.match(
        r.err,
        new RegExp(
          `Error from server \\(BadRequest\\): error when creating "STDIN": ${kind} in version "v1" cannot be handled as a ${kind}: ` +
            `json: cannot unmarshal ${shown} into Go struct field ${spec}\\.spec\\.replicas of type int32`,
        ),
      );
    }
    assert.equal(c.ok(['get', 'deployments,replicasets', '-o', 'name']).trim(), '');
  });

  it('refuses a fractional count in a patch and on the scale subresource; a valid count still works', () => {
    c.apply(deployment('Deployment', 'web', '1'));
    const patched = c.kubectl(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"replicas":1.5}}']);
    assert.notEqual(patched.code, 0);
    assert.match(patched.err, /cannot unmarshal number 1\.5 into Go struct field DeploymentSpec\.spec\.replicas/);
    const job = c.kubectl(['patch', 'deployment', 'web', '--type=merge', '-p', '{"spec":{"minReadySeconds":"5"}}']);
    assert.match(job.err, /cannot unmarshal string into Go struct field DeploymentSpec\.spec\.minReadySeconds/);
    c.ok(['scale', 'deployment', 'web', '--replicas=2']);
    assert.equal(c.ok(['get', 'deployment', 'web', '-o', 'jsonpath={.spec.replicas}']), '2');
  });

  it('stores metadata.__proto__ as data, never as a nameless object', async () => {
    const body = '{"apiVersion":"v1","kind":"Namespace","metadata":{"__proto__":{"name":"n"}}}';
    const created = await http(c.cluster, 'POST', '/api/v1/namespaces', body);
    assert.ok(created.status === 400 || created.status === 422, `${created.status} ${created.body}`);
    const pod = '{"metadata":{"name":"p","__proto__":{"name":"q"}},"spec":{"containers":[{"name":"c","image":"i"}]}}';
    const strict = await http(c.cluster, 'POST', '/api/v1/namespaces/default/pods?fieldValidation=Strict', pod);
    assert.equal(strict.status, 400, strict.body);
    assert.match(strict.body, /unknown field \\"metadata.__proto__\\"/);
    const names = (
      JSON.parse(c.ok(['get', 'namespaces,pods', '-A', '-o', 'json'])) as {
        items: { metadata: { name?: string } }[];
      }
    ).items.map((i) => i.metadata.name);
    assert.ok(
      names.every((n) => typeof n === 'string' && n !== ''),
      JSON.stringify(names),
    );
    assert.ok(!names.includes('n') && !names.includes('q'));
  });

  it('keeps __proto__ and constructor as data in labels, data, merge and JSON patches and apply', async () => {
    c.apply(`apiVersion: v1
kind: ConfigMap
metadata: {name: keys, labels: {constructor: "yes"}}
data: {__proto__: one, constructor: two}
`);
    const read = () =>
      JSON.parse(c.ok(['get', 'configmap', 'keys', '-o', 'json'])) as {
        metadata: { name: string; labels: Record<string, string> };
        data: Record<string, string>;
      };
    const first = read();
    assert.equal(first.metadata.name, 'keys');
    assert.equal(first.metadata.labels.constructor, 'yes');
    assert.equal(JSON.stringify(first.data), '{"__proto__":"one","constructor":"two"}');
    const path = '/api/v1/namespaces/default/configmaps/keys';
    const merge = await http(
      c.cluster,
      'PATCH',
      path,
      '{"metadata":{"__proto__":{"name":"other"}},"data":{"__proto__":"three"}}',
      'application/merge-patch+json',
    );
    assert.ok(merge.status === 200 || merge.status === 400, merge.body);
    const jsonPatch = await http(
      c.cluster,
      'PATCH',
      path,
      '[{"op":"add","path":"/data/__proto__","value":"four"},{"op":"remove","path":"/data/toString"}]',
      'application/json-patch+json',
    );
    assert.equal(jsonPatch.status, 422, jsonPatch.body);
    const after = read();
    assert.equal(after.metadata.name, 'keys');
    assert.equal(after.data.constructor, 'two');
    const applied = c.kubectl(
      ['apply', '--server-side', '-f', '-'],
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: keys, __proto__: {name: x}}\ndata: {__proto__: five}\n',
    );
    assert.equal(read().metadata.name, 'keys', applied.err);
    // Only objects that have the label themselves match a selector on it.
    assert.equal(c.ok(['get', 'configmaps', '-l', 'constructor', '-o', 'name']).trim(), 'configmap/keys');
    assert.equal(c.ok(['get', 'namespaces', '-l', 'toString', '-o', 'name']).trim(), '');
    c.ok(['delete', 'configmap', 'keys']);
  });
});

describe('malformed objects already on disk (fake runtime)', { skip, timeout: 60_000 }, () => {
  let root = '';
  let cluster: ClusterProcess | undefined;
  before(() => {
    root = mkdtempSync(join(tmpdir(), 'kw-disk-'));
  });
  after(async () => {
    if (cluster) await stopClusterProcess(cluster, 'SIGKILL');
    rmSync(root, { recursive: true, force: true });
  });

  /** What an older version could have logged: a ReplicaSet with 0.5 replicas, a Job with 0.5 parallelism, 1e12 replicas. */
  function poison(dataDir: string): void {
    const store = join(dataDir, 'store');
    let rv = 0;
    const snapshot = join(store, 'snapshot.json');
    if (existsSync(snapshot)) rv = (JSON.parse(readFileSync(snapshot, 'utf8')) as { rv: number }).rv;
    const log = join(store, 'wal.jsonl');
    if (existsSync(log))
      for (const line of readFileSync(log, 'utf8').split('\n').filter(Boolean))
        rv = Math.max(rv, (JSON.parse(line) as { rv: number }).rv);
    // ReplicaSets and Deployments restart Always (the default); Jobs Never.
    const template = {
      metadata: { labels: { app: 'x' } },
      spec: { containers: [{ name: 'c', image: 'busybox:1.36' }] },
    };
    const jobTemplate = { ...template, spec: { ...template.spec, restartPolicy: 'Never' } };
    const objects: [string, Record<string, unknown>][] = [
      ['apps/replicasets', { apiVersion: 'apps/v1', kind: 'ReplicaSet', spec: { replicas: 0.5, template } }],
      ['apps/deployments', { apiVersion: 'apps/v1', kind: 'Deployment', spec: { replicas: 1e12, template } }],
      [
        'batch/jobs',
        { apiVersion: 'batch/v1', kind: 'Job', spec: { parallelism: 0.5, completions: 2.5, template: jobTemplate } },
      ],
    ];
    const lines = objects.map(([r, o], i) => {
      const name = `old-${i}`;
      const metadata = {
        name,
        namespace: 'default',
        uid: `00000000-0000-4000-8000-00000000000${i}`,
        resourceVersion: String(rv + i + 1),
        generation: 1,
        creationTimestamp: '2024-01-01T00:00:00Z',
      };
      const spec = { ...(o.spec as object), selector: { matchLabels: { app: 'x' } } };
      return JSON.stringify({ rv: rv + i + 1, r, k: `default/${name}`, o: { ...o, metadata, spec } });
    });
    appendFileSync(log, `${lines.join('\n')}\n`);
  }

  it('starts, answers, reports the bad objects in events, takes a fix and stops on SIGTERM', async () => {
    const dataDir = join(root, 'data');
    const cache = join(root, 'cache');
    const first = await startClusterProcess(dataDir);
    await stopClusterProcess(first);
    poison(dataDir);
    cluster = await startClusterProcess(dataDir);
    const live = cluster;
    const kubectl = (args: string[]) => kubectlIn(live, cache, args);
    assert.match(kubectl(['get', 'replicasets', 'old-0', '-o', 'name']).out, /replicaset\.apps\/old-0/);
    const events = await waitUntil('InvalidObject events for the three objects', 10, () => {
      const out = kubectl(['get', 'events', '--field-selector', 'reason=InvalidObject', '-o', 'json']).out;
      const items = (JSON.parse(out || '{"items":[]}') as { items: { involvedObject: { name: string } }[] }).items;
      const names = new Set(items.map((e) => e.involvedObject.name));
      return names.size === 3 ? items : undefined;
    });
    assert.equal(events.length, 3);
    assert.equal(kubectl(['get', 'pods', '-l', 'app=x', '-o', 'name']).out.trim(), '');
    // Fixing the count lets the controller act again.
    const fixed = kubectl(['patch', 'replicaset', 'old-0', '--type=merge', '-p', '{"spec":{"replicas":1}}']);
    assert.equal(fixed.code, 0, fixed.err);
    await waitUntil('a pod of the fixed ReplicaSet', 10, () =>
      kubectl(['get', 'pods', '-l', 'app=x', '-o', 'name']).out.includes('pod/old-0-'),
    );
    const code = await Promise.race([
      stopClusterProcess(live),
      new Promise<string>((r) => setTimeout(() => r('still running 5 s after SIGTERM'), 5000)),
    ]);
    assert.notEqual(code, 'still running 5 s after SIGTERM');
    cluster = undefined;
  });
});
