/**
 * `cluster start` on a data directory that already has its token and TLS
 * material answers from the small start bundle first (api/early-api-server.ts)
 * and then hands the socket to the real API: requests sent as soon as
 * `/version` answers (a LIST, a wrong token, `/readyz`) get the real API's
 * answers, the kubeconfig and ready record come as before, and a SIGTERM stops
 * it cleanly. The Docker runtime with the machine's engine. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DockerEngine } from '../../client/orchestrator/kubelet/docker-client';
import { clusterIdFor } from '../../client/orchestrator/kubelet/docker-runtime-factory';
import { BIN, startClusterProcess, stopClusterProcess } from './support/cluster-process';
import { freePort, getWithToken as get, spawnClusterStart } from './support/cluster-start-child';
import { removeCluster } from './support/docker-cluster';

describe('cluster start: the early API hands over to the real one', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-early-api-'));
  const dataDir = join(dir, 'data');
  after(async () => {
    const engine = new DockerEngine();
    if (
      await engine.ping().then(
        () => true,
        () => false,
      )
    )
      await removeCluster(engine, clusterIdFor(dataDir));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers the first requests with the real API, then prints the kubeconfig and stops on SIGTERM', async () => {
    assert.ok(existsSync(join(BIN, '..', '..', 'client', 'out', 'cluster-start.js')), 'the start bundle is built');
    // A first start makes the token and TLS material (no early stage: nothing to listen with yet).
    await stopClusterProcess(await startClusterProcess(dataDir));
    const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
    const port = await freePort();
    const cluster = spawnClusterStart(['--data-dir', dataDir, '--port', String(port), '--runtime', 'docker']);
    try {
      let version = await get(port, '/version', token);
      for (const deadline = Date.now() + 30_000; version.status !== 200; version = await get(port, '/version', token)) {
        assert.ok(!cluster.gone() && Date.now() < deadline, `no /version: ${version.status}\n${cluster.err()}`);
        await new Promise((r) => setTimeout(r, 5));
      }
      assert.equal((JSON.parse(version.body) as { gitVersion: string }).gitVersion, 'v1.34.0-kube-workbench');
      // At once, likely before the orchestrator's bundle has taken over.
      const [list, wrong, ready] = await Promise.all([
        get(port, '/api/v1/namespaces', token),
        get(port, '/version', 'not-the-token'),
        get(port, '/readyz', token),
      ]);
      assert.equal(list.status, 200, list.body);
      const names = (JSON.parse(list.body) as { items: { metadata: { name: string } }[] }).items.map(
        (n) => n.metadata.name,
      );
      assert.ok(names.includes('default') && names.includes('kube-system'), names.join(','));
      assert.equal(wrong.status, 401);
      assert.equal((JSON.parse(wrong.body) as { kind: string }).kind, 'Status');
      assert.deepEqual(ready, { status: 200, body: 'ok' });

      for (const deadline = Date.now() + 30_000; !/^kubeconfig: /m.test(cluster.out());) {
        assert.ok(!cluster.gone() && Date.now() < deadline, `no kubeconfig line:\n${cluster.out()}\n${cluster.err()}`);
        await new Promise((r) => setTimeout(r, 20));
      }
      assert.ok(existsSync(join(dataDir, 'ready.json')));
      cluster.child.kill('SIGTERM');
      const [code] = await cluster.exited;
      assert.equal(code, 0, cluster.err());
      assert.equal(existsSync(join(dataDir, 'ready.json')), false);
      assert.notEqual((await get(port, '/version', token)).status, 200, 'the API is closed');
    } finally {
      cluster.dispose();
    }
  });
});
