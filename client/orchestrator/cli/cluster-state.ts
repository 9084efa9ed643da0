/**
 * What `cluster stop|delete|status|list` learn about a data directory without
 * trusting it: whether a cluster process of this directory holds its lock
 * (protocol/liveness.ts), its ready record, and whether the directory is a
 * cluster's data directory at all (so `delete` never removes another folder).
 */
import { promises as fs, readFileSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { DATA_DIR_FILES, lockHolder } from '../protocol/data-dir-files';
import { clusterProcessFor, processAlive } from '../protocol/liveness';
import { readReadyRecord, type ReadyRecord } from '../protocol/ready-record';
import { clusterIdFor } from '../kubelet/docker-runtime-factory';
import { defaultDataDir } from './args';

export interface ClusterState {
  dataDir: string;
  /** The label value of its Docker objects. */
  clusterId: string;
  /** The live cluster process holding the directory. */
  pid?: number;
  /** Its ready record, once it serves (only a record of that process). */
  record?: ReadyRecord;
  /** Why the ready record could not be read. */
  recordProblem?: string;
}

/** Files only a cluster's data directory has: one of them must be there before `delete` removes it. */
const MARKERS = ['store', 'token', 'apiserver.key', DATA_DIR_FILES.lock, DATA_DIR_FILES.kubeconfig];

export async function isClusterDataDir(dir: string): Promise<boolean> {
  const stat = await fs.lstat(dir).catch(() => undefined);
  if (!stat?.isDirectory()) return false;
  for (const name of MARKERS) if (await fs.lstat(join(dir, name)).catch(() => undefined)) return true;
  return false;
}

/** A process that exited but was not yet reaped (a zombie) still answers signal 0: not alive. */
export function running(pid: number): boolean {
  if (!processAlive(pid)) return false;
  try {
    const stat = readFileSync(`/proc/${pid}/stat`, 'utf8');
    return stat.slice(stat.lastIndexOf(')') + 2, stat.lastIndexOf(')') + 3) !== 'Z';
  } catch {
    return true; // no /proc: trust signal 0
  }
}

export async function clusterState(dataDir: string): Promise<ClusterState> {
  const dir = resolve(dataDir);
  const state: ClusterState = { dataDir: dir, clusterId: clusterIdFor(dir) };
  const pid = await lockHolder(dir);
  if (pid === undefined || !running(pid) || clusterProcessFor(pid, dir) === 'no') return state;
  state.pid = pid;
  try {
    const record = await readReadyRecord(dir);
    if (record?.pid === pid) state.record = record;
  } catch (error) {
    state.recordProblem = (error as Error).message;
  }
  return state;
}

/** The folder holding the default data directory: `cluster list` looks for clusters there. */
export function stateRoot(env: NodeJS.ProcessEnv = process.env): string {
  return dirname(defaultDataDir(env));
}

/** SIGTERM to `pid`, then waits (polling, bounded) until it has exited. False when it still runs at the deadline. */
export async function terminate(pid: number, timeoutMs: number): Promise<boolean> {
  try {
    process.kill(pid, 'SIGTERM');
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ESRCH') return true;
    throw error;
  }
  const deadline = Date.now() + timeoutMs;
  while (running(pid)) {
    if (Date.now() > deadline) return false;
    await new Promise((r) => setTimeout(r, 100));
  }
  return true;
}
