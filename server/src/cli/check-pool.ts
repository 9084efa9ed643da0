/**
 * `validate --jobs N`: both passes spread over the main thread and N-1 worker
 * threads. The workers are started before the folders are listed, so loading
 * the bundle (through the code cache) and the schemas overlaps the walk.
 * First pass: every thread claims batches of files from memory they share
 * (whichever thread is free takes the next batch), reads them and keeps their
 * documents; only each file's facts and the CRDs found cross to the main
 * thread, which makes the context (CRDs anywhere change the checks
 * everywhere) and sends it to the workers. Second pass: each thread checks the
 * files it read, in order, from its own documents; a thread done with its own
 * takes the others' last files (reading them again). Each file is checked by
 * the one thread that claims it in the shared memory. Results are kept by the
 * file's place in the list, so the report is the one a single thread writes,
 * byte for byte.
 */
import { existsSync } from 'node:fs';
import { availableParallelism } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import type { LanguageService } from '../language-service.js';
import type { UnreadablePath } from '../read-manifest-files.js';
import { contextOf, KEEP_BUDGET } from '../validate-files.js';
import type { CheckContext, FileResult, FileTask, KeptDocuments, Scanned } from '../validate-files.js';
import { CHECK_BATCH, TAG } from './check-worker.js';
import type { FromWorker, ToWorker, WorkerInit } from './check-worker.js';
import { claimTasks, SCAN_BATCH, scanClaimed, sharedFor, views } from './shared-claims.js';
import type { ScanAnswer, ScanOutcome } from './shared-claims.js';

/** Files per thread below which another thread costs more (its start: bundle, schemas, CRDs) than it saves. */
const FILES_PER_THREAD = 32;
/**
 * The same when `--jobs` was not given: a worker's start (~0.3 s of CPU) and its cold code pay back only
 * on many files (a repository of 358 files took longer on two threads than on one, docs/BENCHMARKS.md).
 */
export const DEFAULT_FILES_PER_THREAD = 1000;
/** Most threads the default takes. */
const DEFAULT_MAX = 8;

/** How many threads (the main one included) are worth using for this many files. */
export function threadsFor(jobs: number, files: number, perThread = FILES_PER_THREAD): number {
  return Math.max(1, Math.min(jobs, Math.floor(files / perThread)));
}

/**
 * `--jobs` when not given: a thread per two CPUs. One job keeps about one and a half CPUs busy by itself
 * (its thread, and V8's background compiles and collections), and each further job's isolate compiles the
 * same code again: on 2 CPUs a second job costs ~1.6x the CPU time of one and finishes later
 * (docs/BENCHMARKS.md, session 13). So one job on 2 or 3 CPUs.
 */
export function defaultJobs(cpus = availableParallelism()): number {
  return Math.max(1, Math.min(DEFAULT_MAX, Math.floor(cpus / 2)));
}

/**
 * Worker threads for `validate`, started at once so their start-up overlaps
 * the folder walk. `bundle` is the running bundle (server/out/cli.js): a
 * worker loads it through scripts/code-cache.js when that is beside it (the
 * compiled code of the main thread's runs, read only), else plainly.
 */
