// server/out/validation-worker.js: the validation worker's bundle (see start-validation-worker.ts).
import { runAsValidationWorker } from './validation-worker.js';

runAsValidationWorker();
