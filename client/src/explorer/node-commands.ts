/**
 * Node actions from the tree: Cordon, Uncordon, Drain, and on the embedded
 * cluster's simulated nodes Simulate Node Outage, Recover Node, Add Node and
 * Remove Node. Each one changes the Node object through the API, as
 * `kubectl cordon` or the embedded cluster's `node stop` would, and the tree
 * follows through its watch.
 */
import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import { cordonNode, drainNode, planDrain, type DrainProgress } from '../kube/node-drain.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';
import { NODE_GROUP_LABEL, OUTAGE_ANNOTATION } from './node-summary.js';
import type { TreeNode } from './tree-node.js';

const nodeRef = (name: string) => ({ apiVersion: 'v1', kind: 'Node', name });
/** The node's group (the label simulated nodes carry), or undefined for a node of a real cluster. */
const groupOf = (node: KubeObject): string | undefined => {
  const labels = node.metadata?.labels as Record<string, unknown> | undefined;
  const group = labels?.[NODE_GROUP_LABEL];
  return typeof group === 'string' ? group : undefined;
};

/** The node a command runs on: a tree row, or a name (tests and the command palette pass one). */
async function pickNode(ctx: Ctx, arg: unknown, title: string): Promise<string | undefined> {
  if (typeof arg === 'string' && arg !== '') return arg;
  const row = arg as Partial<TreeNode> | undefined;
  if (row?.ref?.kind === 'Node') return row.ref.name;
  const conn = await ctx.clusters.connection();
  const { items } = await conn.reader.list('v1', 'Node');
  return vscode.window.showQuickPick(
    items.map((n) => n.metadata?.name ?? ''),
    { title },
  );
}

async function run(what: string, action: () => Promise<string | undefined>): Promise<boolean> {
  try {
    const done = await action();
    if (done) void vscode.window.showInformationMessage(`Kube Workbench: ${done}`);
    return done !== undefined;
  } catch (error) {
    void vscode.window.showErrorMessage(`Kube Workbench: ${what}: ${errorText(error)}`);
    return false;
  }
}

/** Simulated nodes carry the node-group label; only the embedded cluster runs them. */
async function simulatedNode(conn: ClusterConnection, name: string): Promise<KubeObject> {
  const node = await conn.reader.get(nodeRef(name));
  if (!node) throw new Error(`node ${name} does not exist`);
  if (groupOf(node) === undefined)
    throw new Error(
      `${name} is not a simulated node of the embedded cluster: take a real node down with your provider's tools`,
    );
  return node;
}

function progressText(node: string, p: DrainProgress): string {
  const [first] = p.waiting;
  const wait = first ? `; ${first[0]} waits: ${first[1]}` : '';
  return `draining ${node}: ${p.evicted} of ${p.total} pods evicted${wait}`;
}

/** Drain with a cancellable progress notification; unmanaged pods are deleted only after the user agrees. */
async function drainWithProgress(ctx: Ctx, name: string): Promise<string | undefined> {
  const conn = await ctx.clusters.connection();
  const { items } = await conn.reader.list('v1', 'Pod', { fieldSelector: `spec.nodeName=${name}` });
  const unmanaged = planDrain(items).unmanaged;
  let deleteUnmanaged = false;
  if (unmanaged.length > 0) {
    const choice = await vscode.window.showWarningMessage(
      `${unmanaged.length} pod(s) on ${name} have no controller (${unmanaged
        .map((p) => p.metadata?.name ?? '')
        .join(', ')}): draining deletes them for good.`,
      { modal: true },
      'Drain and Delete Them',
    );
    if (choice !== 'Drain and Delete Them') return undefined;
    deleteUnmanaged = true;
  }
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: 'Kube Workbench', cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      const plan = await drainNode(conn, name, {
        deleteUnmanaged,
        signal: abort.signal,
        onProgress: (p) => progress.report({ message: progressText(name, p) }),
      });
      const left = plan.ignored.length > 0 ? ` (${plan.ignored.length} DaemonSet or mirror pods stay)` : '';
      return `drained ${name}: ${plan.evict.length + (deleteUnmanaged ? plan.unmanaged.length : 0)} pods evicted${left}`;
    },
  );
}

