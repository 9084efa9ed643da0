/**
 * How the extension starts the embedded cluster (client/src/kube/embedded-cluster.ts):
 * it spawns `kube-workbench cluster start` and waits for that process's ready
 * record in the data directory, not for lines of its log. An earlier run's
 * record is not taken for the new one; a process that dies before it is ready
 * is reported with how it ended and the end of its log.
 * Needs `npm run build` first (client/out/orchestrator.js).
 */
import assert from 'node:assert/strict';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Server, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, afterEach, describe, it } from 'node:test';
import { ClusterConnection } from '../../client/src/kube/cluster-connection';
import { EmbeddedCluster } from '../../client/src/kube/embedded-cluster';
import {
  lockHolder,
  processAlive,
  readReadyRecord,
  writeReadyRecord,
  type ReadyRecord,
} from '../../client/orchestrator/protocol';

const ROOT = join(__dirname, '..', '..');
const CLI = join(ROOT, 'scripts', 'kube-workbench.js');

describe('starting the embedded cluster', () => {
  const storages: string[] = [];
  const clusters: EmbeddedCluster[] = [];
  const storage = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-start-'));
    storages.push(dir);
    return dir;
  };
  const cluster = (options: Partial<ConstructorParameters<typeof EmbeddedCluster>[0]> & { storageDir: string }) => {
    const c = new EmbeddedCluster({ cliScript: CLI, startTimeoutMs: 60_000, ...options });
    clusters.push(c);
    return c;
  };

  afterEach(async () => {
    for (const c of clusters.splice(0)) await c.stop();
  });
  after(() => {
    for (const dir of storages) rmSync(dir, { recursive: true, force: true });
  });

  it('waits for the new process’s ready record, passing over the record an earlier run left', async () => {
    const dir = storage();
    const c = cluster({ storageDir: dir, runtime: 'fake' });
    mkdirSync(c.dataDir, { recursive: true });
    // An earlier run's record, of a live process (this one), whose API does not answer.
    const stale: ReadyRecord = {
      format: 1,
      pid: process.pid,
      startedAt: new Date(Date.now() - 3_600_000).toISOString(),
      readyAt: new Date(Date.now() - 3_599_000).toISOString(),
      version: 'v1.34.0-kube-workbench',
      api: 'https://127.0.0.1:9',
      kubeconfig: join(c.dataDir, 'kubeconfig'),
      runtime: 'docker',
    };
    await writeReadyRecord(c.dataDir, stale);

    const state = await c.ensureStarted();
    assert.notEqual(state.pid, process.pid);
    assert.equal(processAlive(state.pid), true);
    assert.equal(state.runtime, 'fake');
    assert.equal(state.kubeconfig, join(c.dataDir, 'kubeconfig'));
    assert.match(state.api, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(state.ingress ?? '', /^http:\/\/127\.0\.0\.1:\d+$/);
    assert.equal(state.logFile, c.logFile);
    const { logFile: _, ...record } = state;
    assert.deepEqual(await readReadyRecord(c.dataDir), record, 'the state is the ready record on disk');
    const conn = await ClusterConnection.fromKubeconfig(state.kubeconfig);
    assert.equal((await conn.version()).startsWith(state.version), true);

    assert.equal(await c.stop(), true);
    assert.equal(processAlive(state.pid), false);
    assert.equal(await readReadyRecord(c.dataDir), undefined, 'a stopped cluster removes its record');
    assert.equal(await c.running(), undefined);
  });

  it('starts the cluster without the extension host’s NODE_EXTRA_CA_CERTS (no warning in its log, no cost)', async () => {
    const dir = storage();
    const saved = process.env['NODE_EXTRA_CA_CERTS'];
    // A certificate file that was removed since the editor started: Node would warn about it in the cluster's log.
    process.env['NODE_EXTRA_CA_CERTS'] = join(dir, 'removed-corporate-ca.pem');
    try {
      const c = cluster({ storageDir: dir, runtime: 'fake' });
      const state = await c.ensureStarted();
      const environ = readFileSync(`/proc/${state.pid}/environ`, 'utf8').split('\0');
      assert.equal(
        environ.some((entry) => entry.startsWith('NODE_EXTRA_CA_CERTS=')),
        false,
        'the cluster process has no NODE_EXTRA_CA_CERTS',
      );
      assert.doesNotMatch(readFileSync(c.logFile, 'utf8'), /extra certs/i);
      const conn = await ClusterConnection.fromKubeconfig(state.kubeconfig);
      assert.equal((await conn.version()).startsWith(state.version), true);
    } finally {
      if (saved === undefined) delete process.env['NODE_EXTRA_CA_CERTS'];
      else process.env['NODE_EXTRA_CA_CERTS'] = saved;
    }
  });

  it('reports a clear error when the cluster is killed before it is ready', async () => {
    // A Docker "engine" that accepts connections and never answers: the start waits in its ping.
    const sockets: Socket[] = [];
    const engine: Server = createServer((s) => sockets.push(s));
    const socketPath = join(storage(), 'docker.sock');
    engine.listen(socketPath);
    await once(engine, 'listening');
    try {
      const c = cluster({ storageDir: storage(), runtime: 'docker', dockerSocket: socketPath });
      const starting = c.ensureStarted();
      await once(engine, 'connection'); // the orchestrator holds its data directory and waits for the engine
      const pid = await lockHolder(c.dataDir);
      assert.ok(pid !== undefined && processAlive(pid));
      process.kill(pid, 'SIGKILL');

      await assert.rejects(starting, (error: Error) => {
        assert.match(error.message, /^The embedded cluster exited before it was ready \(signal SIGKILL\)/);
        assert.ok(error.message.includes(`its log (${c.logFile}) ends:`), error.message);
        assert.match(error.message, /then start it again\.$/);
        return true;
      });
      assert.equal(await c.running(), undefined);
    } finally {
      for (const s of sockets) s.destroy();
      engine.close();
    }
  });

  it('reports how the cluster failed, with its own words from the log, when it exits on its own', async () => {
    const dir = storage();
    const c = cluster({ storageDir: dir, runtime: 'docker', dockerSocket: join(dir, 'no-engine-here.sock') });
    await assert.rejects(c.ensureStarted(), (error: Error) => {
      assert.match(error.message, /^The embedded cluster exited before it was ready \(exit code 1\)/);
      assert.match(error.message, /kube-workbench cluster: .*no-engine-here\.sock/);
      return true;
    });
  });
});
