/**
 * Runs a reconcile function over a work queue with N concurrent workers:
 * one key at a time per worker, never the same key twice at once; a thrown
 * error requeues the key with backoff, success forgets its failures.
 */
import { StatusError } from '../store/errors';
import { traceWork, tracing } from '../api/loop-trace';
import { turnIfDue } from './io-turn';
import type { WorkQueue } from './work-queue';

export type Reconcile = (key: string) => Promise<void>;

export interface RunningController {
  /** Stops handing out keys and resolves when every worker has finished its current key. */
  stop(): Promise<void>;
}

export function runWorkers(name: string, queue: WorkQueue, workers: number, reconcile: Reconcile): RunningController {
  const loops: Promise<void>[] = [];
  for (let i = 0; i < workers; i++) loops.push(workerLoop(name, queue, reconcile));
  return {
    async stop() {
      queue.shutDown();
      await Promise.all(loops);
    },
  };
}

async function workerLoop(name: string, queue: WorkQueue, reconcile: Reconcile): Promise<void> {
  for (;;) {
    const key = await queue.get();
    if (key === undefined) return;
    const started = tracing ? performance.now() : 0;
    try {
      await reconcile(key);
      queue.forget(key);
    } catch (error) {
      if (!queue.isShuttingDown) {
        if (!isExpected(error)) reportError(name, key, error);
        queue.addRateLimited(key);
      }
    } finally {
      queue.done(key);
      if (tracing) traceWork(name, performance.now() - started);
    }
    // Requests are read between slices of controller work, never only after all of it.
    const turn = turnIfDue();
    if (turn) await turn;
  }
}

/** Conflicts and vanished objects are routine: the retry reads the newer state. */
function isExpected(error: unknown): boolean {
  return (
    error instanceof StatusError &&
    (error.reason === 'Conflict' || error.reason === 'NotFound' || error.reason === 'AlreadyExists')
  );
}

function reportError(name: string, key: string, error: unknown): void {
  const text = error instanceof Error ? error.message : String(error);
  process.stderr.write(`kube-workbench: ${name} ${key}: ${text}\n`);
}
