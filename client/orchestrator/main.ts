/**
 * The embedded cluster's process entry: `kube-workbench cluster <command>`.
 * It never imports `vscode`, so it runs as its own Node process.
 */
import { parseStartArgs, USAGE, UsageError } from './cli/args';
import { startCluster } from './cli/start-cluster';

/** How long a stop may take (flushing the store, closing connections) before the process exits anyway. */
export const STOP_GRACE_MS = 10_000;

/**
 * Resolves on the first SIGTERM or SIGINT. The stop that follows is bounded:
 * after STOP_GRACE_MS, or at a second signal, the process exits at once (every
 * acknowledged write is already fsynced, so nothing acknowledged is lost).
 */
function stopSignal(err: (line: string) => void): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
      const now = (why: string) => {
        err(`kube-workbench cluster: ${why}; exiting now (acknowledged writes are already on disk)`);
        process.exit(1);
      };
      process.once('SIGTERM', () => now('a second SIGTERM while stopping'));
      process.once('SIGINT', () => now('a second SIGINT while stopping'));
      setTimeout(() => now(`the cluster did not stop within ${STOP_GRACE_MS / 1000} s`), STOP_GRACE_MS).unref();
      resolve(signal);
    };
    process.on('SIGTERM', stop);
    process.on('SIGINT', stop);
  });
}

export async function main(argv: readonly string[]): Promise<number> {
  const [command, ...rest] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  if (command !== 'start') {
    process.stderr.write(`kube-workbench cluster: unknown command '${command}'\n${USAGE}\n`);
    return 2;
  }
  let options;
  try {
    options = parseStartArgs(rest);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`kube-workbench cluster: ${error.message}\n${USAGE}\n`);
    return 2;
  }
  const output = {
    out: (line: string) => process.stdout.write(`${line}\n`),
    err: (line: string) => process.stderr.write(`${line}\n`),
  };
  return startCluster(options, output, stopSignal(output.err));
}
export { nodeMain } from './cli/node-command';
