/** What another process (the extension) uses to start the orchestrator and learn about it. */
export * from './command-line';
export * from './data-dir-files';
export * from './liveness';
export * from './ready-record';
export * from './untrusted-file';
export * from './node-annotations';
export * from './build-events';
