/**
 * A large file's first validation on two threads: the main thread and one worker, started with the
 * server and warmed up while idle (validation-worker.ts), take batches of the file's chunks from one
 * shared counter, so each does what it can and neither waits for work the other holds. The worker
 * only ever computes chunk findings (pure functions of a chunk's text and the settings); the main
 * thread assembles and publishes. If the worker is busy, gone or failing, the main thread checks
 * every chunk itself: the answer is the same, only slower.
 */
import type { Worker } from 'node:worker_threads';
import type { ChunkFindings } from '../features/diagnostics.js';
import { pauseOptimizingCompiler, resumeOptimizingCompiler } from './optimizing-compiler.js';
import { claimBatch, replyFindings } from './validation-worker.js';
import { logStep } from './step-log.js';
import type { PassEnded, ValidationJob, ValidationReply } from './validation-worker.js';

export interface PoolSettings {
  readonly kubernetesVersion: string;
  readonly disabledRules: readonly string[];
}

export class ValidationPool {
  private worker: Worker | undefined;
  private busy = false;
  private nextId = 1;
  private readonly waiting = new Map<number, (reply: ValidationReply | undefined) => void>();
  /** The worker's reply to the last job, or its end (a job the main thread finished alone is still answered). */
  private outstanding: Promise<unknown> = Promise.resolve();
  /** How many chunks of the last file the worker checked (tests, and the bench's notes). */
  lastWorkerShare = 0;
  /** Resolves with the number of sample documents the worker validated before its first job (or all). */
  readonly warmedUp: Promise<number>;

  /** `worker`: a thread running `runAsValidationWorker()` (see `startValidationWorker`). */
  constructor(worker: Worker) {
    let warmed: (count: number) => void = () => undefined;
    this.warmedUp = new Promise((resolve) => (warmed = resolve));
    {
      worker.on('message', (reply: ValidationReply) => {
        if (reply.warmedUp !== undefined) warmed(reply.warmedUp);
        const done = this.waiting.get(reply.id);
        this.waiting.delete(reply.id);
        if (done) {
          this.busy = false;
          done(reply);
        }
      });
      const gone = (): void => {
        this.worker = undefined;
        warmed(0);
        for (const done of this.waiting.values()) done(undefined);
        this.waiting.clear();
      };
      worker.on('error', gone);
      worker.on('exit', gone);
      this.worker = worker;
    }
  }

  /** Whether a worker is there to share the work. */
  get available(): boolean {
    return this.worker !== undefined && !this.busy;
  }

  /**
   * Resolves once the worker has answered every job given to it, or is gone: `available` is then true
   * while a worker is there. (A file the main thread checked alone leaves the worker busy until its
   * answer comes, a later turn of the event loop.)
   */
  async idle(): Promise<void> {
    await this.outstanding;
  }

  /**
   * The findings of each chunk of `text` (from `chunks[i].start`, `chunks[i].text` long), in order:
   * `here` checks on this thread the batches it takes, the worker the others. Settings are those
   * `here` uses (the worker has no CRDs: call only without any).
   */
  async findings(
    text: string,
    chunks: readonly { readonly start: number; readonly text: string }[],
    settings: PoolSettings,
    here: (chunk: string) => ChunkFindings,
  ): Promise<ChunkFindings[]> {
    // Both threads check cold code: no optimizing compiles competing for the cores until both are done.
    pauseOptimizingCompiler();
    try {
      return await this.shared(text, chunks, settings, here);
    } finally {
      resumeOptimizingCompiler();
      this.worker?.postMessage({ passEnded: true } satisfies PassEnded);
    }
  }

  /** `findings` itself. */
  private async shared(
    text: string,
    chunks: readonly { readonly start: number; readonly text: string }[],
    settings: PoolSettings,
    here: (chunk: string) => ChunkFindings,
  ): Promise<ChunkFindings[]> {
    const count = chunks.length;
    const out: (ChunkFindings | undefined)[] = new Array<ChunkFindings | undefined>(count);
    const worker = this.available ? this.worker : undefined;
    const claims = new Int32Array(new SharedArrayBuffer(4));
    let reply: Promise<ValidationReply | undefined> = Promise.resolve(undefined);
    if (worker) {
      const id = this.nextId++;
      this.busy = true;
      reply = new Promise((resolve) => this.waiting.set(id, resolve));
      this.outstanding = reply;
      const bounds = new Int32Array(2 * count);
      chunks.forEach((c, i) => {
        bounds[2 * i] = c.start;
        bounds[2 * i + 1] = c.start + c.text.length;
      });
      const job: ValidationJob = { id, ...settings, text, bounds, claims: claims.buffer };
      worker.postMessage(job, [bounds.buffer]);
    }
    logStep('job posted');
    let mine = 0;
    for (let [i, end] = claimBatch(claims, count); i < end; [i, end] = claimBatch(claims, count))
      for (; i < end; i++, mine++) out[i] = here(chunks[i]?.text ?? '');
    logStep(`main done ${mine}`);
    this.lastWorkerShare = 0;
    if (mine < count) {
      const answer = await reply;
      logStep('reply read');
      const found = new Map(answer?.results ?? []);
      if (answer)
        for (let i = 0; i < count; i++)
          if (out[i] === undefined) {
            out[i] = replyFindings(answer, found, i);
            if (out[i] !== undefined) this.lastWorkerShare++;
          }
    }
    // What the worker took but never answered (it failed or stopped): checked here.
    return Array.from(out, (f, i) => f ?? here(chunks[i]?.text ?? ''));
  }

  /** Stops the worker (tests; a server process simply exits). */
  async close(): Promise<void> {
    const worker = this.worker;
    this.worker = undefined;
    if (worker) await worker.terminate();
  }
}
