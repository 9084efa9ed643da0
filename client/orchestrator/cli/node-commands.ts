/** `kube-workbench node <command>`: the table. A new command is one entry here. */
import type { Command, CommandGroup } from './command';
import { NODE_USAGE, runNodeCommand } from './node-command';

function nodeCommand(action: 'stop' | 'start' | 'add' | 'remove', summary: string, detail: string): Command {
  return {
    name: action,
    summary,
    help: [
      `usage: kube-workbench node ${action} ${action === 'add' ? '[NAME]' : 'NAME'} [--data-dir DIR]`,
      '',
      detail,
      '',
      'flags:',
      '  --data-dir DIR  the data directory of the running cluster (default: the one `cluster start` uses)',
    ].join('\n'),
    run: (argv, output) => runNodeCommand([action, ...argv], output),
  };
}

export const NODE_COMMANDS: CommandGroup = {
  prefix: 'kube-workbench node',
  summary: `The simulated nodes of the running embedded cluster (${NODE_USAGE.replace('usage: ', '')}).`,
  commands: [
    nodeCommand(
      'stop',
      'simulate an outage: the node goes silent and its containers freeze',
      'Sets the annotation kube-workbench.io/simulated-outage on the Node: its kubelet stops renewing its\nLease and posting status, and its containers are paused. After the node monitor grace period the node\nis NotReady and tainted unreachable; its pods are evicted and replaced on other nodes.',
    ),
    nodeCommand(
      'start',
      'end a simulated outage: the node reports again',
      'Removes the annotation: the kubelet posts status again, its containers resume, and the\ncontainers of pods that were evicted meanwhile are removed.',
    ),
    nodeCommand(
      'add',
      'add a simulated node (the next free kube-workbench-node-N, or NAME) and wait until it is Ready',
      "Creates a Node labelled kube-workbench.io/node-group: default; the cluster starts a kubelet for it with the\nnode template's capacity (--node-cpu, --node-memory of cluster start).",
    ),
    nodeCommand(
      'remove',
      'cordon and drain a node (PodDisruptionBudgets honoured), then delete it',
      'Evicts its pods through the eviction API (a 429 from a disruption budget is retried every 5 s, for up to\n120 s), waits until they are gone, then deletes the Node: its kubelet stops and its containers are removed.',
    ),
  ],
};
