/**
 * Attaching VS Code to a debugger that speaks the Debug Adapter Protocol
 * itself — debugpy (`python3 -m debugpy --listen`) and Delve's headless
 * server — over a port-forward: the `kube-workbench-dap` debug type's adapter
 * is a socket to the forward's local port, so VS Code talks DAP
 * straight to the debugger in the container and no Python or Go extension is
 * needed. Sources map with debugpy's `pathMappings` and Delve's `substitutePath`.
 */
import { connect } from 'node:net';
import * as vscode from 'vscode';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { PortForwardListener } from '../forwarding/port-forward-listener.js';
import type { Ctx } from '../ctx.js';
import { ATTACHMENT_PROPERTY } from './debug-attachments.js';
import { DapSocketAdapter } from './dap-socket-adapter.js';
import type { ExecTarget } from './node-inspector.js';
import type { SourceRoots } from './source-roots.js';
import type { WorkloadRef } from './debug-target.js';

/** The debug type whose adapter is the debugger in the container. */
export const DAP_DEBUG_TYPE = 'kube-workbench-dap';
/** The property of a `kube-workbench-dap` configuration with the local port of the debugger's forward. */
export const DAP_PORT_PROPERTY = 'kubeWorkbenchDapPort';

export interface DapAttachRequest {
  target: ExecTarget;
  /** The workload or pod debugged: an earlier session with the same key is replaced. */
  key: string;
  name: string;
  runtime: 'python' | 'go';
  /** The debugger's port in the container. */
  port: number;
  roots?: SourceRoots | undefined;
  /** What else a launch configuration says (`justMyCode`, `showLog`…), passed on to the debugger. */
  passThrough?: Record<string, unknown>;
  /** The workload whose new pod to attach to when this one goes away (a rollout); undefined for a lone pod. */
  workload?: (WorkloadRef & { namespace: string }) | undefined;
}

/** What a session needs to attach again to the workload's next pod, by the session's attachment id. */
const reattachable = new Map<number, { ctx: Ctx; conn: ClusterConnection; request: DapAttachRequest }>();

/** Takes what is needed to re-attach the session with this attachment id (once). */
export function takeReattach(id: number): { ctx: Ctx; conn: ClusterConnection; request: DapAttachRequest } | undefined {
  const found = reattachable.get(id);
  reattachable.delete(id);
  return found;
}

export interface DapAttachResult {
  namespace: string;
  pod: string;
  container: string;
  runtime: 'python' | 'go';
  /** The local port on 127.0.0.1 of the forward to the debugger. */
  port: number;
  /** The debugger's port in the container. */
  debuggerPort: number;
  name: string;
}

/**
 * Whether something holds a connection open on the local port: through a
 * port-forward, a connection to a port nothing listens on in the pod is
 * closed at once, so one that stays open `holdMs` reaches the debugger.
 */
function holdsConnection(port: number, holdMs: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    let timer: ReturnType<typeof setTimeout> | undefined;
    const done = (open: boolean) => {
      clearTimeout(timer);
      socket.destroy();
      resolve(open);
    };
    socket.once('connect', () => (timer = setTimeout(() => done(true), holdMs)));
    socket.once('close', () => done(false));
    socket.once('error', () => done(false));
  });
}

/** Polls until the debugger in the container accepts connections, or `ms` have passed. */
async function debuggerAnswers(port: number, ms: number): Promise<boolean> {
  const end = Date.now() + ms;
  for (;;) {
    if (await holdsConnection(port, 700)) return true;
    if (Date.now() >= end) return false;
    await new Promise((r) => setTimeout(r, 300));
  }
}

