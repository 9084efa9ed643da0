/**
 * The "Port Forwards" view: every named forward of the workspace with its local address, its
 * target and its state (active → which pod; waiting, and why; stopped), refreshed as states
 * change. Items carry `portForward.running` / `portForward.stopped` for their menus.
 */
import * as vscode from 'vscode';
import { targetText } from './forward-target.js';
import { stateText, type LastingForward } from './lasting-forward.js';

export const PORT_FORWARDS_VIEW = 'kubeWorkbench.portForwards';
/** Where the forwards are saved (workspace state). */
export const SAVED_FORWARDS_KEY = 'kubeWorkbench.namedPortForwards';

export class PortForwardView implements vscode.TreeDataProvider<LastingForward>, vscode.Disposable {
  private readonly changed = new vscode.EventEmitter<LastingForward | undefined>();
  readonly onDidChangeTreeData = this.changed.event;

  constructor(private readonly forwards: () => readonly LastingForward[]) {}

  refresh(): void {
    this.changed.fire(undefined);
  }

  getChildren(element?: LastingForward): LastingForward[] {
    return element ? [] : [...this.forwards()];
  }

  getTreeItem(f: LastingForward): vscode.TreeItem {
    const item = new vscode.TreeItem(f.spec.name, vscode.TreeItemCollapsibleState.None);
    const state = f.state;
    item.id = `portForward:${f.spec.name}`;
    // The state first: a narrow view cuts the end of the line.
    item.description = `${stateText(state)} · :${f.spec.localPort} → ${targetText(f.spec.target)}`;
    item.tooltip = new vscode.MarkdownString(
      `**${f.spec.name}**\n\n${f.url} → \`${targetText(f.spec.target)}\`\n\n${stateText(state)}`,
    );
    item.iconPath = new vscode.ThemeIcon(
      state.state === 'active'
        ? 'pass-filled'
        : state.state === 'waiting'
          ? 'warning'
          : state.state === 'starting'
            ? 'loading~spin'
            : 'circle-slash',
    );
    item.contextValue = f.isRunning ? 'portForward.running' : 'portForward.stopped';
    return item;
  }

  dispose(): void {
    this.changed.dispose();
  }
}

/** Registers the view and restores the saved forwards (in the background: activation does not wait). */
export function registerPortForwardView(ctx: {
  namedForwards: { list(): readonly LastingForward[]; restore(saved: unknown): Promise<string[]> };
  namedForwardsChanged: vscode.EventEmitter<void>;
  extension: vscode.ExtensionContext;
  log(message: string): void;
}): vscode.Disposable {
  const view = new PortForwardView(() => ctx.namedForwards.list());
  const tree = vscode.window.createTreeView(PORT_FORWARDS_VIEW, { treeDataProvider: view });
  const sub = ctx.namedForwardsChanged.event(() => view.refresh());
  void ctx.namedForwards.restore(ctx.extension.workspaceState.get(SAVED_FORWARDS_KEY)).then((skipped) => {
    for (const m of skipped) ctx.log(m);
    view.refresh();
  });
  return vscode.Disposable.from(view, tree, sub);
}
