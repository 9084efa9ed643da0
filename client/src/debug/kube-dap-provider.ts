/**
 * The Python and Go side of the `kube-workbench` launch type. Before VS Code
 * substitutes variables, `guessRuntime` decides the runtime when the
 * configuration gives none (the manifest's or the cluster's pod template,
 * else what a running pod runs); Python and Go configurations go on as type
 * `kube-workbench-dap`, whose resolver here does the kube work once the
 * variables are substituted: applies the manifest with the command under the
 * debugger, finds the pod, forwards the debugger's port and points the
 * session's DAP adapter at it.
 */
import { isAbsolute } from 'node:path';
import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import type { Ctx } from '../ctx.js';
import { parseManifests, type ManifestObject } from '../run/manifest-documents.js';
import { loadSource, runSources, type Source } from '../run/run-manifests.js';
import { probeContainer } from './container-probe.js';
import { clusterFor, isRecord, PENDING, resolvePendingAttach } from './debug-cluster.js';
import { findDebugPod } from './debug-pod.js';
import { debugAnnotationOf, specArgv } from './debug-rewrite.js';
import { detectRuntime, type DebugRuntime } from './debug-runtime.js';
import { chooseContainer, DEBUG_KINDS, podSpecContainers, workloadKey, type KubeDebugRequest } from './debug-target.js';
import { containerToDebug } from './node-attach.js';
import { debugWorkload } from './workload-debug.js';
import { sourceWithObject } from './manifest-replace.js';

type Json = Record<string, unknown>;

/** The manifest a configuration names, with `${workspaceFolder}` expanded (before VS Code does it). */
function manifestUri(folder: vscode.WorkspaceFolder | undefined, manifest: string): vscode.Uri {
  const base = folder?.uri ?? vscode.workspace.workspaceFolders?.[0]?.uri;
  const expanded = base ? manifest.replace(/\$\{workspaceFolder\}/g, base.fsPath) : manifest;
  return isAbsolute(expanded) || !base ? vscode.Uri.file(expanded) : vscode.Uri.joinPath(base, expanded);
}

/** The runtime a pod template's container runs, from its command line and image; undefined when they do not tell. */
function runtimeOfTemplate(object: Json, container: string | undefined): DebugRuntime | undefined {
  const choice = chooseContainer(podSpecContainers(object), container);
  if (typeof choice === 'string') return undefined;
  const spec = podSpecContainers(object).find((c) => c.name === choice.container) as Json | undefined;
  const annotations =
    isRecord(object.spec) && object.kind !== 'Pod'
      ? (object.spec.template as Json | undefined)?.metadata
      : object.metadata;
  const marked = debugAnnotationOf(isRecord(annotations) ? annotations.annotations : undefined);
  if (marked) return marked.runtime;
  return detectRuntime({ argv: specArgv(spec ?? {}), image: typeof spec?.image === 'string' ? spec.image : '' })
    .runtime;
}

/**
 * The runtime of a launch configuration without `runtime`: from the
 * manifest's workload, else the cluster's, else what a running pod runs;
 * Node.js when nothing tells (as before Python and Go were known).
 */
export async function guessRuntime(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  request: KubeDebugRequest,
): Promise<DebugRuntime> {
  try {
    const ref = request.workload ?? { kind: 'Pod', name: request.pod ?? '' };
    if (request.manifest !== undefined && !request.manifest.replace(/\$\{workspaceFolder\}/g, '').includes('${')) {
      const source = await loadSource(manifestUri(folder, request.manifest));
      const doc = parseManifests(source.text).documents.find(
        (d) => d.object.kind === ref.kind && d.object.metadata.name === ref.name,
      );
      const found = doc ? runtimeOfTemplate(doc.object, request.container) : undefined;
      if (found) return found;
    }
    const { conn } = await clusterFor(ctx, request.cluster);
    const namespace = request.namespace ?? conn.defaultNamespace;
    const apiVersion = DEBUG_KINDS[ref.kind];
    const live = apiVersion
      ? await conn.reader.get({ apiVersion, kind: ref.kind, name: ref.name, namespace })
      : undefined;
    const found = live ? runtimeOfTemplate(live, request.container) : undefined;
    if (found) return found;
    const pod = await findDebugPod(conn, { ...ref, namespace }, { timeoutMs: 3_000 });
    const target = containerToDebug(pod, request.container).target;
    const process = await probeContainer(conn, target);
    const guess = detectRuntime({
      argv: process.argv,
      ...(process.executableHead ? { executableHead: process.executableHead } : {}),
    });
    ctx.log(`debug ${request.name}: ${guess.runtime ?? 'Node.js assumed'} (${guess.reason})`);
    return guess.runtime ?? 'node';
  } catch (error) {
    ctx.log(`debug ${request.name}: runtime not found (${errorText(error)}); Node.js assumed`);
    return 'node';
  }
}

