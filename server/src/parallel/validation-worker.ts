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
import { chunkFindings } from '../features/diagnostics.js';
import type { ChunkFindings, DiagnosticsOptions } from '../features/diagnostics.js';
import { CrdRegistry } from '../schema/crd-registry.js';
import { warmUpSample } from './warm-up-sample.js';
import { WORKER_TAG } from './worker-tag.js';

/** Chunks taken from the shared counter at a time, by either thread. */
export const CLAIM_BATCH = 8;

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

/** The worker's answer: the findings of the chunks it took, by index. */
export interface ValidationReply {
  readonly id: number;
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
  let jobs = 0;
  port.on('message', (job: ValidationJob) => {
    jobs++;
    try {
      const options = workerOptions(loadSchemas(job.kubernetesVersion), job.disabledRules);
      const claims = new Int32Array(job.claims);
      const results: (readonly [number, ChunkFindings])[] = [];
      const { text, bounds } = job;
      const count = bounds.length / 2;
      for (let [i, end] = claimBatch(claims, count); i < end; [i, end] = claimBatch(claims, count))
        for (; i < end; i++) {
          const chunk = text.slice(bounds[2 * i], bounds[2 * i + 1]);
          results.push([i, chunkFindings(parseChunk(chunk), options)]);
        }
      port.postMessage({ id: job.id, results } satisfies ValidationReply);
    } catch (error) {
      port.postMessage({ id: job.id, error: String(error) } satisfies ValidationReply);
    }
  });
  // Idle: the sample, one document per turn of the event loop, so a job waits for at most one document.
  const options = workerOptions(loadSchemas(), []);
  const texts = Array.from({ length: WARM_UP_ROUNDS }, (_, round) => splitDocuments(warmUpSample(round)))
    .flat()
    .map((chunk) => chunk.text);
  let next = 0;
  const step = (): void => {
    if (jobs > 0 || next >= texts.length) {
      port.postMessage({ id: 0, warmedUp: next } satisfies ValidationReply);
      onWarmedUp();
      return;
    }
    chunkFindings(parseChunk(texts[next++] ?? ''), options);
    setImmediate(step);
  };
  setImmediate(step);
}