/** The next free `kube-workbench-node-N`, in the group the other simulated nodes are in. */
function newNode(nodes: readonly KubeObject[]): KubeObject {
  const names = new Set(nodes.map((n) => n.metadata?.name));
  let i = nodes.length + 1;
  while (names.has(`kube-workbench-node-${i}`)) i++;
  const group = nodes.map(groupOf).find((g) => g !== undefined && g !== '') ?? 'default';
  return {
    apiVersion: 'v1',
    kind: 'Node',
    metadata: { name: `kube-workbench-node-${i}`, labels: { [NODE_GROUP_LABEL]: group } },
  };
}

export const nodeCommands: CommandTable = {
  'kubeWorkbench.cordonNode': (ctx) => async (arg?: unknown) => {
    const name = await pickNode(ctx, arg, 'Cordon node');
    if (!name) return false;
    return run('cordon', async () => {
      await cordonNode(await ctx.clusters.connection(), name);
      return `${name} cordoned: no new pods will be scheduled on it`;
    });
  },
  'kubeWorkbench.uncordonNode': (ctx) => async (arg?: unknown) => {
    const name = await pickNode(ctx, arg, 'Uncordon node');
    if (!name) return false;
    return run('uncordon', async () => {
      await cordonNode(await ctx.clusters.connection(), name, false);
      return `${name} uncordoned`;
    });
  },
  'kubeWorkbench.drainNode': (ctx) => async (arg?: unknown) => {
    const name = await pickNode(ctx, arg, 'Drain node');
    if (!name) return false;
    return run(`drain ${name}`, () => drainWithProgress(ctx, name));
  },
  'kubeWorkbench.simulateNodeOutage': (ctx) => async (arg?: unknown) => {
    const name = await pickNode(ctx, arg, 'Simulate an outage of node');
    if (!name) return false;
    return run('simulate outage', async () => {
      const conn = await ctx.clusters.connection();
      await simulatedNode(conn, name);
      await conn.writer.patch(nodeRef(name), { metadata: { annotations: { [OUTAGE_ANNOTATION]: 'true' } } });
      return `${name} went silent: it turns NotReady once the node monitor grace period passes, then its pods move`;
    });
  },
  'kubeWorkbench.recoverNode': (ctx) => async (arg?: unknown) => {
    const name = await pickNode(ctx, arg, 'Recover node');
    if (!name) return false;
    return run('recover node', async () => {
      const conn = await ctx.clusters.connection();
      await simulatedNode(conn, name);
      await conn.writer.patch(nodeRef(name), { metadata: { annotations: { [OUTAGE_ANNOTATION]: null } } });
      return `${name} is back: its kubelet reports again`;
    });
  },
  'kubeWorkbench.addNode': (ctx) => async () =>
    run('add node', async () => {
      const conn = await ctx.clusters.connection();
      const { items } = await conn.reader.list('v1', 'Node');
      if (items.length > 0 && !items.some((n) => groupOf(n) !== undefined))
        throw new Error('this cluster has no simulated nodes: add nodes to it with its provider’s tools');
      const created = await conn.writer.create(newNode(items));
      return `added node ${created.metadata?.name ?? ''}`;
    }),
  'kubeWorkbench.removeNode': (ctx) => async (arg?: unknown) => {
    const name = await pickNode(ctx, arg, 'Remove node');
    if (!name) return false;
    return run(`remove ${name}`, async () => {
      const conn = await ctx.clusters.connection();
      await simulatedNode(conn, name);
      const drained = await drainWithProgress(ctx, name);
      if (drained === undefined) return undefined;
      await conn.writer.delete(nodeRef(name));
      return `removed ${name} (${drained})`;
    });
  },
};
