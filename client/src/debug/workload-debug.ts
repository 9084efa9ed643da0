/**
 * "Debug" on a workload, for every runtime: decides the runtime (launch
 * configuration, else the spec's command line and image, else what the
 * running container runs), applies the manifest — with the container's
 * command wrapped in debugpy or Delve for Python and Go, so the change rolls
 * out — finds the pod, forwards the debugger's port and attaches VS Code:
 * js-debug for Node.js, the `kube-workbench-dap` adapter for Python and Go.
 */
import * as vscode from 'vscode';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { Ctx } from '../ctx.js';
import type { ManifestObject } from '../run/manifest-documents.js';
import { probeContainer } from './container-probe.js';
import { attachDap, prepareDapAttach, type DapAttachRequest, type DapAttachResult } from './dap-attach.js';
import { findDebugPod } from './debug-pod.js';
import { DEFAULT_DEBUG_PORTS, debugAnnotationOf, rewriteForDebug, specArgv } from './debug-rewrite.js';
import { detectRuntime, type RuntimeGuess } from './debug-runtime.js';
import { chooseContainer, podSpecContainers, type WorkloadRef } from './debug-target.js';
import { attachNode, containerToDebug, type NodeAttachResult } from './node-attach.js';
import { sourceRoots } from './source-roots.js';

type Json = Record<string, unknown>;

export type DebugAttachResult =
  (NodeAttachResult & { runtime: 'node' }) | (DapAttachResult & { config?: vscode.DebugConfiguration });

export interface WorkloadDebugOptions {
  ref: WorkloadRef & { namespace: string };
  /** Replaces an earlier session with the same key. */
  key: string;
  name: string;
  /** The workload as the manifest defines it; undefined when only the cluster's copy is known. */
  object?: ManifestObject | undefined;
  /** Where the manifest is: the Dockerfile beside it (or above it) tells where the sources go. */
  manifestUri?: vscode.Uri | undefined;
  container?: string | undefined;
  /** A launch configuration's `runtime`. */
  runtime?: unknown;
  /** The debugger's port in the container. */
  port?: number | undefined;
  localRoot?: string | undefined;
  remoteRoot?: string | undefined;
  passThrough?: Record<string, unknown> | undefined;
  /** Applies the manifest (the workload replaced by `object` when given) and waits for it; a string says what failed. */
  apply?: ((object?: ManifestObject) => Promise<string | undefined>) | undefined;
  progress?: (message: string) => void;
  /** Open the forward and return the attach configuration (in `config`) instead of starting the session. */
  prepareOnly?: boolean;
}

/** The Dockerfile nearest to the manifest, from its folder up to the workspace folder: its folder (the build context) and text. */
async function nearestDockerfile(uri: vscode.Uri | undefined): Promise<{ context: string; text: string } | undefined> {
  if (!uri) return undefined;
  const folder = vscode.workspace.getWorkspaceFolder(uri);
  let dir = vscode.Uri.joinPath(uri, '..');
  for (let depth = 0; depth < 16; depth++) {
    try {
      const bytes = await vscode.workspace.fs.readFile(vscode.Uri.joinPath(dir, 'Dockerfile'));
      return { context: dir.fsPath, text: Buffer.from(bytes).toString('utf8') };
    } catch {
      // not here
    }
    if (!folder || dir.path === folder.uri.path || dir.path === '/') return undefined;
    dir = vscode.Uri.joinPath(dir, '..');
  }
  return undefined;
}

function containerSpecOf(pod: KubeObject, name: string): Json {
  const containers = (pod.spec as { containers?: Json[] } | undefined)?.containers ?? [];
  return containers.find((c) => c.name === name) ?? {};
}

function annotationsOf(pod: KubeObject): unknown {
  return (pod.metadata as { annotations?: unknown } | undefined)?.annotations;
}

/**
 * Debugs the workload; resolves with where the debugger attached. Rejects
 * with a message that says what stood in the way.
 */
