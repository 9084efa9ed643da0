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
 *
 * The other way round, before the file comes: the worker's warm-up has little time (the file often
 * comes 100-300 ms after the worker's start), so while it runs V8 looks at hot code after an eighth of
 * the usual work (`hastenOptimizingCompiler`): in one thread, 20 sample documents then 500 chunks with
 * the compiler paused, 0.19-0.29 ms of CPU per chunk against 0.31-0.39 (docs/BENCHMARKS.md, session 12).
 */
import { setFlagsFromString } from 'node:v8';

/** Pauses not yet ended: the compiler runs again when none is left. */
let pauses = 0;

const ownFlags = (): boolean =>
  process.execArgv.some((a) => /turbofan|\bopt\b|jitless|maglev|interrupt-budget/.test(a));

/**
 * V8's interrupt budget (the bytecode a function runs before the compiler looks at it again) by V8
 * version: its default, known for Node 20's V8 only (a flag set back to another value than its default
 * would change the stamp of every code cache written afterwards).
 */
const DEFAULT_BUDGET = process.versions.v8.startsWith('11.3.') ? 67584 : undefined;

/** The budget while the worker warms up: hot code is compiled after an eighth of the work. */
const WARM_UP_BUDGET = 8192;

/** The longest a haste lasts (the main thread writes its code cache 3 s after its start). */
const MAX_HASTE_MS = 1000;

let hastened = false;

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

/**
 * The validation worker's warm-up (before the editor's first large file; the main thread idle): V8
 * optimizes hot code after an eighth of the usual work, so the little time the worker has before the
 * file comes leaves it optimized code for the first pass (which pauses the compiler). Flags are the
 * process's, and V8 stamps code caches with them: call once both threads' bundles are loaded, and
 * `endHaste()` before any cache is written (it ends by itself after MAX_HASTE_MS). Nothing is changed
 * in a V8 whose default is not known.
 */
export function hastenOptimizingCompiler(): void {
  if (ownFlags() || DEFAULT_BUDGET === undefined || hastened) return;
  hastened = true;
  setFlag(`--interrupt-budget=${WARM_UP_BUDGET}`);
  setTimeout(() => endHaste(), MAX_HASTE_MS).unref();
}

/**
 * Ends the haste: the budget is V8's default again. `always`: even if this thread did not hasten it
 * (the main thread, once the worker that did is gone).
 */
export function endHaste(always = false): void {
  if (!(hastened || always) || ownFlags() || DEFAULT_BUDGET === undefined) return;
  hastened = false;
  setFlag(`--interrupt-budget=${DEFAULT_BUDGET}`);
}

/** Ends one pause; the compiler runs again once every pause has ended. */
export function resumeOptimizingCompiler(): void {
  if (ownFlags() || pauses === 0) return;
  if (--pauses === 0) setFlag('--turbofan');
}
