import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import type { KubeObject } from '../kube/cluster-connection.js';
import type { TreeNode } from './tree-model.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';
import { openPodShell, type PodShell, type ShellTarget } from './pod-terminal.js';

/** The pod and container a tree node (a pod, or a container under one) names; asks when a pod has several. */
export async function podTarget(ctx: Ctx, arg: unknown, title: string): Promise<ShellTarget | undefined> {
  const node = arg as Partial<TreeNode> | undefined;
  const podRef = node?.ref?.kind === 'Pod' ? node.ref : node?.parent?.ref?.kind === 'Pod' ? node.parent.ref : undefined;
  if (!podRef) return undefined;
  const conn = await ctx.clusters.connection();
  const pod: KubeObject | undefined = await conn.get(podRef);
  if (!pod) throw new Error(`pod ${podRef.name} is gone`);
  const names = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
  const container =
    node?.container ?? (names.length > 1 ? await vscode.window.showQuickPick(names, { title }) : names[0]);
  if (!container) return undefined;
  return { namespace: podRef.namespace ?? conn.defaultNamespace, pod: podRef.name, container };
}

export const shellCommands: CommandTable = {
  /** A terminal with a shell in the container (exec with a TTY); returns the shell (its terminal and transcript). */
  'kubeWorkbench.openShell':
    (ctx) =>
    async (arg?: unknown): Promise<PodShell | undefined> => {
      try {
        const target = await podTarget(ctx, arg, 'Open a shell in which container?');
        if (!target) return undefined;
        const shell = openPodShell(await ctx.clusters.connection(), target, `${target.pod} (${target.container})`);
        ctx.push(shell.terminal);
        shell.terminal.show();
        return shell;
      } catch (error) {
        void vscode.window.showErrorMessage(`Kube Workbench: shell: ${errorText(error)}`);
        return undefined;
      }
    },
};
