/** The `--data-dir` flag the cluster commands share, and the process stop that `stop` and `delete` share. */
import { resolve } from 'node:path';
import { defaultDataDir, type Output } from '../args';
import { UsageError } from '../command';
import { terminate, type ClusterState } from '../cluster-state';

export const DATA_DIR_FLAG = '--data-dir';
export const DATA_DIR_HELP = `  ${DATA_DIR_FLAG} DIR  the cluster's data directory (default: $XDG_STATE_HOME/kube-workbench/cluster, else ~/.local/state/kube-workbench/cluster)`;

export function dataDirOf(flags: ReadonlyMap<string, string>): string {
  return resolve(flags.get(DATA_DIR_FLAG) ?? defaultDataDir());
}

/** How long the orchestrator may take to exit after SIGTERM (it bounds its own stop at 10 s). */
const EXIT_TIMEOUT_MS = 30_000;

/** Stops the cluster's process, if one runs; false (said on stderr) when it did not exit in time. */
export async function stopProcess(state: ClusterState, output: Output, prefix: string): Promise<boolean> {
  if (state.pid === undefined) return true;
  output.out(`stopping the cluster process ${state.pid}`);
  if (await terminate(state.pid, EXIT_TIMEOUT_MS)) return true;
  output.err(`${prefix}: process ${state.pid} did not exit within ${EXIT_TIMEOUT_MS / 1000} s after SIGTERM`);
  return false;
}

/** `--grace-period SECONDS`: a whole number from 0 to 3600. */
export function graceSeconds(value: string | undefined, fallback: number): number {
  if (value === undefined) return fallback;
  if (!/^\d{1,4}$/.test(value) || Number(value) > 3600)
    throw new UsageError(`--grace-period needs whole seconds from 0 to 3600, not '${value}'`);
  return Number(value);
}
