/**
 * What the `kube-workbench` launch types share: the cluster a launch
 * configuration names, and where its kube fields wait for VS Code's variable
 * substitution.
 */
import { ClusterConnection } from '../kube/cluster-connection.js';
import { connectUserContext } from '../kube/kubeconfig-files.js';
import { readConfig } from '../config.js';
import type { Ctx } from '../ctx.js';

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