/** The kube work of a Python or Go launch, once variables are substituted: the configuration for the DAP adapter. */
async function resolveKubeDap(
  ctx: Ctx,
  folder: vscode.WorkspaceFolder | undefined,
  config: vscode.DebugConfiguration,
  request: KubeDebugRequest,
  progress: (message: string) => void,
): Promise<vscode.DebugConfiguration> {
  const { conn, label } = await clusterFor(ctx, request.cluster);
  const ref = request.workload ?? { kind: 'Pod', name: request.pod ?? '' };
  let namespace = request.namespace;
  let source: Source | undefined;
  let object: ManifestObject | undefined;
  if (request.manifest !== undefined) {
    source = await loadSource(manifestUri(folder, request.manifest));
    object = parseManifests(source.text).documents.find(
      (d) => d.object.kind === ref.kind && d.object.metadata.name === ref.name,
    )?.object;
    namespace ??= object?.metadata.namespace;
  }
  const target = { ...ref, namespace: namespace ?? conn.defaultNamespace };
  const relative = source ? vscode.workspace.asRelativePath(source.uri) : '';
  const apply = source
    ? async (rewritten?: ManifestObject): Promise<string | undefined> => {
        const withObject = rewritten ? sourceWithObject(source, rewritten) : source;
        if (typeof withObject === 'string') return withObject;
        const run = await runSources(ctx, [withObject], `running ${relative} to debug`, { cluster: { conn, label } });
        if (run.error !== undefined) return run.error;
        return run.ready ? undefined : `${relative} is not ready`;
      }
    : undefined;
  const passThrough: Json = { ...config };
  for (const key of ['type', 'request', 'name', 'localRoot', 'remoteRoot', PENDING]) delete passThrough[key];
  const result = await debugWorkload(ctx, conn, {
    ref: target,
    key: `${label}:${workloadKey(target, conn.defaultNamespace)}`,
    name: request.name,
    object,
    manifestUri: source?.uri,
    container: request.container,
    runtime: request.runtime,
    port: request.port,
    localRoot: typeof config.localRoot === 'string' ? config.localRoot : undefined,
    remoteRoot: typeof config.remoteRoot === 'string' ? config.remoteRoot : undefined,
    passThrough,
    apply,
    progress,
    prepareOnly: true,
  });
  if (result.runtime === 'node' || !result.config) throw new Error('the container runs Node.js: use runtime "node"');
  return { ...result.config, name: config.name };
}

/** Finishes a `kube-workbench-dap` configuration that carries pending kube fields. */
export class PendingDapAttachResolver implements vscode.DebugConfigurationProvider {
  constructor(private readonly ctx: Ctx) {}

  resolveDebugConfigurationWithSubstitutedVariables(
    folder: vscode.WorkspaceFolder | undefined,
    config: vscode.DebugConfiguration,
    token?: vscode.CancellationToken,
  ): Promise<vscode.DebugConfiguration | undefined> {
    return resolvePendingAttach(this.ctx, config, (request, progress, cancel) => {
      const stop = () => progress.report({ message: 'cancelling…' });
      token?.onCancellationRequested(stop);
      cancel.onCancellationRequested(stop);
      return resolveKubeDap(this.ctx, folder, config, request, (message) => progress.report({ message }));
    });
  }
}
