/**
 * The embedded cluster as its own detached process, shared by every window:
 * the orchestrator's ready record in its data directory (in the extension's
 * global storage) says which process serves, at which API URL, with which
 * kubeconfig; a live one is reused, otherwise one is started (one window at a
 * time, under a start lock) and this waits for the new process's ready record.
 * Everything it reads of the orchestrator is in client/orchestrator/protocol/.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, open, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
import {
  clusterStartArgv,
  lockHolder,
  pidInFile,
  processAlive,
  readReadyRecord,
  ReadyRecordError,
  waitForReadyRecord,
  type ReadyRecord,
  type RuntimeName,
} from '../../orchestrator/protocol/index.js';
import { ClusterConnection } from './cluster-connection.js';
import { errorText } from './cluster-error.js';

export interface EmbeddedClusterOptions {
  /** The extension's global storage directory. */
  storageDir: string;
  /** `scripts/kube-workbench.js` of the extension. */
  cliScript: string;
  port?: number;
  nodes?: number;
  ingressPort?: number;
  runtime?: RuntimeName;
  /** A Docker socket path; the engine's default when unset. */
  dockerSocket?: string;
  /** `--max-nodes`, `--node-cpu`, `--node-memory` of `cluster start`. */
  maxNodes?: number;
  nodeCpu?: string;
  nodeMemory?: string;
  /** The Node executable (VS Code's own runs as Node with ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  startTimeoutMs?: number;
}

/** The running cluster: its ready record, and the log file its output goes to. */
export interface EmbeddedState extends ReadyRecord {
  logFile: string;
}