/** The attach configuration the debugger reads: sources mapped as debugpy or Delve want them. */
export function dapAttachConfiguration(
  request: DapAttachRequest,
  localPort: number,
  id: number,
): vscode.DebugConfiguration {
  const config: vscode.DebugConfiguration = {
    ...request.passThrough,
    type: DAP_DEBUG_TYPE,
    request: 'attach',
    name: request.name,
    runtime: request.runtime,
    [DAP_PORT_PROPERTY]: localPort,
    [ATTACHMENT_PROPERTY]: id,
    // Where the session runs, for the user (and tests): the debuggers ignore it.
    kubeWorkbenchTarget: `${request.target.namespace}/${request.target.pod}/${request.target.container}`,
  };
  const roots = request.roots;
  if (request.runtime === 'python') {
    if (roots && config.pathMappings === undefined) config.pathMappings = [roots];
    config.justMyCode ??= true;
  } else {
    config.mode = 'remote';
    if (roots && config.substitutePath === undefined)
      config.substitutePath = [{ from: roots.localRoot, to: roots.remoteRoot }];
  }
  return config;
}

/**
 * Opens the forward to the debugger (replacing an earlier session of the same
 * key), waits until the debugger accepts connections, and returns the attach
 * configuration that uses it; the forward stops when that session ends.
 */
export async function prepareDapAttach(
  ctx: Ctx,
  conn: ClusterConnection,
  request: DapAttachRequest,
  waitMs = 30_000,
): Promise<{ config: vscode.DebugConfiguration; result: DapAttachResult; id: number }> {
  await ctx.debugAttachments.replace(request.key);
  const { target } = request;
  const label = `${target.namespace}/${target.pod} (${target.container}) ${request.runtime === 'python' ? 'debugpy' : 'Delve'}`;
  let probing = true;
  const listener = await PortForwardListener.listen(conn, {
    target: () => Promise.resolve({ namespace: target.namespace, pod: target.pod, port: request.port }),
    onError: (error) => {
      if (!probing) ctx.log(`debug port-forward ${label}: ${error.message}`);
    },
  });
  if (!(await debuggerAnswers(listener.localPort, waitMs))) {
    await listener.close();
    throw new Error(
      `nothing answers on port ${request.port} in ${target.pod} (${target.container}) after ${waitMs / 1000} s: ` +
        (request.runtime === 'python'
          ? 'is debugpy installed in the image (python3 -m debugpy)?'
          : 'is Delve (dlv) on the image’s PATH?'),
    );
  }
  probing = false;
  const forward = ctx.forwards.add({ label: `${label} :${request.port}`, listener });
  const id = ctx.debugAttachments.add(request.key, forward);
  if (request.workload) reattachable.set(id, { ctx, conn, request });
  ctx.log(`debugger: ${label} :${request.port} on 127.0.0.1:${listener.localPort}`);
  const result: DapAttachResult = {
    namespace: target.namespace,
    pod: target.pod,
    container: target.container,
    runtime: request.runtime,
    port: listener.localPort,
    debuggerPort: request.port,
    name: request.name,
  };
  return { config: dapAttachConfiguration(request, listener.localPort, id), result, id };
}

/** Opens the forward and starts the DAP attach session on it (bounded). */
export async function attachDap(
  ctx: Ctx,
  conn: ClusterConnection,
  request: DapAttachRequest,
): Promise<DapAttachResult> {
  const { config, result, id } = await prepareDapAttach(ctx, conn, request);
  await ctx.debugAttachments.startDebugging(id, config);
  return result;
}

/** The `kube-workbench-dap` adapter: the debugger itself, over the forward's local port (see dap-socket-adapter.ts). */
export function registerDapAdapter(onLost: (config: vscode.DebugConfiguration) => void): vscode.Disposable {
  return vscode.debug.registerDebugAdapterDescriptorFactory(DAP_DEBUG_TYPE, {
    createDebugAdapterDescriptor(session) {
      const port = Number(session.configuration[DAP_PORT_PROPERTY]);
      if (!Number.isInteger(port) || port < 1 || port > 65535)
        throw new Error(
          'a kube-workbench-dap session is started by Kube Workbench ("Debug", or a kube-workbench launch configuration)',
        );
      return new vscode.DebugAdapterInlineImplementation(
        new DapSocketAdapter(port, () => onLost(session.configuration)),
      );
    },
  });
}
