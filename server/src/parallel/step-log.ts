/**
 * The first pass's step log, for the benches (bench/profile-first-diagnostics.mjs): with
 * KUBE_WORKBENCH_STEP_LOG=1 each step writes one stderr line, `kw-step <thread> <step> <epoch ms>
 * <thread CPU ms>`, so the time between steps of both threads can be set against the client's own
 * clock. Off (the default), a step costs one boolean test.
 */
import { readFileSync, writeSync } from 'node:fs';
import { isMainThread } from 'node:worker_threads';

const on = process.env.KUBE_WORKBENCH_STEP_LOG === '1';

/** This thread's CPU time in ms (Linux; 0 elsewhere). */
function threadCpuMs(): number {
  try {
    return Number(readFileSync('/proc/thread-self/schedstat', 'utf8').split(' ')[0]) / 1e6;
  } catch {
    return 0;
  }
}

/** Logs a step of this thread (`at`: its time since the epoch in ms, now when not given). */
export function logStep(name: string, at?: number): void {
  if (!on) return;
  const time = at ?? performance.timeOrigin + performance.now();
  const line = `kw-step ${isMainThread ? 'main' : 'worker'} ${name} ${time.toFixed(2)} ${threadCpuMs().toFixed(2)}\n`;
  try {
    // Straight to the descriptor: a worker's process.stderr goes through the main thread, which may be busy
    // (or gone) until after the bench has stopped reading.
    writeSync(2, line);
  } catch {
    // A step log that cannot be written is no step log.
  }
}
