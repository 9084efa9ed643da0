/**
 * The embedded cluster as its own detached process, shared by every window:
 * a state file in the extension's global storage records its pid, API URL and
 * kubeconfig; a live one is reused, otherwise one is started (one window at a
 * time, under a start lock) with its data directory in the same storage.
 */
import { spawn } from 'node:child_process';
import { closeSync, openSync } from 'node:fs';
import { mkdir, readFile, rm, stat, writeFile } from 'node:fs/promises';
import { join } from 'node:path';
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
  runtime?: 'docker' | 'fake';
  /** A Docker socket path; the engine's default when unset. */
  dockerSocket?: string;
  /** The Node executable (VS Code's own runs as Node with ELECTRON_RUN_AS_NODE). */
  execPath?: string;
  startTimeoutMs?: number;
}

export interface EmbeddedState {
  pid: number;
  api: string;
  kubeconfig: string;
  runtime: 'docker' | 'fake';
  /** Why the fake runtime is used, when it is. */
  runtimeNote?: string;
  logFile: string;
}

const STATE_FILE = 'embedded-cluster.json';
const START_LOCK = 'embedded-cluster.starting';

function alive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}

const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

export class EmbeddedCluster {
  constructor(private readonly options: EmbeddedClusterOptions) {}

  get dataDir(): string {
    return join(this.options.storageDir, 'cluster');
  }

  get logFile(): string {
    return join(this.options.storageDir, 'cluster.log');
  }

  private get statePath(): string {
    return join(this.options.storageDir, STATE_FILE);
  }

  /** The running cluster's state, or undefined when none runs (a stale state file is removed). */
  async running(): Promise<EmbeddedState | undefined> {
    let state: EmbeddedState;
    try {
      state = JSON.parse(await readFile(this.statePath, 'utf8')) as EmbeddedState;
    } catch {
      return undefined;
    }
    if (!alive(state.pid)) {
      await rm(this.statePath, { force: true });
      return undefined;
    }
    try {
      await (await ClusterConnection.fromKubeconfig(state.kubeconfig)).version();
      return state;
    } catch {
      return undefined; // alive but not answering: a start in progress, or a reused pid
    }
  }

  /** The running cluster, started first when none runs. */
  async ensureStarted(): Promise<EmbeddedState> {
    const deadline = Date.now() + (this.options.startTimeoutMs ?? 60_000);
    await mkdir(this.options.storageDir, { recursive: true });
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
      const holder = Number((await readFile(path, 'utf8').catch(() => '')).trim());
      const age = Date.now() - (await stat(path).catch(() => ({ mtimeMs: 0 }))).mtimeMs;
      if ((Number.isInteger(holder) && holder > 0 && alive(holder) && age < 90_000) || age < 1_000) return false;
      await rm(path, { force: true });
      return this.takeStartLock();
    }
  }

  private args(): string[] {
    const o = this.options;
    const args = [
      'cluster',
      'start',
      '--data-dir',
      this.dataDir,
      '--port',
      String(o.port ?? 0),
      '--nodes',
      String(o.nodes ?? 1),
    ];
    if (o.runtime) args.push('--runtime', o.runtime);
    if (o.ingressPort !== undefined) args.push('--ingress-port', String(o.ingressPort));
    return args;
  }

  private async start(deadline: number): Promise<EmbeddedState> {
    const before = await readFile(this.logFile, 'utf8').catch(() => '');
    const fd = openSync(this.logFile, 'a');
    const env: NodeJS.ProcessEnv = { ...process.env, ELECTRON_RUN_AS_NODE: '1' };
    if (this.options.dockerSocket) env.DOCKER_HOST = `unix://${this.options.dockerSocket}`;
    const child = spawn(this.options.execPath ?? process.execPath, [this.options.cliScript, ...this.args()], {
      detached: true,
      stdio: ['ignore', fd, fd],
      env,
    });
    closeSync(fd);
    let exited: string | undefined;
    child.on('exit', (code, signal) => (exited = signal ?? String(code)));
    child.on('error', (error) => (exited = errorText(error)));
    child.unref();
    for (;;) {
      const log = (await readFile(this.logFile, 'utf8').catch(() => before)).slice(before.length);
      const api = /^api: (\S+)$/m.exec(log)?.[1];
      const kubeconfig = /^kubeconfig: (\S+)$/m.exec(log)?.[1];
      if (api && kubeconfig && child.pid !== undefined) {
        const note = /^kube-workbench cluster: (.*Using the fake runtime.*)$/m.exec(log)?.[1];
        const runtime = this.options.runtime ?? (note ? 'fake' : 'docker');
        const state: EmbeddedState = { pid: child.pid, api, kubeconfig, runtime, logFile: this.logFile };
        if (note) state.runtimeNote = note;
        await writeFile(this.statePath, JSON.stringify(state, null, 2));
        return state;
      }
      if (exited !== undefined) throw new Error(`the embedded cluster exited (${exited}): ${lastLines(log)}`);
      if (Date.now() > deadline) {
        child.kill('SIGTERM');
        throw new Error(`the embedded cluster did not start in time: ${lastLines(log)}`);
      }
      await sleep(100);
    }
  }

  /** Stops the running cluster (SIGTERM, then waits for it to exit); false when none ran. */
  async stop(timeoutMs = 15_000): Promise<boolean> {
    let state: EmbeddedState;
    try {
      state = JSON.parse(await readFile(this.statePath, 'utf8')) as EmbeddedState;
    } catch {
      return false;
    }
    if (alive(state.pid)) {
      process.kill(state.pid, 'SIGTERM');
      const deadline = Date.now() + timeoutMs;
      while (alive(state.pid) && Date.now() < deadline) await sleep(100);
      if (alive(state.pid)) process.kill(state.pid, 'SIGKILL');
    }
    await rm(this.statePath, { force: true });
    return true;
  }
}

function lastLines(log: string): string {
  const lines = log.trim().split('\n');
  return lines.slice(-5).join('\n') || '(no output)';
}
