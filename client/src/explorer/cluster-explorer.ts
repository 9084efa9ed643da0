import * as vscode from 'vscode';
import type { ClusterManager } from '../kube/cluster-manager.js';
import type { Health } from './resource-status.js';
import type { Snapshot } from '../kube/resource-cache.js';
import { childrenOf, clusterNode, type TreeNode } from './tree-model.js';

export const EXPLORER_VIEW = 'kubeWorkbench.clusterExplorer';

const EMPTY: Snapshot = { objects: () => [] };

const ICONS: Record<string, string> = {
  Namespace: 'symbol-namespace',
  Deployment: 'layers',
  ReplicaSet: 'versions',
  StatefulSet: 'layers-dot',
  DaemonSet: 'server-process',
  Job: 'tasklist',
  CronJob: 'watch',
  Pod: 'vm',
  Service: 'plug',
  Ingress: 'globe',
  ConfigMap: 'settings',
  Secret: 'key',
  PersistentVolumeClaim: 'database',
  Node: 'server',
  HorizontalPodAutoscaler: 'pulse',
  Event: 'bell',
};
const COLORS: Record<Health, string | undefined> = {
  ok: 'testing.iconPassed',
  progress: 'charts.yellow',
  warning: 'list.warningForeground',
  error: 'list.errorForeground',
  none: undefined,
};

/** The cluster explorer: the tree model over the informer cache, refreshed when a watch reports a change. */
export class ClusterExplorer implements vscode.TreeDataProvider<TreeNode> {
  private readonly emitter = new vscode.EventEmitter<TreeNode | undefined>();
  readonly onDidChangeTreeData = this.emitter.event;
  private readonly items = new Map<string, TreeNode>();

  constructor(private readonly clusters: ClusterManager) {}

  refresh(): void {
    this.emitter.fire(undefined);
  }

  private root(): TreeNode {
    const c = this.clusters;
    const text =
      c.health === 'ready'
        ? c.embeddedState && c.active.type === 'embedded'
          ? `${c.embeddedState.runtime} runtime`
          : 'connected'
        : c.health;
    return clusterNode(c.label, text, c.health === 'ready' ? 'ok' : c.health === 'error' ? 'error' : 'none');
  }

  getChildren(node?: TreeNode): TreeNode[] {
    const snap = this.clusters.cache ?? EMPTY;
    if (node?.contextValue === 'cluster' && !this.clusters.cache) return [];
    const children = childrenOf(node, snap, this.root());
    for (const c of children) this.items.set(c.id, c);
    return children;
  }

  getParent(node: TreeNode): TreeNode | undefined {
    return node.parent;
  }

  getTreeItem(node: TreeNode): vscode.TreeItem {
    const item = new vscode.TreeItem(
      node.label,
      node.expandable ? vscode.TreeItemCollapsibleState.Collapsed : vscode.TreeItemCollapsibleState.None,
    );
    if (node.contextValue === 'cluster') item.collapsibleState = vscode.TreeItemCollapsibleState.Expanded;
    item.id = node.id;
    if (node.description !== undefined) item.description = node.description;
    item.tooltip = node.tooltip ?? (node.description ? `${node.label}: ${node.description}` : node.label);
    item.contextValue = node.contextValue;
    const icon = node.container
      ? 'package'
      : node.folder
        ? 'folder'
        : node.contextValue === 'cluster'
          ? 'cloud'
          : (ICONS[node.ref?.kind ?? ''] ?? 'circle-small');
    const color = COLORS[node.health];
    item.iconPath = new vscode.ThemeIcon(icon, color ? new vscode.ThemeColor(color) : undefined);
    if (node.ref && node.contextValue.startsWith('resource.') && node.ref.kind !== 'Namespace')
      item.command = { command: 'kubeWorkbench.showYaml', title: 'Show YAML', arguments: [node] };
    return item;
  }

  /** Every node currently under `node` (expanding all of it): tests and "reveal" read the tree through this. */
  walk(node?: TreeNode, depth = 8): TreeNode[] {
    if (depth === 0) return [];
    return this.getChildren(node).flatMap((c) => [c, ...(c.expandable ? this.walk(c, depth - 1) : [])]);
  }

  /** Where an object sits in the tree (its canonical place: Workloads, Pods, Services, ...). */
  find(kind: string, name: string, namespace?: string): TreeNode | undefined {
    const cluster = this.getChildren(undefined)[0];
    if (!cluster) return undefined;
    const [namespaces, nodes] = this.getChildren(cluster);
    if (kind === 'Node') return nodes && this.getChildren(nodes).find((n) => n.label === name);
    const ns = namespaces && this.getChildren(namespaces).find((n) => n.label === (namespace ?? 'default'));
    if (!ns) return undefined;
    if (kind === 'Namespace') return ns;
    for (const folder of this.getChildren(ns)) {
      const hit = this.getChildren(folder).find((n) => n.ref?.kind === kind && n.ref.name === name);
      if (hit) return hit;
    }
    return undefined;
  }
}

export function registerClusterExplorer(clusters: ClusterManager): {
  explorer: ClusterExplorer;
  view: vscode.TreeView<TreeNode>;
  disposable: vscode.Disposable;
} {
  const explorer = new ClusterExplorer(clusters);
  const view = vscode.window.createTreeView(EXPLORER_VIEW, { treeDataProvider: explorer, showCollapseAll: true });
  const subs = [
    clusters.onDidChangeResources(() => explorer.refresh()),
    clusters.onDidChange(() => explorer.refresh()),
  ];
  // Opening the view connects to the active cluster when it already runs (it never starts one by itself).
  view.onDidChangeVisibility((e) => {
    if (e.visible && !clusters.cache && clusters.health !== 'starting') void clusters.probe();
  });
  return { explorer, view, disposable: vscode.Disposable.from(view, ...subs) };
}