export class CheckPool {
  private readonly workers: Worker[] = [];
  private failure: Error | undefined;
  private onFailure: ((error: Error) => void) | undefined;
  private closed = false;
  private shared: SharedArrayBuffer | undefined;
  private files = 0;
  private readers: Int32Array | undefined;

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
      worker.unref(); // until `scan`: an error before it does not wait for the workers
      this.workers.push(worker);
    }
  }

  get size(): number {
    return this.workers.length;
  }

  /** Keeps `count` workers (the listing found fewer files than the pool was started for); stops the rest. */
  shrink(count: number): void {
    while (this.workers.length > count) {
      const worker = this.workers.pop();
      worker?.removeAllListeners('exit');
      void worker?.terminate();
    }
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
   * The first pass over `files`, its batches taken by whichever thread is
   * free (this one included); the context made of all of it is applied to
   * `service`. The documents this thread read are in the result's `kept`.
   */
  scan(
    service: LanguageService,
    files: readonly string[],
    indexUri: (file: string) => string | undefined,
    junit: boolean,
  ): Promise<Scanned> {
    const threads = this.workers.length + 1;
    for (const worker of this.workers) worker.ref();
    const shared = sharedFor(files.length);
    this.shared = shared;
    this.files = files.length;
    return new Promise<Scanned>((resolve, reject) => {
      if (this.failure) return reject(this.failure);
      this.onFailure = reject;
      const budget = Math.floor(KEEP_BUDGET / threads);
      const answers: ScanAnswer[] = [];
      const waiting = new Set<Worker>();
      const kept: KeptDocuments = new Map();
      let settled = false;
      const finish = (): void => {
        if (settled || waiting.size > 0 || this.failure) return;
        settled = true;
        this.onFailure = undefined;
        try {
          resolve(this.merge(service, files, indexUri, junit, answers, kept));
        } catch (error) {
          this.onFailure = reject;
          this.fail(error);
        }
      };
      this.workers.forEach((worker, w) => {
        worker.once('message', (message: FromWorker) => {
          if (!('scanned' in message)) return this.fail(new Error('a validate worker answered out of turn'));
          answers.push(message);
          waiting.delete(worker);
          finish();
        });
        waiting.add(worker);
        worker.postMessage({ scan: { files, shared, thread: w + 2, budget } } satisfies ToWorker);
      });
      let mine: ScanAnswer;
      try {
        mine = scanClaimed(files, shared, 1, budget, kept);
      } catch (error) {
        this.fail(error); // rejects
        return;
      }
      answers.push(mine);
      // A worker that claimed nothing (still starting when the files ran out) is not waited for.
      const { batches } = views(shared, files.length);
      const busy = new Set(batches);
      this.workers.forEach((worker, w) => {
        if (!busy.has(w + 2)) waiting.delete(worker);
      });
      finish();
    });
  }

  /** The first pass's answers in file order: tasks, unreadable files, the context. */
  private merge(
    service: LanguageService,
    files: readonly string[],
    indexUri: (file: string) => string | undefined,
    junit: boolean,
    answers: readonly ScanAnswer[],
    kept: KeptDocuments,
  ): Scanned {
    const outcomes = new Array<ScanOutcome | undefined>(files.length);
    const crds: (readonly [number, string, string])[] = [];
    for (const answer of answers) {
      for (const outcome of answer.scanned) outcomes[outcome.file] = outcome;
      crds.push(...answer.crds);
    }
    crds.sort((a, b) => a[0] - b[0]); // stable: a file's CRDs keep their order
    const { batches } = views(this.shared ?? sharedFor(files.length), files.length);
    const tasks: FileTask[] = [];
    const readers: number[] = [];
    const unreadable: UnreadablePath[] = [];
    outcomes.forEach((outcome, i) => {
      const file = files[i];
      if (!outcome || file === undefined) throw new Error(`validate's first pass missed ${file ?? i}`);
      if ('reason' in outcome) unreadable.push({ path: file, reason: outcome.reason });
      else {
        tasks.push({ file, facts: outcome.facts, indexUri: indexUri(file) });
        readers.push(batches[Math.floor(i / SCAN_BATCH)] ?? 1);
      }
    });
    if (outcomes.length !== files.length) throw new Error("validate's first pass missed files");
    this.readers = Int32Array.from(readers);
    const context = contextOf(
      service,
      tasks,
      crds.map(([, source, text]) => [source, text] as const),
      junit,
    );
    return { tasks, unreadable, context, kept };
  }

  /**
   * Checks `tasks` (the first pass's, from `scan`) on the workers and with
   * `checkHere` on this thread, between taking the workers' results; calls
   * `onResult` with each file's place in `tasks` as results come in. Closes
   * the pool when done.
   */
  run(
    context: CheckContext,
    tasks: readonly FileTask[],
    checkHere: (task: FileTask) => FileResult,
    onResult: (index: number, result: FileResult) => void,
  ): Promise<void> {
    const shared = this.shared;
    const readers = this.readers;
    if (!shared || !readers) return Promise.reject(new Error('validate checked files before reading them'));
    const threads = this.workers.length + 1;
    return new Promise<void>((resolve, reject) => {
      let pending = tasks.length;
      const finish = (): void => {
        this.close();
        resolve();
      };
      if (this.failure) return reject(this.failure);
      this.onFailure = reject;
      if (pending === 0) return finish();
      for (const worker of this.workers) {
        worker.on('message', (message: FromWorker) => {
          if (!('results' in message)) return;
          message.results.forEach((r, k) => onResult(message.tasks[k] ?? -1, r));
          pending -= message.results.length;
          if (pending === 0) finish();
        });
        worker.postMessage({ context, tasks, readers, threads } satisfies ToWorker);
      }
      const order = claimTasks(views(shared, this.files).tasks, readers, 1, threads);
      // This thread's share, a batch per turn of the event loop (the workers' results are taken in between).
      const here = (): void => {
        if (this.failure) return;
        let done = 0;
        try {
          for (let t = order.next(); !t.done; t = order.next()) {
            const task = tasks[t.value];
            if (task) onResult(t.value, checkHere(task));
            done++;
            if (done === CHECK_BATCH) break;
          }
        } catch (error) {
          this.fail(error);
          return;
        }
        pending -= done;
        if (pending === 0) finish();
        else if (done === CHECK_BATCH) setImmediate(here);
      };
      here();
    });
  }
}
