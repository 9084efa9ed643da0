import * as vscode from 'vscode';
import { errorText } from '../cluster/cluster-error.js';
import {
  DEFAULT_INSPECTOR_PORT,
  inspectorPort,
  inspectorVersion,
  startInspector,
  startInspectorRelay,
  type ContainerSpec,
} from '../cluster/node-inspector.js';
import { PortForwardListener } from '../cluster/port-forward-listener.js';
import type { Ctx } from '../ctx.js';
import { podTarget } from './shell-commands.js';

type Command = (ctx: Ctx) => (...args: unknown[]) => unknown;

/** The port the in-container relay listens on when the inspector is reachable on loopback only. */
const RELAY_PORT = 39229;

async function answers(localPort: number, attempts: number): Promise<boolean> {
  for (let i = 0; i < attempts; i++) {
    if (await inspectorVersion(localPort)) return true;
    await new Promise((r) => setTimeout(r, 500));
  }
  return false;
}

/**
 * Attaches VS Code's JavaScript debugger to Node.js in a container: the port
 * of `--inspect` in the spec, or SIGUSR1 to start the inspector; a local
 * port-forward to it (through a relay in the container when the cluster's
 * port-forward does not reach the container's loopback); then an `attach`
 * debug session. The forward stops with the session.
 */
async function attachDebugger(ctx: Ctx, arg: unknown): Promise<{ port: number; name: string } | undefined> {
  const target = await podTarget(ctx, arg, 'Attach to which container?');
  if (!target) return undefined;
  const conn = await ctx.clusters.connection();
  const pod = await conn.get({ apiVersion: 'v1', kind: 'Pod', namespace: target.namespace, name: target.pod });
  const spec = ((pod?.spec as { containers?: ContainerSpec[] } | undefined)?.containers ?? []).find(
    (c) => c.name === target.container,
  );
  if (!spec) throw new Error(`container ${target.container} of pod ${target.pod} is gone`);
  let port = inspectorPort(spec);
  if (port === undefined) {
    await startInspector(conn, target);
    port = DEFAULT_INSPECTOR_PORT;
  }
  const label = `${target.namespace}/${target.pod}:${port} (inspector)`;
  let remote = port;
  const listener = await PortForwardListener.listen(conn, {
    target: () => Promise.resolve({ namespace: target.namespace, pod: target.pod, port: remote }),
    onError: (error) => ctx.log(`debug port-forward ${label}: ${error.message}`),
  });
  let relay: { close(): void } | undefined;
  try {
    if (!(await answers(listener.localPort, 6))) {
      relay = await startInspectorRelay(conn, target, RELAY_PORT, port);
      remote = RELAY_PORT;
      if (!(await answers(listener.localPort, 6)))
        throw new Error(`no Node.js inspector answers on port ${port} in ${target.pod} (${target.container})`);
    }
  } catch (error) {
    relay?.close();
    await listener.close();
    throw error;
  }
  const forward = ctx.forwards.add({ label, listener, ...(relay ? { extra: relay } : {}) });
  const name = `Kube Workbench: ${target.pod}`;
  const folder = vscode.workspace.workspaceFolders?.[0];
  const config: vscode.DebugConfiguration = {
    type: 'node',
    request: 'attach',
    name,
    address: '127.0.0.1',
    port: listener.localPort,
    localRoot: folder?.uri.fsPath ?? '${workspaceFolder}',
    remoteRoot: spec.workingDir ?? '/app',
    kubeWorkbenchForward: listener.localPort,
  };
  const ended = vscode.debug.onDidTerminateDebugSession((session) => {
    if (session.configuration.kubeWorkbenchForward !== listener.localPort) return;
    ended.dispose();
    void ctx.forwards.stop(forward);
  });
  ctx.push(ended);
  ctx.log(`debugger: ${label} on 127.0.0.1:${listener.localPort}${relay ? ` (relay on ${RELAY_PORT})` : ''}`);
  if (!(await vscode.debug.startDebugging(folder, config))) {
    ended.dispose();
    await ctx.forwards.stop(forward);
    throw new Error('VS Code did not start the debug session');
  }
  return { port: listener.localPort, name };
}

export const debugCommands: Record<string, Command> = {
  'kubeWorkbench.attachDebugger': (ctx) => async (arg?: unknown) => {
    try {
      return await attachDebugger(ctx, arg);
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: attach debugger: ${errorText(error)}`);
      return undefined;
    }
  },
};
