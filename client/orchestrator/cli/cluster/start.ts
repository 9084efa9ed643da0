/** `kube-workbench cluster start`: runs the cluster in the foreground until SIGTERM or SIGINT. */
import { START_USAGE } from '../../protocol/command-line';
import { parseStartArgs, type Output } from '../args';
import type { Command } from '../command';
import { takeEarlyApi } from '../early-handoff';
import { limitHeapGrowth } from '../heap-growth';
import { startCluster } from '../start-cluster';

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

export const startCommand: Command = {
  name: 'start',
  summary: 'run the cluster in the foreground until SIGTERM or Ctrl-C',
  help: [
    START_USAGE,
    '',
    'Runs the embedded cluster in the foreground; prints its API URL, Ingress URL and kubeconfig once it serves.',
    'Its containers keep running after it stops (the next start adopts them); use `cluster stop` to stop them too.',
    '',
    'flags:',
    '  --data-dir DIR            data directory (default: $XDG_STATE_HOME/kube-workbench/cluster)',
    '  --port N                  API server port on 127.0.0.1 (0: a free one)',
    '  --nodes N                 number of nodes, 1 to 100',
    '  --runtime docker|fake     container runtime (default: docker when an engine answers)',
    '  --ingress-port N          Ingress entry port on 127.0.0.1 (default: a free one)',
    '  --allow-host-path         let pods mount hostPath volumes',
    '  --kubernetes-version 1.NN the Kubernetes version the API serves',
    '  --recover                 start with what can be read of a damaged store',
  ].join('\n'),
  run: async (argv: readonly string[], output: Output) => {
    limitHeapGrowth();
    const early = takeEarlyApi();
    try {
      return await startCluster(
        parseStartArgs(argv),
        output,
        stopSignal((line) => output.err(line)),
        early,
      );
    } finally {
      await early?.close(); // closed already when the API took it over; else never answered more
    }
  },
};
