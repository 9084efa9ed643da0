/**
 * The embedded cluster's process entry: `kube-workbench <group> <command>`,
 * each group a command table (cli/command.ts). It never imports `vscode`, so
 * it runs as its own Node process. A new group is one entry in GROUPS.
 */
import { buildCommand } from './cli/build-command';
import { CLUSTER_COMMANDS } from './cli/cluster-commands';
import { runCommand, runGroup, type Command, type CommandGroup } from './cli/command';
import { giveEarlyApi } from './cli/early-handoff';
import { NODE_COMMANDS } from './cli/node-commands';
import type { EarlyApi } from './api/early-api-server';

export const GROUPS: Readonly<Record<string, CommandGroup>> = { cluster: CLUSTER_COMMANDS, node: NODE_COMMANDS };
/** Commands without a group: `kube-workbench build`. */
export const SINGLE: Readonly<Record<string, Command>> = { build: buildCommand };

/**
 * Runs `argv` (the words after the group's name) in `group` (default: `cluster`).
 * `early`: the socket the small start bundle already listens on (`cluster start` only).
 */
export function main(argv: readonly string[], group = 'cluster', early?: EarlyApi): Promise<number> {
  giveEarlyApi(early);
  const output = {
    out: (line: string) => process.stdout.write(`${line}\n`),
    err: (line: string) => process.stderr.write(`${line}\n`),
  };
  const single = Object.hasOwn(SINGLE, group) ? SINGLE[group] : undefined;
  if (single) return runCommand(`kube-workbench ${group}`, single, argv, output);
  const table = Object.hasOwn(GROUPS, group) ? GROUPS[group] : undefined;
  if (!table) throw new Error(`no command group '${group}'`);
  return runGroup(table, argv, output);
}
