/** `kube-workbench cluster stop`: signals the running cluster, waits until it has exited, then stops its containers. */
import type { Output } from '../args';
import { EXIT, noArguments, parseFlags, type Command } from '../command';
import { reachEngine, stopContainers, usedDocker } from '../cluster-containers';
import { clusterState, isClusterDataDir } from '../cluster-state';
import { DATA_DIR_FLAG, DATA_DIR_HELP, dataDirOf, graceSeconds, stopProcess } from './data-dir-flag';

const PREFIX = 'kube-workbench cluster stop';
const GRACE = '--grace-period';

export const stopCommand: Command = {
  name: 'stop',
  summary: 'stop the running cluster and its containers (the data is kept)',
  help: [
    `usage: ${PREFIX} [${DATA_DIR_FLAG} DIR] [${GRACE} SECONDS]`,
    '',
    'Sends SIGTERM to the cluster process of the data directory and waits until it has exited,',
    'then stops the containers it created (found by their label). The data directory is kept:',
    '`cluster start` brings everything back. A cluster that is not running is fine (exit 0).',
    '',
    'flags:',
    DATA_DIR_HELP,
    `  ${GRACE} SECONDS  how long each container may take to stop before it is killed (default 10)`,
  ].join('\n'),
  async run(argv: readonly string[], output: Output): Promise<number> {
    const { flags, args } = parseFlags(argv, { [DATA_DIR_FLAG]: 'value', [GRACE]: 'value' });
    noArguments(args);
    const dir = dataDirOf(flags);
    const grace = graceSeconds(flags.get(GRACE), 10);
    const state = await clusterState(dir);
    if (state.pid === undefined && !(await isClusterDataDir(dir))) {
      output.err(`${PREFIX}: no cluster in ${dir}`);
      return EXIT.failure;
    }
    if (state.pid === undefined) output.out(`the cluster in ${dir} is not running`);
    if (!(await stopProcess(state, output, PREFIX))) return EXIT.failure;
    if (usedDocker(dir)) {
      const docker = await reachEngine();
      if ('problem' in docker) {
        output.err(`${PREFIX}: cannot stop the cluster's containers: ${docker.problem}`);
        return EXIT.failure;
      }
      const stopped = await stopContainers(docker.engine, state.clusterId, grace);
      output.out(`stopped ${stopped} container${stopped === 1 ? '' : 's'}`);
    }
    output.out(`cluster ${dir} stopped`);
    return EXIT.ok;
  },
};
