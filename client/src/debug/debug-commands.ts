import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';
import { attachNode, containerToDebug, type NodeAttachResult } from './node-attach.js';
import { runAndDebug } from './run-and-debug.js';
import { podTarget } from '../explorer/pod-target.js';

/**
 * Attaches VS Code's JavaScript debugger to Node.js in a container of a pod
 * from the tree: the port of `--inspect` in the spec, or SIGUSR1 to start the
 * inspector; a local port-forward to it; then an `attach` debug session. The
 * forward stops with the session.
 */
async function attachDebugger(ctx: Ctx, arg: unknown): Promise<NodeAttachResult | undefined> {
  const target = await podTarget(ctx, arg, 'Attach to which container?');
  if (!target) return undefined;
  const conn = await ctx.clusters.connection();
  const pod = await conn.reader.get({ apiVersion: 'v1', kind: 'Pod', namespace: target.namespace, name: target.pod });
  if (!pod) throw new Error(`pod ${target.pod} is gone`);
  const chosen = containerToDebug(pod, target.container);
  return vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Kube Workbench: attaching to ${target.pod}` },
    () =>
      attachNode(ctx, conn, {
        target: chosen.target,
        key: `${target.namespace}/Pod/${target.pod}`,
        name: `Kube Workbench: ${target.pod}`,
        port: chosen.port,
        remoteRoot: chosen.workingDir,
      }),
  );
}

export const debugCommands: CommandTable = {
  'kubeWorkbench.attachDebugger': (ctx) => async (arg?: unknown) => {
    try {
      return await attachDebugger(ctx, arg);
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: attach debugger: ${errorText(error)}`);
      return undefined;
    }
  },
  /** Stable interface: apply a file, wait, attach; returns `{ applied, ready, debug?, error? }`. */
  'kubeWorkbench.runAndDebug': (ctx) => (arg?: unknown, which?: unknown) => runAndDebug(ctx, arg, which),
};