const START_LOCK = 'embedded-cluster.starting';
/** Where versions before the ready record kept the state; removed when seen. */
const OLD_STATE_FILE = 'embedded-cluster.json';

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class EmbeddedCluster {
  constructor(private readonly options: EmbeddedClusterOptions) {}

  get dataDir(): string {
    return join(this.options.storageDir, 'cluster');
  }

  get logFile(): string {
    return join(this.options.storageDir, 'cluster.log');
  }

  /**
   * The running cluster's state, or undefined when none runs: no ready record,
   * one whose process is gone, or one that is not valid (a start replaces it).
   */
  async running(): Promise<EmbeddedState | undefined> {
    let record: ReadyRecord | undefined;
    try {
      record = await readReadyRecord(this.dataDir);
    } catch (error) {
      if (error instanceof ReadyRecordError) return undefined;
      throw error;
    }
    if (!record || !processAlive(record.pid)) return undefined;
    try {
      await (await ClusterConnection.fromKubeconfig(record.kubeconfig)).version();
      return { ...record, logFile: this.logFile };
    } catch {
      return undefined; // alive but not answering: stopping, or a reused pid
    }
  }

  /** The running cluster, started first when none runs. */
  async ensureStarted(): Promise<EmbeddedState> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 60_000);
    await mkdir(this.dataDir, { recursive: true, mode: 0o700 });
    for (;;) {
      const existing = await this.running();
      if (existing) return existing;
      if (await this.takeStartLock()) {
        try {
          return await this.start(deadline);
        } finally {
          await rm(join(this.options.storageDir, START_LOCK), { force: true });
        }
      }
      if (Date.now() > deadline)
        throw new Error('another window is starting the embedded cluster and it did not finish in time');
      await sleep(250); // another window is starting it
    }
  }

  private async takeStartLock(): Promise<boolean> {
    const path = join(this.options.storageDir, START_LOCK);
    try {
      await writeFile(path, `${process.pid}\n`, { flag: 'wx' });
      return true;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
      const holder = await pidInFile(path);
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
      if ((holder !== undefined && processAlive(holder) && age < 90_000) || age < 1_000) return false;
      await rm(path, { force: true });
      return this.takeStartLock();
    }
  }

  private args(): string[] {
    const o = this.options;
    return clusterStartArgv({
      dataDir: this.dataDir,
      port: o.port ?? 0,
      nodes: o.nodes ?? 1,
      ...(o.runtime ? { runtime: o.runtime } : {}),
      ...(o.ingressPort === undefined ? {} : { ingressPort: o.ingressPort }),
      ...(o.maxNodes === undefined ? {} : { maxNodes: o.maxNodes }),
      ...(o.nodeCpu === undefined ? {} : { nodeCpu: o.nodeCpu }),
      ...(o.nodeMemory === undefined ? {} : { nodeMemory: o.nodeMemory }),
    });
  }

  private async start(deadline: number): Promise<EmbeddedState> {
    const before = (await stat(this.logFile).catch(() => undefined))?.size ?? 0;
    const fd = openSync(this.logFile, 'a');
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    // Node reads every certificate NODE_EXTRA_CA_CERTS names before any script runs (~40 ms of CPU per start on a
    // machine that sets it). The cluster makes no TLS connection that uses the root store: its own API client names
    // the cluster's CA, and Docker is reached over a unix socket. So the variable is only a cost, and a warning in
    // the cluster's log when the file it names is gone.
    delete env['NODE_EXTRA_CA_CERTS'];
    if (this.options.dockerSocket) env.DOCKER_HOST = `unix://${this.options.dockerSocket}`;
    const spawnedAt = Date.now();
    const child = spawn(this.options.execPath ?? process.execPath, [this.options.cliScript, ...this.args()], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env,
    });
    closeSync(fd);
    const exited = new Promise<string>((resolve) => {
      child.on('exit', (code, signal) => resolve(signal ? `signal ${signal}` : `exit code ${code ?? '?'}`));
      child.on('error', (error) => resolve(errorText(error)));
    });
    child.unref();
    if (child.pid === undefined) throw new Error(`the embedded cluster could not be started: ${await exited}`);
    const outcome = await waitForReadyRecord({
      dataDir: this.dataDir,
      pid: child.pid,
      spawnedAt,
      exited,
      timeoutMs: Math.max(0, deadline - Date.now()),
    });
    if (outcome.kind === 'ready') return { ...outcome.record, logFile: this.logFile };
    const log = await this.logSince(before);
    const invalid = outcome.invalid ? `\n${outcome.invalid}` : '';
    if (outcome.kind === 'exited')
      throw new Error(
        `The embedded cluster exited before it was ready (${outcome.how}); its log (${this.logFile}) ends:\n${log}${invalid}\n` +
          'Fix what the log reports (a cluster still running: stop it with "Kube Workbench: Stop Embedded Cluster"), then start it again.',
      );
    child.kill('SIGTERM');
    throw new Error(
      `The embedded cluster was not ready in time; its log (${this.logFile}) ends:\n${log}${invalid}\n` +
        'Start it again, or raise the start timeout if the machine is busy.',
    );
  }

  /** The last lines the cluster logged since `offset` (of at most its last 64 KiB). */
  private async logSince(offset: number): Promise<string> {
    let text = '';
    try {
      const file = await open(this.logFile, 'r');
      try {
        const size = (await file.stat()).size;
        const from = Math.max(offset, size - 65_536);
        const buffer = Buffer.alloc(Math.max(0, size - from));
        await file.read(buffer, 0, buffer.length, from);
        text = buffer.toString('utf8');
      } finally {
        await file.close();
      }
    } catch {
      // no log: said below
    }
    return text.trim().split('\n').slice(-5).join('\n') || '(no output)';
  }

  /** Stops the running cluster (SIGTERM, then waits for it to exit); false when none ran. */
  async stop(timeoutMs = 15_000): Promise<boolean> {
    // The ready record's pid, or the data directory's lock holder: a cluster still starting,
    // or one an earlier version of the extension started (it wrote no ready record).
    const record = await readReadyRecord(this.dataDir).catch(() => undefined);
    const pid = record?.pid ?? (await lockHolder(this.dataDir));
    await rm(join(this.options.storageDir, OLD_STATE_FILE), { force: true });
    if (pid === undefined || !processAlive(pid)) return false;
    process.kill(pid, 'SIGTERM');
    const deadline = Date.now() + timeoutMs;
    while (processAlive(pid) && Date.now() < deadline) await sleep(100);
    if (processAlive(pid)) process.kill(pid, 'SIGKILL');
    return true;
  }
}
