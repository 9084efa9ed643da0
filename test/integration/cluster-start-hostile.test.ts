/**
 * `kube-workbench cluster start` when things are not as they should be (issue
 * #12, finding 9): its port taken, a stale lock naming a live but unrelated
 * process, SIGTERM while the server is busy. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn } from 'node:child_process';
import { once } from 'node:events';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { createServer, type AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BIN, startClusterProcess, stopClusterProcess, type ClusterProcess } from './support/cluster-process';
import { rawApi } from './support/raw-api';

interface Ended {
  code: number | null;
  signal: NodeJS.Signals | null;
  err: string;
}

/** `cluster start` that must end by itself within `seconds`. */
async function startExpectingExit(args: string[], seconds: number): Promise<Ended> {
  const child = spawn(process.execPath, [BIN, 'cluster', 'start', '--runtime', 'fake', ...args]);
  let err = '';
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  child.stdout.resume();
  const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
  const [code, signal] = (await once(child, 'exit')) as [number | null, NodeJS.Signals | null];
  clearTimeout(timer);
  return { code, signal, err };
}

/** Waits for the process to exit; SIGKILLs it (and fails) after `seconds`. */
async function exitWithin(cluster: ClusterProcess, seconds: number): Promise<number | null> {
  const child = cluster.child;
  if (child.exitCode !== null || child.signalCode !== null) return child.exitCode;
  child.removeAllListeners('exit');
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  const timer = setTimeout(() => child.kill('SIGKILL'), seconds * 1000);
  const [code, signal] = await exited;
  clearTimeout(timer);
  assert.notEqual(signal, 'SIGKILL', `the cluster did not stop within ${seconds} s of SIGTERM:\n${cluster.stderr()}`);
  return code;
}

describe('cluster start under hostile conditions', () => {
  const roots: string[] = [];
  const root = () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-start-hostile-'));
    roots.push(dir);
    return dir;
  };
  after(() => {
    for (const dir of roots) rmSync(dir, { recursive: true, force: true });
  });

  it('says which port is taken and what to do, without a stack trace', async () => {
    const holder = createServer();
    holder.listen(0, '127.0.0.1');
    await once(holder, 'listening');
    const { port } = holder.address() as AddressInfo;
    try {
      const ended = await startExpectingExit(['--data-dir', join(root(), 'data'), '--port', String(port)], 30);
      assert.equal(ended.signal, null, `it did not exit by itself:\n${ended.err}`);
      assert.equal(ended.code, 1, ended.err);
      assert.match(
        ended.err,
        new RegExp(`cannot listen on 127\\.0\\.0\\.1:${port}: another program is using that port`),
      );
      assert.match(ended.err, /choose another port with --port N \(--port 0 picks a free one\)/);
      assert.doesNotMatch(ended.err, /\n\s+at /, 'no stack trace');
    } finally {
      holder.close();
    }
  });

  it('refuses a FIFO in place of its token without waiting for a writer, naming the file', async () => {
    const dataDir = join(root(), 'data');
    mkdirSync(dataDir, { recursive: true, mode: 0o700 });
    // Key and certificate present, so the early stage reads the token too (and must not block on it).
    for (const name of ['apiserver.key', 'apiserver.crt']) writeFileSync(join(dataDir, name), 'not pem\n');
    execFileSync('mkfifo', [join(dataDir, 'token')]);
    const ended = await startExpectingExit(['--data-dir', dataDir, '--port', '0'], 30);
    assert.equal(ended.signal, null, `it did not exit by itself:\n${ended.err}`);
    assert.equal(ended.code, 1, ended.err);
    assert.match(ended.err, /token is not a regular file of at most 1 MiB; remove it and start again/);
    assert.doesNotMatch(ended.err, /\n\s+at /, 'no stack trace');
  });

  it('takes over a lock naming a live process that is not a cluster of this directory, saying so', async () => {
    const dataDir = join(root(), 'data');
    mkdirSync(dataDir, { recursive: true });
    writeFileSync(join(dataDir, 'lock'), `${process.pid}\n`); // this test runner: alive, and no cluster
    const cluster = await startClusterProcess(dataDir);
    try {
      assert.match(
        cluster.stderr(),
        new RegExp(
          `names process ${process.pid}, which is not a kube-workbench cluster of this directory; taking over`,
        ),
      );
    } finally {
      assert.equal(await stopClusterProcess(cluster), 0);
    }
  });

  it('still refuses a data directory a running cluster holds', async () => {
    const dataDir = join(root(), 'data');
    const first = await startClusterProcess(dataDir);
    try {
      const ended = await startExpectingExit(['--data-dir', dataDir, '--port', '0'], 30);
      assert.equal(ended.code, 1, ended.err);
      assert.match(ended.err, new RegExp(`is in use by process ${first.child.pid} \\(a kube-workbench cluster\\)`));
    } finally {
      assert.equal(await stopClusterProcess(first), 0);
    }
  });

  it('stops promptly on SIGTERM while busy (a fractional replica count, and requests in flight)', async () => {
    const dataDir = join(root(), 'data');
    const cluster = await startClusterProcess(dataDir);
    const api = rawApi(cluster.api, dataDir);
    try {
      // Admission may reject the fraction (a fix elsewhere); either way the cluster must stay stoppable.
      const replicaSet = {
        apiVersion: 'apps/v1',
        kind: 'ReplicaSet',
        metadata: { name: 'half' },
        spec: {
          replicas: 0.5,
          selector: { matchLabels: { app: 'half' } },
          template: { metadata: { labels: { app: 'half' } }, spec: { containers: [{ name: 'c', image: 'busybox' }] } },
        },
      };
      await api.send({
        method: 'POST',
        path: '/apis/apps/v1/namespaces/default/replicasets',
        body: JSON.stringify(replicaSet),
      });
      const load = Array.from({ length: 100 }, (_, i) =>
        api.send({
          method: 'POST',
          path: '/api/v1/namespaces/default/configmaps',
          body: JSON.stringify({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: `busy-${i}` } }),
          timeoutMs: 5_000,
        }),
      );
      await new Promise((r) => setTimeout(r, 300));
      const sentAt = Date.now();
      cluster.child.kill('SIGTERM');
      const code = await exitWithin(cluster, 15);
      assert.ok(code === 0 || code === 1, `exit code ${String(code)}:\n${cluster.stderr()}`);
      assert.ok(Date.now() - sentAt < 15_000);
      await Promise.all(load);
    } finally {
      api.close();
      await stopClusterProcess(cluster, 'SIGKILL');
    }
  });
});
