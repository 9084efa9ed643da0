/**
 * The worker thread's side of `ValidationPool`: a language server process starts one worker (this
 * same bundle) that loads the schemas and, while nobody needs it, validates a built-in sample so its
 * code is compiled and optimised. When the server opens a large file, the worker and the main thread
 * take batches of the file's chunks from one shared counter and check each as `computeDiagnostics`
 * would; the worker posts its chunks' findings back.
 */
import { isMainThread, parentPort, workerData } from 'node:worker_threads';
import type { MessagePort } from 'node:worker_threads';
import { loadSchemas } from '../../kube-model/schema-loader.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';
import { parseChunk } from '../document/manifest-file.js';
import { splitDocuments } from '../document/split-documents.js';
import { chunkFindings, findingsKey } from '../features/diagnostics.js';
import type { ChunkFindings, DiagnosticsOptions } from '../features/diagnostics.js';
import { CrdRegistry } from '../schema/crd-registry.js';
import { warmUpSample } from './warm-up-sample.js';
import { WORKER_TAG } from './worker-tag.js';
import { logStep } from './step-log.js';

/** Chunks taken from the shared counter at a time, by either thread. */
export const CLAIM_BATCH = 4;

/** Sample rounds the worker validates while idle (each a few manifests of common kinds). */
export const WARM_UP_ROUNDS = 60;

/** What the main thread asks: the chunks of one file, under the settings in force. */
export interface ValidationJob {
  readonly id: number;
  readonly kubernetesVersion: string;
  readonly disabledRules: readonly string[];
  /** The file's text (one string: a copy of it costs less than a copy of each chunk's). */
  readonly text: string;
  /** Where chunk i is in `text`: from `bounds[2i]` to `bounds[2i + 1]`. */
  readonly bounds: Int32Array;
  /** One Int32: the index of the next chunk nobody has taken yet. */
  readonly claims: SharedArrayBuffer;
}

/** Sent by the main thread once a job's pass has ended and the optimizing compiler runs again. */
export interface PassEnded {
  readonly passEnded: true;
}

/** What `ValidationReply.checked` says of chunk i. */
export const Checked = {
  /** Not taken by the worker. */
  No: 0,
  /** No finding; a manifest among its documents. */
  CleanManifest: 1,
  /** No finding; no manifest among its documents. */
  CleanOther: 2,
  /** Findings: in `results`. */
  Found: 3,
} as const;

/**
 * The worker's answer: what it found in the chunks it took. Most chunks have no finding: those are
 * one byte each in `checked` (a transferred buffer, nothing to deserialize), the others in `results`.
 */
export interface ValidationReply {
  readonly id: number;
  /** A `Checked` per chunk of the file. */
  readonly checked?: Uint8Array;
  /** The findings of the chunks `checked` marks `Found`, by index. */
  readonly results?: readonly (readonly [number, ChunkFindings])[];
  readonly error?: string;
  /** Sent once when the warm-up ends (tests and the bench read it; nothing waits for it). */
  readonly warmedUp?: number;
}

/** Takes the next batch of chunk indexes from the shared counter: [first, end), empty when all are taken. */
export function claimBatch(claims: Int32Array, count: number): [number, number] {
  const first = Atomics.add(claims, 0, CLAIM_BATCH);
  return first >= count ? [count, count] : [first, Math.min(count, first + CLAIM_BATCH)];
}

/** Findings of a chunk with none (shared: findings are never changed once made). */
const noFindings = (manifest: boolean): ChunkFindings =>
  Object.freeze({
    relative: Object.freeze([]),
    untyped: Object.freeze({ manifest, diagnostics: Object.freeze([]) }),
  });
const CLEAN_MANIFEST = noFindings(true);
const CLEAN_OTHER = noFindings(false);

/** How `checked` records a chunk's findings. */
function clean(findings: ChunkFindings): number {
  if (findings.relative.length > 0 || findings.untyped.diagnostics.length > 0) return Checked.Found;
  return findings.untyped.manifest ? Checked.CleanManifest : Checked.CleanOther;
}

