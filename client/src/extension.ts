import * as vscode from 'vscode';
import { registerCommands } from './commands.js';
import { readConfig } from './config.js';
import { Ctx } from './ctx.js';
import { DevBuilds } from './dev/dev-builds.js';
import { registerDevMode } from './dev/dev-commands.js';
import { registerKubeDebug } from './debug/kube-debug-provider.js';
import { startLanguageClient } from './editor/language-client.js';
import { registerClusterExplorer, type ClusterExplorer } from './explorer/cluster-explorer.js';
import { ClusterLogChannel } from './kube/cluster-log-channel.js';
import { registerManifestCodeLens } from './editor/manifest-codelens.js';
import { createClusterStatusBar } from './kube/cluster-status-bar.js';
import { registerPortForwardView } from './forwarding/port-forward-view.js';

let ctx: Ctx | undefined;

/** What `activate` returns: the explorer's data provider, for tests that read the tree, and how long activation took. */
export interface KubeWorkbenchApi {
  clusterExplorer: ClusterExplorer;
  /** What the cluster's status bar item shows now (tests read it; the DOM is not reachable from the extension host). */
  statusBarText: () => string;
  /** Milliseconds `activate` took (also logged as "activated in N ms"). */
  activationMs: number;
}

export function activate(extension: vscode.ExtensionContext): KubeWorkbenchApi {
  const started = performance.now();
  ctx = new Ctx(extension);
  extension.subscriptions.push(ctx);
  registerCommands(ctx);
  const explorer = registerClusterExplorer(ctx.clusters);
  ctx.explorer = explorer;
  ctx.push(explorer.disposable);
  const statusBar = createClusterStatusBar(ctx.clusters);
  ctx.push(statusBar);
  ctx.push(registerManifestCodeLens());
  ctx.push(registerKubeDebug(ctx));
  ctx.push(new ClusterLogChannel(ctx.clusters));
  ctx.push(registerPortForwardView(ctx));
  const builds = ctx.push(
    new DevBuilds({
      cliScript: extension.asAbsolutePath('scripts/kube-workbench.js'),
      dockerSocket: () => readConfig().embeddedCluster.dockerSocket,
      log: (m) => ctx?.log(m),
    }),
  );
  ctx.prepareRun = (objects, sources, report, signal) => builds.prepare(objects, sources, report, signal);
  const clusters = ctx.clusters;
  ctx.push(
    registerDevMode(ctx, {
      cliScript: extension.asAbsolutePath('scripts/kube-workbench.js'),
      connection: () => clusters.connection(),
      dockerSocket: () => readConfig().embeddedCluster.dockerSocket,
      rolloutTimeoutMs: () => readConfig().rolloutTimeoutSeconds * 1000,
      log: (m) => ctx?.log(m),
    }),
  );
  // Nothing below blocks activation: the language server and the cluster probe run in the background.
  const c = ctx;
  void startLanguageClient(extension, c.output).then(
    (client) => {
      c.setClient(client);
      c.push({ dispose: () => void client.stop() });
      c.log(`language server ready ${Math.round(performance.now() - started)} ms after activation began`);
    },
    (error: unknown) => {
      const message = error instanceof Error ? error.message : String(error);
      c.log(`language server failed to start: ${message}`);
      void vscode.window.showErrorMessage(
        `Kube Workbench: the language server failed to start (${message}). Run "Kube Workbench: Show Output" for details.`,
      );
    },
  );
  void c.clusters.probe();
  const activationMs = Math.round((performance.now() - started) * 10) / 10;
  c.log(`activated in ${activationMs} ms`);
  return { clusterExplorer: explorer.explorer, activationMs, statusBarText: () => statusBar.item.text };
}

export function deactivate(): void {
  ctx?.dispose();
  ctx = undefined;
}
