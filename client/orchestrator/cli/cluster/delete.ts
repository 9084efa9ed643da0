/** `kube-workbench cluster delete`: stops the cluster, removes its containers, volumes, network and data directory. */
import { promises as fs } from 'node:fs';
import type { Output } from '../args';
import { EXIT, noArguments, parseFlags, type Command } from '../command';
import { reachEngine, removeDockerObjects, usedDocker } from '../cluster-containers';
import { clusterState, isClusterDataDir } from '../cluster-state';
import { DATA_DIR_FLAG, DATA_DIR_HELP, dataDirOf, stopProcess } from './data-dir-flag';

const PREFIX = 'kube-workbench cluster delete';

export const deleteCommand: Command = {
  name: 'delete',
  summary: 'stop the cluster and remove its containers, volumes, network and data directory',
  help: [
    `usage: ${PREFIX} [${DATA_DIR_FLAG} DIR]`,
    '',
    'Stops the cluster process of the data directory (waiting until it has exited), removes every',
    'container, volume and network labelled as created by this cluster (nothing else), then the data',
    'directory with every object, Secret and key in it. A directory that is not a cluster data',
    'directory is refused (exit 1); one that does not exist is fine (exit 0).',
    '',
    'flags:',
    DATA_DIR_HELP,
  ].join('\n'),
  async run(argv: readonly string[], output: Output): Promise<number> {
    const { flags, args } = parseFlags(argv, { [DATA_DIR_FLAG]: 'value' });
    noArguments(args);
    const dir = dataDirOf(flags);
    const exists = (await fs.lstat(dir).catch(() => undefined)) !== undefined;
    const state = await clusterState(dir);
    if (exists && state.pid === undefined && !(await isClusterDataDir(dir))) {
      output.err(`${PREFIX}: ${dir} is not a kube-workbench cluster's data directory; nothing removed`);
      return EXIT.failure;
    }
    if (!(await stopProcess(state, output, PREFIX))) return EXIT.failure;
    const docker = await reachEngine();
    if ('problem' in docker) {
      if (exists && usedDocker(dir)) {
        output.err(`${PREFIX}: cannot remove the cluster's containers: ${docker.problem}; nothing removed`);
        return EXIT.failure;
      }
    } else {
      const removed = await removeDockerObjects(docker.engine, state.clusterId);
      output.out(
        `removed ${removed.containers} containers, ${removed.volumes} volumes and ${removed.networks} networks`,
      );
    }
    if (!exists) {
      output.out(`no cluster data in ${dir}`);
      return EXIT.ok;
    }
    await fs.rm(dir, { recursive: true, force: true });
    output.out(`cluster ${dir} deleted`);
    return EXIT.ok;
  },
};