/** The findings of chunk i of a reply (undefined: the worker did not check it). */
export function replyFindings(
  reply: ValidationReply,
  found: ReadonlyMap<number, ChunkFindings>,
  i: number,
): ChunkFindings | undefined {
  const state = reply.checked?.[i] ?? Checked.No;
  if (state === Checked.CleanManifest) return CLEAN_MANIFEST;
  if (state === Checked.CleanOther) return CLEAN_OTHER;
  return state === Checked.Found ? found.get(i) : undefined;
}

/** The options a chunk's checks need in a thread with no CRDs (the pool is used only then). */
export function workerOptions(schemas: KubernetesSchemas, disabledRules: readonly string[]): DiagnosticsOptions {
  return { schemas, crds: new CrdRegistry(), disabledRules: new Set(disabledRules) };
}

/** True in a worker started by `startValidationWorker`: it then serves jobs until the process ends. */
export function runAsValidationWorker(onWarmedUp: () => void = () => undefined): boolean {
  const init = workerData as { tag?: unknown } | null;
  if (isMainThread || parentPort === null || init?.tag !== WORKER_TAG) return false;
  serve(parentPort, onWarmedUp);
  return true;
}

function serve(port: MessagePort, onWarmedUp: () => void): void {
  logStep('worker bundle loaded');
  let jobs = 0;
  let next = 0;
  let passEnded = false;
  let whenPassEnded: (() => void) | undefined;
  port.on('message', (message: ValidationJob | PassEnded) => {
    if ('passEnded' in message) {
      passEnded = true;
      whenPassEnded?.();
      whenPassEnded = undefined;
      return;
    }
    const job = message;
    logStep(`job received after ${next} warm-up`);
    jobs++;
    try {
      const options = workerOptions(loadSchemas(job.kubernetesVersion), job.disabledRules);
      const key = findingsKey(options); // once per job, as the main thread's share does
      const claims = new Int32Array(job.claims);
      const results: (readonly [number, ChunkFindings])[] = [];
      const { text, bounds } = job;
      const count = bounds.length / 2;
      const checked = new Uint8Array(count);
      let taken = 0;
      for (let [i, end] = claimBatch(claims, count); i < end; [i, end] = claimBatch(claims, count))
        for (; i < end; i++, taken++) {
          const chunk = text.slice(bounds[2 * i], bounds[2 * i + 1]);
          const findings = chunkFindings(parseChunk(chunk), options, key);
          checked[i] = clean(findings);
          if (checked[i] === Checked.Found) results.push([i, findings]);
        }
      // Counted as taken: the step's name is made whether or not the log is on, and the reply waits for it.
      logStep(`worker done ${taken}`);
      port.postMessage({ id: job.id, checked, results } satisfies ValidationReply, [checked.buffer]);
    } catch (error) {
      port.postMessage({ id: job.id, error: String(error) } satisfies ValidationReply);
    }
  });
  // Idle: the sample, one document per turn of the event loop, so a job waits for at most one document.
  const options = workerOptions(loadSchemas(), []);
  logStep('worker schemas loaded');
  // The sample's documents made a round at a time as the warm-up reaches them: making all 360 first (3.5-6.7 ms
  // of CPU in a fresh process) held the first check back, and a job that came meanwhile.
  const texts: string[] = [];
  let rounds = 0;
  const more = (): boolean => {
    while (next >= texts.length && rounds < WARM_UP_ROUNDS)
      for (const chunk of splitDocuments(warmUpSample(rounds++))) texts.push(chunk.text);
    return next < texts.length;
  };
  const step = (): void => {
    if (jobs > 0 || !more()) {
      logStep(`warm-up ended ${next}`);
      port.postMessage({ id: 0, warmedUp: next } satisfies ValidationReply);
      // Cut short by a job: its pass pauses the optimizing compiler (optimizing-compiler.ts), and what
      // is written meanwhile (the code cache) would carry those flags; so once the pass has ended.
      if (jobs === 0 || passEnded) onWarmedUp();
      else whenPassEnded = onWarmedUp;
      return;
    }
    chunkFindings(parseChunk(texts[next++] ?? ''), options);
    setImmediate(step);
  };
  setImmediate(step);
}
