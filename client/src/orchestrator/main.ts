/**
 * The embedded cluster's process entry: `kube-workbench cluster <command>`.
 * It never imports `vscode`, so it runs as its own Node process.
 */
const USAGE = `usage: kube-workbench cluster start [--data-dir DIR] [--port N] [--nodes N] [--runtime docker|fake] [--ingress-port N]`;

export function main(argv: readonly string[]): number {
  const [command] = argv;
  if (command === undefined || command === '-h' || command === '--help') {
    process.stdout.write(`${USAGE}\n`);
    return command === undefined ? 2 : 0;
  }
  process.stderr.write(`kube-workbench cluster: '${command}' is not available in this build yet\n${USAGE}\n`);
  return 2;
}
