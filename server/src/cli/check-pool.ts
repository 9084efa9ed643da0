/**
 * `validate --jobs N`: the second pass (each file's own checks) spread over
 * the main thread and N-1 worker threads. The workers are started before the
 * first pass, so loading the bundle (through the code cache) and the schemas
 * overlaps the main thread's scan; then each is given the scan's context
 * (CRDs, kustomizations, templates) and batches of files, two in flight so
 * none waits for the main thread, which checks batches of its own between
 * taking results. Batches shrink towards the end so every thread finishes at
 * about the same time. Results are kept by the file's place in the list, so
 * the report is the one a single thread writes, byte for byte.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { isMainThread, parentPort, Worker, workerData } from 'node:worker_threads';
import { createLanguageService } from '../language-service.js';
import { applyContext, createFileChecker } from '../validate-files.js';
import type { CheckContext, FileResult, FileTask, KeptDocuments } from '../validate-files.js';
import type { StreamedDocument } from '../read-document-stream.js';

const TAG = 'kube-workbench validate worker';

interface WorkerInit {
  readonly tag: typeof TAG;
  readonly kubernetesVersion: string | undefined;
}

/** Main thread to worker: the scan's context (once), then batches. */
type ToWorker =
  | { readonly context: CheckContext }
  | {
      readonly first: number;
      readonly tasks: readonly FileTask[];
      /** Each task's documents as the first pass read them (`undefined`: the worker reads the file). */
      readonly documents: readonly (readonly StreamedDocument[] | undefined)[];
    };
/** Worker to main thread: ready for batches (context applied), then each batch's results. */
type FromWorker = { readonly ready: true } | { readonly first: number; readonly results: readonly FileResult[] };

/** Most files a thread is given at a time: few enough to share the work evenly, enough to keep messages few. */
const BATCH = 16;
/** Files per thread below which another thread costs more (its start: bundle, schemas, CRDs) than it saves. */
const FILES_PER_THREAD = 32;

/** How many threads (the main one included) are worth using for this many files. */
export function threadsFor(jobs: number, files: number): number {
  return Math.max(1, Math.min(jobs, Math.floor(files / FILES_PER_THREAD)));
}

/**
 * Worker threads for `validate`, started at once so their start-up overlaps
 * the main thread's first pass. `bundle` is the running bundle (server/out/cli.js):
 * a worker loads it through scripts/code-cache.js when that is beside it
 * (the compiled code of the main thread's runs, read only), else plainly.
 */
export class CheckPool {
  private readonly workers: Worker[] = [];
  private failure: Error | undefined;
  private onFailure: ((error: Error) => void) | undefined;
  private closed = false;

  constructor(bundle: string, count: number, kubernetesVersion: string | undefined) {
    const init: WorkerInit = { tag: TAG, kubernetesVersion };
    const loader = join(bundle, '..', '..', '..', 'scripts', 'code-cache.js');
    const cached = bundle.endsWith('.js') && existsSync(loader);
    for (let i = 0; i < count; i++) {
      const worker = cached
        ? new Worker(
            `require(${JSON.stringify(loader)}).loadBundle(${JSON.stringify(bundle)}, 'validate', { save: false });`,
            { eval: true, workerData: init },
          )
        : new Worker(bundle, { workerData: init });
      worker.on('error', (error) => this.fail(error));
      worker.on('exit', (code) => {
        if (!this.closed)
          this.fail(new Error(`a validate worker stopped (exit code ${code}) before its files were checked`));
      });
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  private fail(error: unknown): void {
    if (this.failure) return;
    this.failure = error instanceof Error ? error : new Error(String(error));
    this.close();
    this.onFailure?.(this.failure);
  }

  /** Stops the workers (idle or not). */
  close(): void {
    if (this.closed) return;
    this.closed = true;
    for (const w of this.workers) void w.terminate();
  }

  /**
   * Checks `tasks` on the workers and, between taking their results, with
   * `checkHere` on this thread; calls `onResult` with each file's place in
   * `tasks` as results come in. A worker is sent the documents `kept` holds of
   * its files (taken out of it) rather than reading them again. Closes the pool when done.
   */
  run(
    context: CheckContext,
    tasks: readonly FileTask[],
    checkHere: (task: FileTask) => FileResult,
    onResult: (index: number, result: FileResult) => void,
    kept?: KeptDocuments,
  ): Promise<void> {
    return new Promise<void>((resolve, reject) => {
      let next = 0;
      let pending = tasks.length;
      const threads = this.workers.length + 1;
      const batch = (): readonly [number, number] | undefined => {
        if (next >= tasks.length) return undefined;
        const size = Math.max(1, Math.min(BATCH, Math.ceil((tasks.length - next) / (4 * threads))));
        const first = next;
        next = Math.min(tasks.length, next + size);
        return [first, next];
      };
      const finish = (): void => {
        this.close();
        resolve();
      };
      const give = (worker: Worker): void => {
        const b = batch();
        if (!b) return;
        const given = tasks.slice(b[0], b[1]);
        // The first pass's reading of each file, moved to the worker (a copy is cheaper than reading it again).
        const documents = given.map(({ file }) => {
          const docs = kept?.get(file);
          kept?.delete(file);
          return docs;
        });
        worker.postMessage({ first: b[0], tasks: given, documents } satisfies ToWorker);
      };
      if (this.failure) return reject(this.failure);
      this.onFailure = reject;
      if (pending === 0) return finish();
      for (const worker of this.workers) {
        worker.on('message', (message: FromWorker) => {
          if ('ready' in message) {
            give(worker);
            give(worker);
            return;
          }
          message.results.forEach((r, k) => onResult(message.first + k, r));
          pending -= message.results.length;
          if (pending === 0) finish();
          else give(worker);
        });
        worker.postMessage({ context } satisfies ToWorker);
      }
      // This thread's share, a batch per turn of the event loop (the workers' results are taken in between).
      const here = (): void => {
        if (this.failure) return;
        const b = batch();
        if (!b) return;
        try {
          for (let i = b[0]; i < b[1]; i++) {
            const task = tasks[i];
            if (task) onResult(i, checkHere(task));
          }
        } catch (error) {
          this.fail(error);
          return;
        }
        pending -= b[1] - b[0];
        if (pending === 0) finish();
        else setImmediate(here);
      };
      here();
    });
  }
}

/** True in a worker thread started by `CheckPool`: it then serves batches until terminated. */
export function runAsCheckWorker(): boolean {
  const init = workerData as Partial<WorkerInit> | null;
  if (isMainThread || parentPort === null || init?.tag !== TAG) return false;
  // Schemas are loaded while the main thread scans the files; the context comes after.
  // One pass over the files, as on the main thread: a parse kept for later only feeds the garbage collector.
  const service = createLanguageService({ kubernetesVersion: init.kubernetesVersion, cacheCapacity: 1 });
  const kept: KeptDocuments = new Map();
  let check: ((task: FileTask) => FileResult) | undefined;
  const port = parentPort;
  port.on('message', (message: ToWorker) => {
    if ('context' in message) {
      applyContext(service, message.context);
      check = createFileChecker(service, message.context, kept);
      port.postMessage({ ready: true } satisfies FromWorker);
      return;
    }
    if (!check) throw new Error('a validate worker was given files before the context');
    const checkOne = check;
    message.tasks.forEach(({ file }, i) => {
      const documents = message.documents[i];
      if (documents) kept.set(file, documents);
    });
    port.postMessage({ first: message.first, results: message.tasks.map((t) => checkOne(t)) } satisfies FromWorker);
  });
  return true;
}
