// server/out/validation-worker.js: the validation worker's bundle (see start-validation-worker.ts).
import { createRequire } from 'node:module';
import { workerData } from 'node:worker_threads';
import { runAsValidationWorker } from './validation-worker.js';

// Warmed up: the code compiled so far is what the next start wants from the code cache.
runAsValidationWorker(() => {
  const loader = (workerData as { codeCache?: unknown } | null)?.codeCache;
  if (typeof loader !== 'string') return;
  const cache = createRequire(__filename)(loader) as { saveCodeCache?: () => void };
  cache.saveCodeCache?.();
});
