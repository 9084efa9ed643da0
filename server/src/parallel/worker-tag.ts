/** What the validation worker's `workerData` carries to tell it from other threads (the validate CLI's). */
export const WORKER_TAG = 'kube-workbench validation worker';
