import * as vscode from 'vscode';
import type { ClusterManager } from './cluster-manager.js';

/** The active cluster and its health; a click opens the cluster quick pick. */
export function createClusterStatusBar(manager: ClusterManager): vscode.Disposable {
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
    item.text = `${icon} ${manager.label}${text && manager.health !== 'ready' ? `: ${text}` : fake && manager.health === 'ready' ? ' (fake runtime)' : ''}`;
    const tooltip = new vscode.MarkdownString(`**Kube Workbench**: ${manager.label} — ${text || 'not connected'}`);
    if (manager.detail) tooltip.appendText(`\n\n${manager.detail}`);
    tooltip.appendMarkdown('\n\nClick to switch cluster, start or stop the embedded one.');
    item.tooltip = tooltip;
    item.backgroundColor =
      manager.health === 'error'
        ? new vscode.ThemeColor('statusBarItem.errorBackground')
        : fake
          ? new vscode.ThemeColor('statusBarItem.warningBackground')
          : undefined;
    item.show();
  };
  render();
  const sub = manager.onDidChange(render);
  return vscode.Disposable.from(item, sub);
}