export async function debugWorkload(
  ctx: Ctx,
  conn: ClusterConnection,
  options: WorkloadDebugOptions,
): Promise<DebugAttachResult> {
  const progress = options.progress ?? (() => undefined);
  const log = (message: string) => ctx.log(`debug ${options.name}: ${message}`);
  // 1. What the manifest says.
  let guess: RuntimeGuess = { runtime: undefined, reason: 'not decided yet' };
  let containerName = options.container;
  let rewritten: ManifestObject | undefined;
  if (options.object) {
    const choice = chooseContainer(podSpecContainers(options.object), options.container);
    if (typeof choice === 'string') throw new Error(choice);
    containerName = choice.container;
    const spec = podSpecContainers(options.object).find((c) => c.name === containerName) as Json | undefined;
    guess = detectRuntime({
      override: options.runtime,
      argv: specArgv(spec ?? {}),
      image: typeof spec?.image === 'string' ? spec.image : '',
    });
    if (guess.runtime === 'python' || guess.runtime === 'go') {
      const port = options.port ?? DEFAULT_DEBUG_PORTS[guess.runtime];
      const out = rewriteForDebug(options.object, { container: containerName, runtime: guess.runtime, port });
      // An image's entrypoint is read from the running container below.
      if (typeof out !== 'string') rewritten = out as ManifestObject;
      else if (specArgv(spec ?? {}).length > 0) throw new Error(out);
    }
    log(`${guess.runtime ?? 'runtime unknown'} (${guess.reason})`);
  } else if (options.runtime !== undefined) {
    guess = detectRuntime({ override: options.runtime });
    if (guess.runtime === undefined) throw new Error(guess.reason);
  }
  if (options.apply) {
    progress(rewritten ? `starting it under ${guess.runtime === 'go' ? 'Delve' : 'debugpy'}` : 'applying');
    const error = await options.apply(rewritten);
    if (error !== undefined) throw new Error(error);
  }
  // 2. The pod, and what it runs when the manifest did not tell.
  progress('finding its pod');
  let pod = await findDebugPod(conn, options.ref, { timeoutMs: 30_000 });
  let chosen = containerToDebug(pod, containerName);
  let annotation = debugAnnotationOf(annotationsOf(pod));
  if (annotation && annotation.container === chosen.target.container && !options.runtime)
    guess = { runtime: annotation.runtime, reason: 'the pod was started under the debugger' };
  if (guess.runtime === undefined) {
    progress(`${chosen.target.pod}: reading what it runs`);
    const process = await probeContainer(conn, chosen.target).catch(() => undefined);
    const spec = containerSpecOf(pod, chosen.target.container);
    guess = detectRuntime({
      argv: process?.argv ?? specArgv(spec),
      image: typeof spec.image === 'string' ? spec.image : '',
      ...(process?.executableHead ? { executableHead: process.executableHead } : {}),
    });
    log(
      `${guess.runtime ?? 'runtime unknown, Node.js assumed'} (${guess.reason}; it runs ${process?.argv.join(' ') ?? '?'})`,
    );
    if ((guess.runtime === 'python' || guess.runtime === 'go') && !annotation) {
      if (!options.object || !options.apply)
        throw new Error(
          `${chosen.target.pod} runs ${guess.runtime === 'go' ? 'Go' : 'Python'} without a debugger: give the launch configuration a manifest to apply, so Kube Workbench can start it under one`,
        );
      const port = options.port ?? DEFAULT_DEBUG_PORTS[guess.runtime];
      const out = rewriteForDebug(options.object, {
        container: chosen.target.container,
        runtime: guess.runtime,
        port,
        argv: process?.argv ?? [],
      });
      if (typeof out === 'string') throw new Error(out);
      progress(`starting it under ${guess.runtime === 'go' ? 'Delve' : 'debugpy'}`);
      const error = await options.apply(out as ManifestObject);
      if (error !== undefined) throw new Error(error);
      pod = await findDebugPod(conn, options.ref, { timeoutMs: 30_000 });
      chosen = containerToDebug(pod, chosen.target.container);
      annotation = debugAnnotationOf(annotationsOf(pod));
    }
  }
  // 3. Attach.
  const workingDir = chosen.workingDir;
  if (guess.runtime === 'python' || guess.runtime === 'go') {
    const port = options.port ?? annotation?.port ?? DEFAULT_DEBUG_PORTS[guess.runtime];
    const folder = options.manifestUri
      ? vscode.workspace.getWorkspaceFolder(options.manifestUri)
      : vscode.workspace.workspaceFolders?.[0];
    const roots = sourceRoots({
      localRoot: options.localRoot,
      remoteRoot: options.remoteRoot,
      dockerfile: await nearestDockerfile(options.manifestUri),
      workingDir,
      workspaceFolder: folder?.uri.fsPath,
    });
    if (roots) log(`sources: ${roots.localRoot} ↔ ${roots.remoteRoot} in the container`);
    progress(
      `${chosen.target.pod} (${chosen.target.container}): attaching to ${guess.runtime === 'go' ? 'Delve' : 'debugpy'}`,
    );
    const request: DapAttachRequest = {
      target: chosen.target,
      key: options.key,
      name: options.name,
      runtime: guess.runtime,
      port,
      roots,
      ...(options.passThrough ? { passThrough: options.passThrough } : {}),
      workload: options.ref.kind === 'Pod' ? undefined : options.ref,
    };
    if (!options.prepareOnly) return attachDap(ctx, conn, request);
    const prepared = await prepareDapAttach(ctx, conn, request);
    return { ...prepared.result, config: prepared.config };
  }
  if (options.prepareOnly) throw new Error(`the container runs Node.js (${guess.reason}): use runtime "node"`);
  progress(
    `${chosen.target.pod} (${chosen.target.container})${chosen.port === undefined ? ': starting the inspector' : ''}`,
  );
  const node = await attachNode(ctx, conn, {
    target: chosen.target,
    key: options.key,
    name: options.name,
    port: options.port ?? chosen.port,
    localRoot: options.localRoot,
    remoteRoot: options.remoteRoot ?? workingDir,
  });
  return { ...node, runtime: 'node' };
}
