/**
 * Issue 12, findings 2, 6 and 8 against a started fake-runtime cluster: over-deep
 * bodies get 400 and later writes still work and survive a restart; the data
 * directory is private whatever the umask or its earlier mode; a damaged store is
 * refused naming the file unless `--recover`, which keeps the damaged file aside.
 */
import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, readdirSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { request } from 'node:https';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { startClusterProcess, stopClusterProcess, type ClusterProcess } from './support/cluster-process';

interface Reply {
  code: number;
  body: string;
}

function call(cluster: ClusterProcess, method: string, path: string, body: string, type = 'application/json') {
  const token = readFileSync(join(cluster.dataDir, 'token'), 'utf8').trim();
  const ca = readFileSync(join(cluster.dataDir, 'apiserver.crt'), 'utf8');
  return new Promise<Reply>((resolve, reject) => {
    const req = request(
      `${cluster.api}${path}`,
      { method, ca, headers: { authorization: `Bearer ${token}`, 'content-type': type } },
      (res) => {
        let text = '';
        res.on('data', (c: Buffer) => (text += c.toString()));
        res.on('end', () => resolve({ code: res.statusCode ?? 0, body: text }));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}

const CMS = '/api/v1/namespaces/default/configmaps';
const configMap = (name: string, extra = '') =>
  `{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"${name}"${extra}},"data":{"k":"v"}}`;
/** `depth` nested arrays (2 bytes a level: a million levels stay under the body size limit). */
const deepArrays = (depth: number) => `${'['.repeat(depth)}${']'.repeat(depth)}`;

describe('store hardening (issue 12: findings 2, 6, 8)', () => {
  let root = '';
  let dataDir = '';
  let cluster: ClusterProcess | undefined;
  const running = () => cluster ?? assert.fail('no cluster');

  before(async () => {
    root = mkdtempSync(join(tmpdir(), 'kw-store-hard-'));
    dataDir = join(root, 'data');
    mkdirSync(dataDir, { mode: 0o755 });
    const old = process.umask(0); // the child inherits it
    try {
      cluster = await startClusterProcess(dataDir);
    } finally {
      process.umask(old);
    }
  });
  after(async () => {
    if (cluster) await stopClusterProcess(cluster);
    rmSync(root, { recursive: true, force: true });
  });

  it('makes the data directory 700 and every file in it 600 (umask 000, directory 755)', async () => {
    await call(running(), 'POST', CMS, configMap('secretish')); // the log has a record
    assert.equal(statSync(dataDir).mode & 0o777, 0o700);
    assert.equal(statSync(join(dataDir, 'store')).mode & 0o777, 0o700);
    for (const file of ['store/wal.jsonl', 'token', 'apiserver.key', 'kubeconfig', 'ready.json', 'lock'])
      assert.equal((statSync(join(dataDir, file)).mode & 0o777).toString(8), '600', file);
  });

  it('refuses over-deep bodies with 400 and keeps taking writes', async () => {
    const c = running();
    for (const depth of [5_000, 1_000_000]) {
      const deep = await call(c, 'POST', CMS, configMap(`deep-${depth}`, `,"labels":{"x":${deepArrays(depth)}}`));
      assert.equal(deep.code, 400, deep.body);
      assert.match(deep.body, /exceeded max depth/);
    }
    await call(c, 'POST', CMS, configMap('target'));
    const merge = await call(
      c,
      'PATCH',
      `${CMS}/target`,
      `{"metadata":{"annotations":{"x":${deepArrays(5_000)}}}}`,
      'application/merge-patch+json',
    );
    assert.equal(merge.code, 400, merge.body);
    // Each half is within the limit; the JSON patch's result is not.
    const half = deepArrays(600);
    const path = `/data/k2${'/0'.repeat(598)}`;
    const jsonPatch = await call(
      c,
      'PATCH',
      `${CMS}/target`,
      `[{"op":"add","path":"/data/k2","value":${half}},{"op":"add","path":"${path}","value":${half}}]`,
      'application/json-patch+json',
    );
    assert.equal(jsonPatch.code, 400, jsonPatch.body);
    assert.match(jsonPatch.body, /exceeded max depth/);
    const apply = await call(
      c,
      'PATCH',
      `${CMS}/target?fieldManager=t`,
      configMap('target', `,"labels":{"x":${deepArrays(5_000)}}`),
      'application/apply-patch+yaml',
    );
    assert.equal(apply.code, 400, apply.body);
    assert.match(apply.body, /YAML|depth/);
    const next = await call(c, 'POST', CMS, configMap('after-deep'));
    assert.equal(next.code, 201, next.body);
    assert.equal((await call(c, 'GET', `${CMS}/deep-5000`, '')).code, 404);
  });

  it('keeps every acknowledged write over a restart', async () => {
    await stopClusterProcess(running());
    cluster = await startClusterProcess(dataDir);
    for (const name of ['secretish', 'target', 'after-deep'])
      assert.equal((await call(cluster, 'GET', `${CMS}/${name}`, '')).code, 200, name);
  });

  it('refuses a log with a record missing from the middle, naming it, and recovers with --recover', async () => {
    await stopClusterProcess(running());
    cluster = undefined;
    const wal = join(dataDir, 'store', 'wal.jsonl');
    const lines = readFileSync(wal, 'utf8').split('\n');
    const dropped = lines.findIndex((l) => l.includes('"default/target"'));
    writeFileSync(wal, lines.filter((_, i) => i !== dropped).join('\n'));
    await assert.rejects(startClusterProcess(dataDir), (e: Error) => {
      assert.match(e.message, /exited with 1/);
      assert.ok(e.message.includes(wal), e.message);
      assert.match(e.message, /are missing[\s\S]*--recover/);
      return true;
    });
    assert.equal(readdirSync(join(dataDir, 'store')).filter((f) => f.includes('.damaged-')).length, 0);
    cluster = await startClusterProcess(dataDir, ['--recover']);
    assert.match(cluster.stderr(), /recovery: .*wal\.jsonl.*missing/);
    assert.match(cluster.stderr(), /recovered \d+ objects/);
    assert.ok(readdirSync(join(dataDir, 'store')).some((f) => f.startsWith('wal.jsonl.damaged-')));
    assert.equal((await call(cluster, 'GET', `${CMS}/secretish`, '')).code, 200);
    assert.equal((await call(cluster, 'POST', CMS, configMap('after-recovery'))).code, 201);
  });

  it('refuses an empty snapshot, naming it', async () => {
    await stopClusterProcess(running());
    cluster = undefined;
    writeFileSync(join(dataDir, 'store', 'snapshot.json'), '');
    await assert.rejects(startClusterProcess(dataDir), /snapshot\.json: it is empty[\s\S]*--recover/);
    cluster = await startClusterProcess(dataDir, ['--recover']);
    assert.ok(readdirSync(join(dataDir, 'store')).some((f) => f.startsWith('snapshot.json.damaged-')));
    assert.equal((await call(cluster, 'GET', `${CMS}/secretish`, '')).code, 404, 'the snapshot held it');
    assert.equal((await call(cluster, 'GET', `${CMS}/after-recovery`, '')).code, 200, 'the log held it');
  });
});
