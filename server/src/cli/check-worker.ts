/**
 * A worker thread of `validate --jobs N` (cli/check-pool.ts): it loads the
 * schemas while the main thread lists the folders, then claims batches of the
 * first pass and keeps the documents it read; given the context, it checks
 * the files it read, then any other thread's still unclaimed, and sends the
 * results back a batch at a time.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import { createLanguageService } from '../language-service.js';
import { applyContext, createFileChecker } from '../validate-files.js';
import type { CheckContext, FileResult, FileTask, KeptDocuments } from '../validate-files.js';
import { claimTasks, scanClaimed, views } from './shared-claims.js';
import type { ScanAnswer } from './shared-claims.js';

export const TAG = 'kube-workbench validate worker';

export interface WorkerInit {
  readonly tag: typeof TAG;
  readonly kubernetesVersion: string | undefined;
}

/** Main thread to worker: the files to claim from (once), then the context and the tasks. */
export type ToWorker =
  | {
      readonly scan: {
        readonly files: readonly string[];
        readonly shared: SharedArrayBuffer;
        readonly thread: number;
        readonly budget: number;
      };
    }
  | {
      readonly context: CheckContext;
      readonly tasks: readonly FileTask[];
      /** Per task: the thread that read it in the first pass. */
      readonly readers: Int32Array;
      /** How many threads there are (the main one included). */
      readonly threads: number;
    };
/** Worker to main thread: what its first pass found (CRDs with their file's place), then results. */
export type FromWorker = ScanAnswer | { readonly tasks: readonly number[]; readonly results: readonly FileResult[] };

/** Files a thread checks between looking at messages (main thread) or between sending results (workers). */
export const CHECK_BATCH = 16;

/** True in a worker thread started by `CheckPool`: it then serves its part until terminated. */
export function runAsCheckWorker(): boolean {
  const init = workerData as Partial<WorkerInit> | null;
  if (isMainThread || parentPort === null || init?.tag !== TAG) return false;
  // Schemas are loaded while the main thread lists the files; the files and the context come after.
  // One pass over the files, as on the main thread: a parse kept for later only feeds the garbage collector.
  const service = createLanguageService({ kubernetesVersion: init.kubernetesVersion, cacheCapacity: 1 });
  const kept: KeptDocuments = new Map();
  let shared: SharedArrayBuffer | undefined;
  let thread = 0;
  let files = 0;
  const port = parentPort;
  port.on('message', (message: ToWorker) => {
    if ('scan' in message) {
      ({ shared, thread } = message.scan);
      files = message.scan.files.length;
      port.postMessage(scanClaimed(message.scan.files, shared, thread, message.scan.budget, kept) satisfies FromWorker);
      return;
    }
    if (!shared) throw new Error('a validate worker was given tasks before files');
    applyContext(service, message.context);
    const check = createFileChecker(service, message.context, kept);
    const { tasks, readers, threads } = message;
    let done: number[] = [];
    let results: FileResult[] = [];
    for (const t of claimTasks(views(shared, files).tasks, readers, thread, threads)) {
      const task = tasks[t];
      if (!task) continue;
      done.push(t);
      results.push(check(task));
      if (done.length === CHECK_BATCH) {
        port.postMessage({ tasks: done, results } satisfies FromWorker);
        done = [];
        results = [];
      }
    }
    if (done.length > 0) port.postMessage({ tasks: done, results } satisfies FromWorker);
  });
  return true;
}
