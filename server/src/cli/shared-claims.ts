/**
 * How the threads of `validate --jobs N` share the files without a message
 * per file: memory all of them see, where a thread claims a batch of the
 * first pass or a file of the second with one atomic compare-and-exchange, so
 * whichever thread is free takes the next piece of work and no piece is done
 * twice (cli/check-pool.ts).
 */
import type { FileFacts, KeptDocuments } from '../validate-files.js';
import { scanFile } from '../validate-files.js';

/** Files a thread claims at a time in the first pass. */
export const SCAN_BATCH = 16;

/** A file's first pass on one thread: its facts, or why it could not be read. */
export type ScanOutcome = { readonly file: number } & ({ readonly facts: FileFacts } | { readonly reason: string });

/** What one thread's first pass found: each file's outcome, the CRDs with their file's place. */
export interface ScanAnswer {
  readonly scanned: readonly ScanOutcome[];
  readonly crds: readonly (readonly [number, string, string])[];
}

/**
 * The memory the threads share: [0] a hint of the next batch; then, per batch
 * of the first pass, the thread that claimed it; then, per task of the second,
 * the thread that claimed it (0: nobody yet). Threads are numbered from 1 (main).
 */
export function views(
  shared: SharedArrayBuffer,
  files: number,
): { hint: Int32Array; batches: Int32Array; tasks: Int32Array } {
  const batches = Math.ceil(files / SCAN_BATCH);
  return {
    hint: new Int32Array(shared, 0, 1),
    batches: new Int32Array(shared, 4, batches),
    tasks: new Int32Array(shared, 4 * (1 + batches), files),
  };
}

export function sharedFor(files: number): SharedArrayBuffer {
  return new SharedArrayBuffer(4 * (1 + Math.ceil(files / SCAN_BATCH) + files));
}

/** Claims the first pass's batches for `thread`, one after another, until none is left; returns the first file of each. */
function* claimBatches(hint: Int32Array, batches: Int32Array, thread: number): Generator<number> {
  for (let k = Atomics.load(hint, 0); k < batches.length; k++) {
    if (Atomics.compareExchange(batches, k, 0, thread) !== 0) continue;
    Atomics.store(hint, 0, k + 1);
    yield k * SCAN_BATCH;
  }
}

/**
 * The first pass over the files `thread` claims: their facts (or reasons),
 * the CRDs in them with each one's file, their documents kept within `budget`.
 */
export function scanClaimed(
  files: readonly string[],
  shared: SharedArrayBuffer,
  thread: number,
  budget: number,
  kept: KeptDocuments,
): ScanAnswer {
  const { hint, batches } = views(shared, files.length);
  const scanned: ScanOutcome[] = [];
  const crds: [number, string, string][] = [];
  const found: [string, string][] = [];
  let left = budget;
  for (const first of claimBatches(hint, batches, thread)) {
    for (let i = first; i < Math.min(files.length, first + SCAN_BATCH); i++) {
      const file = files[i] ?? '';
      const outcome = scanFile(file, found, left);
      for (const [source, text] of found) crds.push([i, source, text]);
      found.length = 0;
      if ('reason' in outcome) scanned.push({ file: i, reason: outcome.reason });
      else {
        scanned.push({ file: i, facts: outcome.facts });
        if (outcome.documents) {
          kept.set(file, outcome.documents);
          left -= outcome.length;
        }
      }
    }
  }
  return { scanned, crds };
}

/**
 * The second pass's order for `thread`: the tasks it read, first to last, then
 * every other thread's, last to first; each taken only if this thread is the
 * one to claim it. Yields task indexes.
 */
export function* claimTasks(
  claims: Int32Array,
  readers: Int32Array,
  thread: number,
  threads: number,
): Generator<number> {
  const claim = (t: number): boolean => Atomics.compareExchange(claims, t, 0, thread) === 0;
  for (let t = 0; t < readers.length; t++) if (readers[t] === thread && claim(t)) yield t;
  for (let other = 1; other <= threads; other++) {
    if (other === thread) continue;
    for (let t = readers.length - 1; t >= 0; t--) if (readers[t] === other && claim(t)) yield t;
  }
}
