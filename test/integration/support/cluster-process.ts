/**
 * `kube-workbench cluster start --runtime fake` as a child process, kubectl
 * against it, and bounded polling: shared by the orchestrator integration tests.
 */
import assert from 'node:assert/strict';
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { after, before } from 'node:test';
import { parseReadyLine } from '../../../client/orchestrator/protocol/ready-record';

// From __filename: the benchmarks load this file as an ES module through tsx, where __dirname is not this folder.
const ROOT = join(dirname(__filename), '..', '..', '..');
export const BIN = join(ROOT, 'scripts', 'kube-workbench.js');
export const BUNDLE = join(ROOT, 'client', 'out', 'orchestrator.js');

export interface ClusterProcess {
  child: ChildProcessWithoutNullStreams;
  api: string;
  kubeconfig: string;
  /** `http://127.0.0.1:PORT` of the cluster's Ingress entry. */
  ingress: string;
  dataDir: string;
  stderr: () => string;
}

/** `env`: variables added to this process's environment for the cluster (e.g. `DOCKER_HOST`). */
export function startClusterProcess(
  dataDir: string,
  extra: string[] = [],
  env: Record<string, string> = {},
): Promise<ClusterProcess> {
  const child = spawn(
    process.execPath,
    [BIN, 'cluster', 'start', '--data-dir', dataDir, '--port', '0', '--runtime', 'fake', ...extra],
    { env: { ...process.env, ...env } },
  );
  return new Promise((resolve, reject) => {
    let out = '';
    let err = '';
    const timer = setTimeout(() => reject(new Error(`cluster did not start:\n${out}\n${err}`)), 20_000);
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    child.stdout.on('data', (c: Buffer) => {
      out += c.toString();
      // The ready record's stdout line (client/orchestrator/protocol/ready-record.ts), once complete.
      for (const line of out.split('\n').slice(0, -1)) {
        const record = parseReadyLine(line);
        if (record) {
          clearTimeout(timer);
          const { api, kubeconfig, ingress = '' } = record;
          resolve({ child, api, kubeconfig, ingress, dataDir, stderr: () => err });
        }
      }
    });
    child.on('exit', (code) => {
      clearTimeout(timer);
      reject(new Error(`cluster exited with ${String(code)}:\n${out}\n${err}`));
    });
  });
}

export function stopClusterProcess(
  cluster: ClusterProcess,
  signal: NodeJS.Signals = 'SIGTERM',
): Promise<number | null> {
  return new Promise((resolve) => {
    if (cluster.child.exitCode !== null || cluster.child.signalCode !== null) return resolve(cluster.child.exitCode);
    cluster.child.removeAllListeners('exit');
    cluster.child.on('exit', (code) => resolve(code));
    cluster.child.kill(signal);
  });
}

export interface KubectlResult {
  code: number;
  out: string;
  err: string;
}

export function kubectlIn(cluster: ClusterProcess, cacheDir: string, args: string[], input?: string): KubectlResult {
  const r = spawnSync('kubectl', ['--kubeconfig', cluster.kubeconfig, '--cache-dir', cacheDir, ...args], {
    encoding: 'utf8',
    timeout: 120_000,
    ...(input !== undefined ? { input } : {}),
  });
  return { code: r.status ?? -1, out: r.stdout ?? '', err: `${r.stderr ?? ''}${r.error ? String(r.error) : ''}` };
}

/** Polls `check` until it returns a value (not undefined/false), for at most `seconds`. */
export async function waitUntil<T>(what: string, seconds: number, check: () => T | undefined | false): Promise<T> {
  const deadline = Date.now() + seconds * 1000;
  let last: Error | undefined;
  for (;;) {
    try {
      const value = check();
      if (value !== undefined && value !== false) return value;
    } catch (error) {
      last = error instanceof Error ? error : new Error(JSON.stringify(error));
    }
    if (Date.now() > deadline)
      throw new Error(`timed out after ${seconds} s waiting for ${what}${last ? `: ${last.message}` : ''}`);
    await new Promise((r) => setTimeout(r, 200));
  }
}

/** kubectl that must succeed: its stdout, or a failed assertion with kubectl's stderr. */
export function kubectlOk(cluster: ClusterProcess, cacheDir: string, args: string[]): string {
  const r = kubectlIn(cluster, cacheDir, args);
  assert.equal(r.code, 0, `kubectl ${args.join(' ')} failed:\n${r.err}`);
  return r.out;
}

/** The rows of kubectl's table output, split into columns. */
export function tableRows(out: string): string[][] {
  return out
    .trim()
    .split('\n')
    .filter((l) => l.trim() !== '')
    .map((l) => l.trim().split(/\s+/));
}

export interface ClusterFixture {
  /** The running cluster (set once the describe block's `before` has run). */
  readonly cluster: ClusterProcess;
  /** kubectl's own cache directory for this cluster. */
  readonly cacheDir: string;
  kubectl: (args: string[], input?: string) => KubectlResult;
  /** kubectl that must succeed: its stdout. */
  ok: (args: string[]) => string;
  /** `kubectl apply -f -` of `yaml`, which must succeed: its stdout. */
  apply: (yaml: string) => string;
}

/**
 * A `cluster start` process for the tests of one describe block (call it in
 * the block's body): started in a fresh temporary folder before them, stopped
 * and removed after. `extra`: more `cluster start` arguments (default: the
 * fake runtime).
 */
export function clusterFixture(prefix: string, extra: string[] = []): ClusterFixture {
  let root = '';
  let cluster: ClusterProcess | undefined;
  before(async () => {
    root = mkdtempSync(join(tmpdir(), prefix));
    cluster = await startClusterProcess(join(root, 'data'), extra);
  });
  after(async () => {
    if (cluster) await stopClusterProcess(cluster);
    if (root) rmSync(root, { recursive: true, force: true });
  });
  const fixture: ClusterFixture = {
    get cluster() {
      if (!cluster) throw new Error('the cluster has not started yet (use the fixture inside tests)');
      return cluster;
    },
    get cacheDir() {
      return join(root, 'cache');
    },
    kubectl: (args, input) => kubectlIn(fixture.cluster, fixture.cacheDir, args, input),
    ok: (args) => kubectlOk(fixture.cluster, fixture.cacheDir, args),
    apply: (yaml) => {
      const r = fixture.kubectl(['apply', '-f', '-'], yaml);
      assert.equal(r.code, 0, r.err);
      return r.out;
    },
  };
  return fixture;
}
