import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { findDebugPod } from './debug-pod.js';
import { debugRequestOf, formatWorkloadRef, workloadKey, type KubeDebugRequest } from './debug-target.js';
import { parseManifests } from '../run/manifest-documents.js';
import { loadSource, runSources } from '../run/run-manifests.js';
import type { Ctx } from '../ctx.js';
import { containerToDebug, prepareNodeAttach } from './node-attach.js';
import { workspaceDebugConfigurations } from './workspace-workloads.js';
import { DAP_DEBUG_TYPE, registerDapAdapter } from './dap-attach.js';
import { reattachLost } from './dap-reattach.js';
import { guessRuntime, PendingDapAttachResolver } from './kube-dap-provider.js';
import { clusterFor, PENDING, resolvePendingAttach } from './debug-cluster.js';

export const DEBUG_TYPE = 'kube-workbench';

/**
 * The kube part of a `kube-workbench` launch: applies `manifest` and waits
 * (when given), finds the pod and container, opens the inspector forward, and
 * fills the JavaScript debugger's attach configuration with the local port.
 */
async function resolveKube(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  config: vscode.DebugConfiguration,
  request: KubeDebugRequest,
  signal: AbortSignal,
): Promise<vscode.DebugConfiguration> {
  const { conn, label } = await clusterFor(ctx, request.cluster);
  let namespace = request.namespace;
  if (request.manifest !== undefined) {
    const base = folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    const uri =
      isAbsolute(request.manifest) || !base
        ? vscode.Uri.file(request.manifest)
        : vscode.Uri.joinPath(base, request.manifest);
    const source = await loadSource(uri);
    if (namespace === undefined && request.workload) {
      const doc = parseManifests(source.text).documents.find(
        (d) => d.object.kind === request.workload?.kind && d.object.metadata.name === request.workload.name,
      );
      namespace = doc?.object.metadata.namespace;
    }
    const run = await runSources(ctx, [source], `running ${vscode.workspace.asRelativePath(uri)} to debug`, {
      cluster: { conn, label },
    });
    if (run.error !== undefined) throw new Error(run.error);
    if (!run.ready) throw new Error(`${vscode.workspace.asRelativePath(uri)} is not ready`);
  }
  const ref = request.workload ?? { kind: 'Pod', name: request.pod ?? '' };
  const target = { ...ref, namespace: namespace ?? conn.defaultNamespace };
  const pod = await findDebugPod(conn, target, { timeoutMs: 30_000, signal });
  const chosen = containerToDebug(pod, request.container);
  const { config: attach } = await prepareNodeAttach(ctx, conn, {
    target: chosen.target,
    key: `${label}:${workloadKey(target, conn.defaultNamespace)}`,
    name: request.name,
    port: request.port ?? chosen.port,
    localRoot: typeof config.localRoot === 'string' ? config.localRoot : folder?.uri.fsPath,
    remoteRoot: typeof config.remoteRoot === 'string' ? config.remoteRoot : chosen.workingDir,
  });
  const resolved: vscode.DebugConfiguration = { ...config, ...attach, type: config.type, name: config.name };
  delete resolved[PENDING];
  return resolved;
}

/**
 * The `kube-workbench` debug type. Its configuration is handed to the
 * JavaScript debugger (type `node`, so js-debug resolves and defaults it as
 * for any attach) with the kube fields set aside; once VS Code has
 * substituted the variables, the JavaScript debugger's configuration comes
 * back here (`resolveDebugConfigurationWithSubstitutedVariables` for
 * `pwa-node`/`node`), the kube work runs, and the configuration points at the
 * forwarded port. The forward stops when the session ends.
 */
export class KubeDebugConfigurationProvider implements vscode.DebugConfigurationProvider {
  constructor(private readonly ctx?: Ctx) {}

  provideDebugConfigurations(
    folder: vscode.WorkspaceFolder | undefined,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DebugConfiguration[]> {
    return workspaceDebugConfigurations(folder, token);
  }

  async resolveDebugConfiguration(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
  ): Promise<vscode.DebugConfiguration | null | undefined> {
    if (!config.type && !config.request && !config.name) return null; // no launch.json entry: open launch.json
    const request = debugRequestOf(config);
    if (typeof request === 'string') {
      void vscode.window.showErrorMessage(`Kube Workbench: launch configuration "${String(config.name)}": ${request}`);
      return undefined;
    }
    const pending: Record<string, unknown> = {};
    for (const key of ['namespace', 'pod', 'container', 'port', 'manifest', 'cluster'] as const)
      if (config[key] !== undefined) pending[key] = config[key];
    if (request.workload) pending.workload = formatWorkloadRef(request.workload);
    const runtime = request.runtime ?? (this.ctx ? await guessRuntime(this.ctx, folder, request) : 'node');
    pending.runtime = runtime;
    const handed: vscode.DebugConfiguration = {
      ...request.passThrough,
      type: runtime === 'node' ? 'node' : DAP_DEBUG_TYPE,
      request: 'attach',
      name: request.name,
      [PENDING]: pending,
    };
    if (request.localRoot !== undefined) handed.localRoot = request.localRoot;
    if (request.remoteRoot !== undefined) handed.remoteRoot = request.remoteRoot;
    return handed;
  }
}

/** Finishes a JavaScript attach configuration that carries pending kube fields; any other passes unchanged. */
export class PendingKubeAttachResolver implements vscode.DebugConfigurationProvider {
  constructor(private readonly ctx: Ctx) {}

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DebugConfiguration | undefined> {
    return resolvePendingAttach(this.ctx, config, (request, _progress, cancel) => {
      const abort = new AbortController();
      token?.onCancellationRequested(() => abort.abort());
      cancel.onCancellationRequested(() => abort.abort());
      return resolveKube(this.ctx, folder, config, request, abort.signal);
    });
  }
}

/** Registers the `kube-workbench` debug type (cheap: the work happens when a session starts). */
export function registerKubeDebug(ctx: Ctx): vscode.Disposable {
  const provider = new KubeDebugConfigurationProvider(ctx);
  const pending = new PendingKubeAttachResolver(ctx);
  return vscode.Disposable.from(
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      provider,
      vscode.DebugConfigurationProviderTriggerKind.Initial,
    ),
    // Only the list: resolvers of one type are chained, so a second one must not resolve again.
    vscode.debug.registerDebugConfigurationProvider(
      DEBUG_TYPE,
      { provideDebugConfigurations: (folder, token) => provider.provideDebugConfigurations(folder, token) },
      vscode.DebugConfigurationProviderTriggerKind.Dynamic,
    ),
    vscode.debug.registerDebugConfigurationProvider('pwa-node', pending),
    vscode.debug.registerDebugConfigurationProvider('node', pending),
    vscode.debug.registerDebugConfigurationProvider(DAP_DEBUG_TYPE, new PendingDapAttachResolver(ctx)),
    registerDapAdapter((config) => void reattachLost(ctx, config)),
  );
}
