import * as vscode from 'vscode';
import type { ClusterManager } from './cluster-manager.js';
import type { KubeObject } from './kube-object.js';

/** Nodes whose Ready condition is not True (NotReady, or Unknown once their kubelet went silent). */
export function notReadyNodes(nodes: readonly KubeObject[]): string[] {
  return nodes
    .filter((n) => {
      const conditions = (n.status as { conditions?: { type?: string; status?: string }[] } | undefined)?.conditions;
      return !Array.isArray(conditions) || conditions.find((c) => c.type === 'Ready')?.status !== 'True';
    })
    .map((n) => n.metadata?.name ?? '')
    .sort();
}

/** The active cluster and its health; a click opens the cluster quick pick. */
export function createClusterStatusBar(manager: ClusterManager): vscode.Disposable & { item: vscode.StatusBarItem } {
  const item = vscode.window.createStatusBarItem('kubeWorkbench.cluster', vscode.StatusBarAlignment.Left, 50);
  item.name = 'Kube Workbench cluster';
  item.command = 'kubeWorkbench.pickCluster';
  const render = () => {
    const runtime =
      manager.active.type === 'embedded' && manager.embeddedState ? manager.embeddedState.runtime : undefined;
    const fake = runtime === 'fake';
    const states: Record<string, [string, string]> = {
      unknown: ['$(circle-outline)', ''],
      stopped: ['$(debug-stop)', 'stopped'],
      starting: ['$(loading~spin)', 'starting'],
      ready: [fake ? '$(warning)' : '$(check)', fake ? 'ready, Docker engine missing: fake runtime' : 'ready'],
      error: ['$(error)', 'error'],
    };
    const [icon, text] = states[manager.health] ?? ['', ''];
    const down = manager.health === 'ready' ? notReadyNodes(manager.cache?.objects('Node') ?? []) : [];
    const nodes = down.length > 0 ? `, ${down.length} ${down.length === 1 ? 'node' : 'nodes'} NotReady` : '';
    item.text = `${down.length > 0 ? '$(warning)' : icon} ${manager.label}${text && manager.health !== 'ready' ? `: ${text}` : fake && manager.health === 'ready' ? ' (fake runtime)' : ''}${nodes}`;
    const tooltip = new vscode.MarkdownString(`**Kube Workbench**: ${manager.label} — ${text || 'not connected'}`);
    if (down.length > 0) tooltip.appendText(`\n\nNotReady: ${down.join(', ')}`);
    if (manager.detail) tooltip.appendText(`\n\n${manager.detail}`);
    tooltip.appendMarkdown('\n\nClick to switch cluster, start or stop the embedded one.');
    item.tooltip = tooltip;
    item.backgroundColor =
      manager.health === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : fake || down.length > 0
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.show();
  };
  render();
  // Watch events come often: re-render only when the set of NotReady nodes changes.
  let lastDown = '';
  const onResources = manager.onDidChangeResources(() => {
    const down = notReadyNodes(manager.cache?.objects('Node') ?? []).join(',');
    if (down !== lastDown) {
      lastDown = down;
      render();
    }
  });
  const sub = manager.onDidChange(render);
  return Object.assign(vscode.Disposable.from(item, sub, onResources), { item });
}
