/** `kube-workbench cluster <command>`: the table. A new command is one file under `cluster/` and one entry here. */
import type { CommandGroup } from './command';
import { deleteCommand } from './cluster/delete';
import { listCommand } from './cluster/list';
import { startCommand } from './cluster/start';
import { statusCommand } from './cluster/status';
import { stopCommand } from './cluster/stop';

export const CLUSTER_COMMANDS: CommandGroup = {
  prefix: 'kube-workbench cluster',
  summary: 'The embedded Kubernetes cluster: a Kubernetes-compatible API on 127.0.0.1 running pods on Docker.',
  commands: [startCommand, stopCommand, deleteCommand, statusCommand, listCommand],
};
