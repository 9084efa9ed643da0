/** `kube-workbench cluster status`: whether the cluster runs, its API URL, nodes and version. */
import type { Output } from '../args';
import { EXIT, noArguments, parseFlags, type Command } from '../command';
import { clusterNodes } from '../cluster-nodes';
import { clusterState, isClusterDataDir } from '../cluster-state';
import { DATA_DIR_FLAG, DATA_DIR_HELP, dataDirOf } from './data-dir-flag';

const PREFIX = 'kube-workbench cluster status';

export const statusCommand: Command = {
  name: 'status',
  summary: 'say whether the cluster runs, and its API URL, nodes and version',
  help: [
    `usage: ${PREFIX} [${DATA_DIR_FLAG} DIR]`,
    '',
    'Prints the state of the cluster of the data directory: running (with its process id, API and',
    'Ingress URLs, kubeconfig, Kubernetes version, runtime and nodes), starting, or stopped.',
    'Exit 0 when it runs and serves, 1 otherwise (so scripts can test it).',
    '',
    'flags:',
    DATA_DIR_HELP,
  ].join('\n'),
  async run(argv: readonly string[], output: Output): Promise<number> {
    const { flags, args } = parseFlags(argv, { [DATA_DIR_FLAG]: 'value' });
    noArguments(args);
    const dir = dataDirOf(flags);
    const state = await clusterState(dir);
    output.out(`data dir: ${dir}`);
    if (state.pid === undefined) {
      output.out(`status: ${(await isClusterDataDir(dir)) ? 'stopped' : 'no cluster here'}`);
      return EXIT.failure;
    }
    const record = state.record;
    if (!record) {
      output.out(`status: starting (pid ${state.pid})${state.recordProblem ? `: ${state.recordProblem}` : ''}`);
      return EXIT.failure;
    }
    output.out(`status: running (pid ${state.pid}, since ${record.readyAt})`);
    output.out(`api: ${record.api}`);
    if (record.ingress !== undefined) output.out(`ingress: ${record.ingress}`);
    output.out(`kubeconfig: ${record.kubeconfig}`);
    output.out(`version: ${record.version}`);
    output.out(`runtime: ${record.runtime}${record.runtimeNote ? ` (${record.runtimeNote})` : ''}`);
    try {
      const nodes = await clusterNodes(dir);
      output.out(`nodes: ${nodes.map((n) => `${n.name} ${n.ready ? 'Ready' : 'NotReady'}`).join(', ') || 'none'}`);
    } catch (error) {
      output.out(`nodes: unknown (${(error as Error).message})`);
    }
    return EXIT.ok;
  },
};
