import { spawn } from 'node:child_process';
import type { ChildProcess, SpawnOptions } from 'node:child_process';

/** A child process that leads its own process group, so stopping it stops everything it started. */
export interface GroupProcess {
  readonly child: ChildProcess;
  /** Resolves with the exit code (or 1 when a signal ended it). */
  readonly exited: Promise<number>;
  /** SIGTERM to the whole group, SIGKILL after `graceMs` if anything is left. */
  stop(graceMs?: number): Promise<void>;
}

const live = new Set<GroupProcess>();

export function spawnGroup(command: string, args: readonly string[], options: SpawnOptions = {}): GroupProcess {
  const child = spawn(command, args, { ...options, detached: true });
  let done = false;
  const exited = new Promise<number>((resolve) => {
    child.once('error', () => {
      done = true;
      resolve(1);
    });
    child.once('exit', (code) => {
      done = true;
      resolve(code ?? 1);
    });
  });
  const proc: GroupProcess = {
    child,
    exited,
    async stop(graceMs = 5000) {
      live.delete(proc);
      if (child.pid === undefined) return;
      signalGroup(child.pid, 'SIGTERM');
      if (!done) await Promise.race([exited, delay(graceMs)]);
      // Whatever the leader left behind in its group goes too.
      signalGroup(child.pid, 'SIGKILL');
    },
  };
  live.add(proc);
  return proc;
}

function delay(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms).unref());
}

function signalGroup(pid: number, signal: NodeJS.Signals): void {
  try {
    process.kill(-pid, signal);
  } catch {
    // The group has already gone.
  }
}

/** Kills every group still running, synchronously: for signal handlers and `exit`. */
export function killAllGroups(): void {
  for (const proc of live) {
    if (proc.child.pid !== undefined) signalGroup(proc.child.pid, 'SIGKILL');
  }
  live.clear();
}
