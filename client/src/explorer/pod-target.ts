import * as vscode from 'vscode';
import type { KubeObject } from '../kube/kube-object.js';
import type { Ctx } from '../ctx.js';
import type { ShellTarget } from './pod-terminal.js';
import type { TreeNode } from './tree-model.js';

/** The pod and container a tree node (a pod, or a container under one) names; asks when a pod has several. */
export async function podTarget(ctx: Ctx, arg: unknown, title: string): Promise<ShellTarget | undefined> {
  const node = arg as Partial<TreeNode> | undefined;
  const podRef = node?.ref?.kind === 'Pod' ? node.ref : node?.parent?.ref?.kind === 'Pod' ? node.parent.ref : undefined;
  if (!podRef) return undefined;
  const conn = await ctx.clusters.connection();
  const pod: KubeObject | undefined = await conn.reader.get(podRef);
  if (!pod) throw new Error(`pod ${podRef.name} is gone`);
  const names = ((pod.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map((c) => c.name);
  const container =
    node?.container ?? (names.length > 1 ? await vscode.window.showQuickPick(names, { title }) : names[0]);
  if (!container) return undefined;
  return { namespace: podRef.namespace ?? conn.defaultNamespace, pod: podRef.name, container };
}
