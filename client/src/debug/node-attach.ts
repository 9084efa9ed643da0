import * as vscode from 'vscode';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import { chooseContainer } from './debug-target.js';
import { openInspectorForward } from './inspector-forward.js';
import type { ContainerSpec, ExecTarget } from './node-inspector.js';
import type { Ctx } from '../ctx.js';
import { ATTACHMENT_PROPERTY } from './debug-attachments.js';

/** What to attach to and how to map its sources. */
export interface NodeAttachRequest {
  target: ExecTarget;
  /** The workload or pod debugged: an earlier session with the same key is replaced. */
  key: string;
  /** The session's name. */
  name: string;
  /** The inspector port in the container; undefined starts the inspector with SIGUSR1. */
  port: number | undefined;
  localRoot?: string | undefined;
  remoteRoot?: string | undefined;
}

/** What an attach returns (the `debug` part of Run and Debug's result). */
export interface NodeAttachResult {
  namespace: string;
  pod: string;
  container: string;
  /** The local port on 127.0.0.1 the debugger connects to. */
  port: number;
  /** The inspector's port in the container. */
  inspectorPort: number;
  name: string;
}

/** The container of a pod to debug (named, or the one with `--inspect`, or the first) and its spec's inspector port. */
export function containerToDebug(
  pod: KubeObject,
  wanted?: string,
): { target: ExecTarget; port: number | undefined; workingDir: string | undefined } {
  const containers = ((pod.spec as { containers?: ContainerSpec[] } | undefined)?.containers ?? []).filter(Boolean);
  const choice = chooseContainer(containers, wanted);
  const name = pod.metadata?.name ?? '';
  if (typeof choice === 'string') throw new Error(`pod ${name}: ${choice}`);
  return {
    target: { namespace: pod.metadata?.namespace ?? 'default', pod: name, container: choice.container },
    port: choice.port,
    workingDir: choice.workingDir,
  };
}

/**
 * Opens the forward to the container's inspector (replacing an earlier session
 * of the same key) and returns the node attach configuration that uses it; the
 * forward stops when that session ends, or when none starts.
 */
export async function prepareNodeAttach(
  ctx: Ctx,
  conn: ClusterConnection,
  request: NodeAttachRequest,
): Promise<{ config: vscode.DebugConfiguration; result: NodeAttachResult; id: number }> {
  await ctx.debugAttachments.replace(request.key);
  const { target } = request;
  const label = `${target.namespace}/${target.pod} (${target.container}) inspector`;
  const opened = await openInspectorForward(conn, target, {
    port: request.port,
    onError: (error) => ctx.log(`debug port-forward ${label}: ${error.message}`),
  });
  const forward = ctx.forwards.add({
    label: `${label} :${opened.inspectorPort}`,
    listener: opened.listener,
    ...(opened.relay ? { extra: opened.relay } : {}),
  });
  const id = ctx.debugAttachments.add(request.key, forward);
  const port = opened.listener.localPort;
  ctx.log(
    `debugger: ${label} :${opened.inspectorPort} (${opened.version}${opened.signalled ? ', started with SIGUSR1' : ''}) on 127.0.0.1:${port}${opened.relay ? ' through a relay in the container' : ''}`,
  );
  const folder = vscode.workspace.workspaceFolders?.[0];
  const config: vscode.DebugConfiguration = {
    type: 'node',
    request: 'attach',
    name: request.name,
    address: '127.0.0.1',
    port,
    localRoot: request.localRoot ?? folder?.uri.fsPath ?? '${workspaceFolder}',
    remoteRoot: request.remoteRoot ?? '/app',
    [ATTACHMENT_PROPERTY]: id,
  };
  const result: NodeAttachResult = {
    namespace: target.namespace,
    pod: target.pod,
    container: target.container,
    port,
    inspectorPort: opened.inspectorPort,
    name: request.name,
  };
  return { config, result, id };
}

/** Opens the forward and starts the JavaScript debugger's attach session on it (bounded). */
export async function attachNode(
  ctx: Ctx,
  conn: ClusterConnection,
  request: NodeAttachRequest,
): Promise<NodeAttachResult> {
  const { config, result, id } = await prepareNodeAttach(ctx, conn, request);
  await ctx.debugAttachments.startDebugging(id, config);
  return result;
}
