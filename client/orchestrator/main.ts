/**
 * The embedded cluster's process entry: `kube-workbench cluster <command>`.
 * It never imports `vscode`, so it runs as its own Node process.
 */
import { parseStartArgs, USAGE, UsageError } from './cli/args';
import { startCluster } from './cli/start-cluster';

function stopSignal(): Promise<string> {
  return new Promise((resolve) => {
    const stop = (signal: string) => {
      process.off('SIGTERM', stop);
      process.off('SIGINT', stop);
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
  return startCluster(
    options,
    { out: (line) => process.stdout.write(`${line}\n`), err: (line) => process.stderr.write(`${line}\n`) },
    stopSignal(),
  );
}
