/**
 * What the `kube-workbench` launch types share: the cluster a launch
 * configuration names, and where its kube fields wait for VS Code's variable
 * substitution.
 */
import * as vscode from 'vscode';
import { ClusterConnection } from '../kube/cluster-connection.js';
import { errorText } from '../kube/cluster-error.js';
import { connectUserContext } from '../kube/kubeconfig-files.js';
import { readConfig } from '../config.js';
import type { Ctx } from '../ctx.js';
import { debugRequestOf, type KubeDebugRequest } from './debug-target.js';

/** Where the `kube-workbench` fields wait, inside the JavaScript debugger's configuration, for variable substitution. */
export const PENDING = '__kubeWorkbench';

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The cluster a configuration names (`embedded`, a kubeconfig context), or the active one. */
export async function clusterFor(
  ctx: Ctx,
  cluster: string | undefined,
): Promise<{ conn: ClusterConnection; label: string }> {
  const active = ctx.clusters.active;
  const isActive =
    cluster === undefined ||
    (cluster === 'embedded' && active.type === 'embedded') ||
    (active.type === 'context' && active.name === cluster);
  if (isActive) return { conn: await ctx.clusters.connection(), label: ctx.clusters.label };
  if (cluster === 'embedded') {
    const state = await ctx.clusters.startEmbedded();
    return { conn: await ClusterConnection.fromKubeconfig(state.kubeconfig), label: 'embedded cluster' };
  }
  return { conn: await connectUserContext(cluster, readConfig().kubeconfigPath), label: cluster };
}

/**
 * Finishes a configuration whose kube fields wait under PENDING: `attach` runs
 * under a cancellable progress notification; a bad request or a failure shows
 * an error and cancels the launch. Any other configuration passes unchanged.
 */
export async function resolvePendingAttach(
  ctx: Ctx,
  config: vscode.DebugConfiguration,
  attach: (
    request: KubeDebugRequest,
    progress: vscode.Progress<{ message?: string }>,
    cancel: vscode.CancellationToken,
  ) => Promise<vscode.DebugConfiguration>,
): Promise<vscode.DebugConfiguration | undefined> {
  const pending: unknown = config[PENDING];
  if (!isRecord(pending)) return config; // started by "Debug" itself, already complete
  const request = debugRequestOf({ ...pending, name: config.name });
  const title = `Kube Workbench: ${String(config.name)}`;
  if (typeof request === 'string') {
    void vscode.window.showErrorMessage(`${title}: ${request}`);
    return undefined;
  }
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `${title}: attaching`, cancellable: true },
      (progress, cancel) => attach(request, progress, cancel),
    );
  } catch (error) {
    ctx.log(`${title}: ${errorText(error)}`);
    void vscode.window.showErrorMessage(`${title}: ${errorText(error)}`);
    return undefined;
  }
}
