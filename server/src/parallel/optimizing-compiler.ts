/**
 * V8's optimizing compiler (TurboFan), paused while a large file's first pass runs on two threads.
 * Most of that code is cold on the main thread: TurboFan would compile it on background threads,
 * and on a machine of two cores, with both threads checking chunks, those compiles take the cores the
 * checks need, for code that is done before it pays back (500 of the 1,000 Deployments, cold: 220-240
 * ms of process CPU with it, 120-165 without; docs/BENCHMARKS.md, session 11). Code already optimized
 * (the worker's warm-up) stays so; the rest runs on the baseline tiers until the pass ends, and edits
 * then get optimized code as before. Flags are the process's: the worker's share is paused too.
 * Nothing is changed when the process was started with compiler flags of its own.
 *
 * V8 stamps its code cache with the flags in force (scripts/code-cache.js): a cache written while
 * paused is rejected by a start that is not. Caches are written outside the pause (the worker's after
 * the first job has had time to end, see validation-worker.ts).
 */
import { setFlagsFromString } from 'node:v8';

/** Pauses not yet ended: the compiler runs again when none is left. */
let pauses = 0;

const ownFlags = (): boolean => process.execArgv.some((a) => /turbofan|\bopt\b|jitless|maglev/.test(a));

/** Sets a V8 flag; a Node that refuses flags at run time only loses the pause. */
function setFlag(flag: string): void {
  try {
    setFlagsFromString(flag);
  } catch {
    // Nothing to undo: the flag is as it was.
  }
}

/** Pauses the optimizing compiler until the matching `resumeOptimizingCompiler()`. */
export function pauseOptimizingCompiler(): void {
  if (ownFlags()) return;
  if (pauses++ === 0) setFlag('--no-turbofan');
}

/** Ends one pause; the compiler runs again once every pause has ended. */
export function resumeOptimizingCompiler(): void {
  if (ownFlags() || pauses === 0) return;
  if (--pauses === 0) setFlag('--turbofan');
}
