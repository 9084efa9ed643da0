import * as vscode from 'vscode';
import { errorText } from './cluster-error.js';
import { listUserContexts, mergeKubeconfigFile, mergeTarget } from './kubeconfig-files.js';
import type { ActiveCluster } from './cluster-manager.js';
import { readConfig } from '../config.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';

async function startEmbedded(ctx: Ctx): Promise<string | undefined> {
  try {
    return await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Window, title: 'Kube Workbench: starting the embedded cluster' },
      async () => {
        const state = await ctx.clusters.startEmbedded();
        if (ctx.clusters.active.type === 'embedded') await ctx.clusters.connection();
        return state.kubeconfig;
      },
    );
  } catch (error) {
    ctx.log(`embedded cluster: ${errorText(error)}`);
    void vscode.window
      .showErrorMessage(`Kube Workbench: the embedded cluster did not start: ${errorText(error)}`, 'Show Output')
      .then((p) => {
        if (p) ctx.output.show();
      });
    return undefined;
  }
}

function activeClusterArg(arg: unknown): ActiveCluster | undefined {
  const a = arg as Partial<{ type: string; name: string }> | undefined;
  if (a?.type === 'embedded') return { type: 'embedded' };
  if (a?.type === 'context' && typeof a.name === 'string') return { type: 'context', name: a.name };
  return undefined;
}

export const clusterCommands: CommandTable = {
  /** Stable interface: starts the embedded cluster if needed; returns its kubeconfig's absolute path. */
  'kubeWorkbench.embeddedKubeconfig': (ctx) => async () => (await ctx.clusters.startEmbedded()).kubeconfig,
  'kubeWorkbench.startEmbeddedCluster': (ctx) => () => startEmbedded(ctx),
  'kubeWorkbench.stopEmbeddedCluster': (ctx) => async () => {
    const stopped = await ctx.clusters.stopEmbedded();
    void vscode.window.showInformationMessage(
      stopped
        ? 'Kube Workbench: the embedded cluster stopped.'
        : 'Kube Workbench: the embedded cluster was not running.',
    );
  },
  /** Switches the active cluster: a quick pick, or `{ type: 'embedded' }` / `{ type: 'context', name }` as the argument. */
  'kubeWorkbench.pickCluster': (ctx) => async (target?: unknown) => {
    const direct = activeClusterArg(target);
    if (direct) {
      try {
        await ctx.clusters.switchTo(direct);
        return true;
      } catch (error) {
        void vscode.window.showErrorMessage(`Kube Workbench: ${errorText(error)}`);
        return false;
      }
    }
    type Item = vscode.QuickPickItem & { run: () => Thenable<unknown> };
    const active = ctx.clusters.active;
    const running = await ctx.clusters.embedded().running();
    const items: Item[] = [
      {
        label: `${active.type === 'embedded' ? '$(check) ' : ''}Embedded cluster`,
        description: running ? `running (${running.runtime} runtime), ${running.api}` : 'stopped',
        run: () => ctx.clusters.switchTo({ type: 'embedded' }),
      },
    ];
    try {
      for (const c of await listUserContexts(process.env, readConfig().kubeconfigPath))
        items.push({
          label: `${active.type === 'context' && active.name === c.name ? '$(check) ' : ''}${c.name}`,
          description: `${c.server}${c.current ? ' (kubectl current context)' : ''}`,
          run: () => ctx.clusters.switchTo({ type: 'context', name: c.name }),
        });
    } catch (error) {
      ctx.log(`reading the kubeconfig: ${errorText(error)}`);
    }
    items.push({ label: '', kind: vscode.QuickPickItemKind.Separator, run: () => Promise.resolve() });
    if (running)
      items.push({
        label: '$(debug-stop) Stop the embedded cluster',
        run: () => vscode.commands.executeCommand('kubeWorkbench.stopEmbeddedCluster'),
      });
    else items.push({ label: '$(play) Start the embedded cluster', run: () => startEmbedded(ctx) });
    items.push({
      label: '$(merge) Merge the embedded cluster into ~/.kube/config…',
      run: () => vscode.commands.executeCommand('kubeWorkbench.mergeKubeconfig'),
    });
    const pick = await vscode.window.showQuickPick(items, {
      title: 'Kube Workbench: cluster',
      placeHolder: `active: ${ctx.clusters.label}`,
    });
    if (!pick) return false;
    try {
      await pick.run();
      return true;
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: ${errorText(error)}`);
      return false;
    }
  },
  'kubeWorkbench.mergeKubeconfig': (ctx) => async () => {
    const target = mergeTarget(process.env, readConfig().kubeconfigPath);
    const ok = await vscode.window.showWarningMessage(
      `Add the embedded cluster (context "kube-workbench") to ${target}? A backup is written first; the current context is not changed.`,
      { modal: true },
      'Merge',
    );
    if (ok !== 'Merge') return undefined;
    try {
      const state = await ctx.clusters.startEmbedded();
      const { backup, names } = await mergeKubeconfigFile(target, state.kubeconfig);
      const message = `Kube Workbench: context ${names.join(', ')} added to ${target}${backup ? ` (backup: ${backup})` : ''}. Try: kubectl --context ${names[0] ?? 'kube-workbench'} get nodes`;
      ctx.log(message);
      void vscode.window.showInformationMessage(message);
      return target;
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: merging the kubeconfig failed: ${errorText(error)}`);
      return undefined;
    }
  },
  'kubeWorkbench.showClusterLog': (ctx) => async () => {
    const file = ctx.clusters.embedded().logFile;
    try {
      await vscode.window.showTextDocument(vscode.Uri.file(file), { preview: true });
    } catch {
      void vscode.window.showInformationMessage(`Kube Workbench: no embedded cluster log yet (${file}).`);
    }
  },
};
