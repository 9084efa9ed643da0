/**
 * The language server's process entry (server/out/server.js), a few kB: it starts the validation
 * worker first, so the worker loads its bundle and warms up while this thread loads the server's
 * (both with V8's code cache, scripts/code-cache.js, when it is there), then runs the server.
 * KUBE_WORKBENCH_NO_VALIDATION_WORKER=1 keeps all the work on this thread (the same diagnostics).
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type { Worker } from 'node:worker_threads';
import { startValidationWorker } from './parallel/start-validation-worker.js';
import { logStep } from './parallel/step-log.js';

interface ServerBundle {
  startServer(worker?: Worker): void;
}

interface CodeCacheLoader {
  loadBundle(file: string, variant?: string): unknown;
}

// Beside the bundles in the repository and in the packaged extension; absent elsewhere (then a plain require).
logStep('process origin', performance.timeOrigin);
logStep('entry');
const loaderPath = join(__dirname, '..', '..', 'scripts', 'code-cache.js');
const loader = existsSync(loaderPath) ? loaderPath : undefined;
const worker = process.env.KUBE_WORKBENCH_NO_VALIDATION_WORKER
  ? undefined
  : startValidationWorker(join(__dirname, 'validation-worker.js'), loader);
logStep('worker spawned');
const main = join(__dirname, 'server-main.js');
const load = createRequire(__filename);
const bundle = (loader ? (load(loader) as CodeCacheLoader).loadBundle(main, 'server') : load(main)) as ServerBundle;
logStep('bundle loaded');
bundle.startServer(worker);
logStep('server started');
