/**
 * `validate --jobs N`: the second pass (each file's own checks) spread over
 * worker threads. The main thread scans the files (CRDs, kustomizations,
 * templates), gives every worker that context, then hands out batches of
 * files as workers finish the last; results are kept by the file's place in
 * the list, so the report is the one a single thread writes, byte for byte.
 */
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createLanguageService } from '../language-service.js';
import { applyContext, createFileChecker } from '../validate-files.js';
import type { CheckContext, FileResult, FileTask } from '../validate-files.js';

const TAG = 'kube-workbench validate worker';

interface WorkerInit {
  readonly tag: typeof TAG;
  readonly kubernetesVersion: string | undefined;
  readonly context: CheckContext;
}

/** Files a worker is given at a time: few enough to share the work evenly, enough to keep messages few. */
const BATCH = 16;

/** How many workers are worth starting for this many files (each costs a start-up: schemas and the bundle). */
export function workersFor(jobs: number, files: number): number {
  return Math.max(1, Math.min(jobs, Math.floor(files / (2 * BATCH))));
}

/**
 * Checks `tasks` on `jobs` worker threads running `script` (this bundle),
 * calling `onResult` with each file's place in `tasks` as results come in.
 */
export function checkInWorkers(
  script: string,
  jobs: number,
  kubernetesVersion: string | undefined,
  context: CheckContext,
  tasks: readonly FileTask[],
  onResult: (index: number, result: FileResult) => void,
): Promise<void> {
  const init: WorkerInit = { tag: TAG, kubernetesVersion, context };
  const workers: Worker[] = [];
  return new Promise<void>((resolve, reject) => {
    let next = 0;
    let pending = tasks.length;
    let failed = false;
    const fail = (error: unknown): void => {
      if (failed) return;
      failed = true;
      for (const w of workers) void w.terminate();
      reject(error instanceof Error ? error : new Error(String(error)));
    };
    const give = (worker: Worker): void => {
      if (next >= tasks.length) return;
      const first = next;
      next = Math.min(tasks.length, next + BATCH);
      worker.postMessage({ first, tasks: tasks.slice(first, next) });
    };
    if (pending === 0) return resolve();
    for (let i = 0; i < jobs; i++) {
      const worker = new Worker(script, { workerData: init });
      workers.push(worker);
      worker.on('message', ({ first, results }: { first: number; results: FileResult[] }) => {
        results.forEach((r, k) => onResult(first + k, r));
        pending -= results.length;
        if (pending === 0) {
          for (const w of workers) void w.terminate();
          resolve();
        } else give(worker);
      });
      worker.on('error', fail);
      worker.on('exit', (code) => {
        if (pending > 0) fail(new Error(`a validate worker stopped (exit code ${code}) before its files were checked`));
      });
      give(worker);
    }
  });
}

/** True in a worker thread started by `checkInWorkers`: it then serves batches until terminated. */
export function runAsCheckWorker(): boolean {
  const init = workerData as Partial<WorkerInit> | null;
  if (isMainThread || parentPort === null || init?.tag !== TAG || init.context === undefined) return false;
  const service = createLanguageService({ kubernetesVersion: init.kubernetesVersion, cacheCapacity: 64 });
  applyContext(service, init.context);
  const check = createFileChecker(service, init.context);
  const port = parentPort;
  port.on('message', ({ first, tasks }: { first: number; tasks: FileTask[] }) => {
    port.postMessage({ first, results: tasks.map(check) });
  });
  return true;
}
