import { Worker } from 'node:worker_threads';
import { WORKER_TAG } from './worker-tag.js';

/**
 * Starts the validation worker: `bundle` is a script that calls `runAsValidationWorker()`
 * (server/out/validation-worker.js), loaded through `codeCache` (scripts/code-cache.js) when given,
 * so the worker takes the bytecode its last run compiled. Undefined when no thread can start.
 * The worker never keeps the process alive, and never writes to its stdout (the protocol's channel
 * over --stdio): what it prints goes to stderr.
 */
export function startValidationWorker(bundle: string, codeCache: string | undefined): Worker | undefined {
  const load = `const { workerData } = require('node:worker_threads');
if (workerData.codeCache) require(workerData.codeCache).loadBundle(workerData.bundle, 'validation-worker');
else require(workerData.bundle);`;
  try {
    const worker = new Worker(load, { eval: true, workerData: { tag: WORKER_TAG, bundle, codeCache }, stdout: true });
    worker.stdout.on('data', (data: Buffer) => process.stderr.write(data));
    worker.unref();
    return worker;
  } catch {
    return undefined;
  }
}
