import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import { isLocalPortFree } from './free-port.js';
import { PortForwardListener, type ForwardTarget } from './port-forward-listener.js';
import { serviceForwardTarget, servicePorts } from './service-forward-target.js';
import type { TreeNode } from '../explorer/tree-model.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';

interface ContainerPorts {
  name: string;
  ports?: { containerPort: number; name?: string; protocol?: string }[];
}

/** What "Port Forward…" returns: the local URL and port. */
export interface PortForwardResult {
  url: string;
  localPort: number;
  label: string;
}

interface PortChoice {
  label: string;
  description?: string;
  port?: number;
}

async function pickRemotePort(choices: PortChoice[], title: string): Promise<number | undefined> {
  const other: PortChoice = { label: 'Other port…' };
  const pick = await vscode.window.showQuickPick([...choices, other], { title });
  if (!pick) return undefined;
  if (pick.port !== undefined) return pick.port;
  const typed = await vscode.window.showInputBox({
    title,
    prompt: 'Remote port',
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'a port, 1 to 65535'),
  });
  return typed === undefined ? undefined : Number(typed);
}

async function pickLocalPort(remotePort: number): Promise<number | undefined> {
  const suggested = remotePort >= 1024 && (await isLocalPortFree(remotePort)) ? String(remotePort) : '0';
  const typed = await vscode.window.showInputBox({
    title: `Local port for ${remotePort}`,
    prompt: 'Port on 127.0.0.1; 0 picks a free one',
    value: suggested,
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) <= 65535 ? undefined : 'a port, 0 to 65535'),
  });
  return typed === undefined ? undefined : Number(typed);
}

/**
 * Forwards a local port to a pod (or a container of one) or a Service from the
 * tree. Optional arguments after the node: the remote port and the local port
 * (0 for a free one), so tests and other commands skip the prompts.
 */
async function portForward(
  ctx: Ctx,
  arg: unknown,
  remoteArg: unknown,
  localArg: unknown,
): Promise<PortForwardResult | undefined> {
  const node = arg as Partial<TreeNode> | undefined;
  const ref = node?.ref ?? (node?.parent?.ref?.kind === 'Pod' ? node.parent.ref : undefined);
  if (!ref || (ref.kind !== 'Pod' && ref.kind !== 'Service')) return undefined;
  const conn = await ctx.clusters.connection();
  const namespace = ref.namespace ?? conn.defaultNamespace;
  const object = await conn.reader.get(ref);
  if (!object) throw new Error(`${ref.kind.toLowerCase()} ${ref.name} is gone`);
  const title = `Port Forward: ${ref.kind === 'Service' ? 'service/' : ''}${ref.name}`;
  let remotePort = typeof remoteArg === 'number' ? remoteArg : undefined;
  if (remotePort === undefined) {
    const choices: PortChoice[] =
      ref.kind === 'Service'
        ? servicePorts(object).map((p) => ({
            label: String(p.port),
            description: [p.name, p.targetPort === undefined ? '' : `→ ${p.targetPort}`].filter(Boolean).join(' '),
            port: p.port,
          }))
        : ((object.spec as { containers?: ContainerPorts[] } | undefined)?.containers ?? [])
            .filter((c) => node?.container === undefined || c.name === node.container)
            .flatMap((c) =>
              (c.ports ?? []).map((p) => ({
                label: String(p.containerPort),
                description: [c.name, p.name, p.protocol === 'UDP' ? 'UDP (not forwarded)' : '']
                  .filter(Boolean)
                  .join(' · '),
                port: p.containerPort,
              })),
            );
    remotePort = await pickRemotePort(choices, title);
  }
  if (remotePort === undefined) return undefined;
  const localPort = typeof localArg === 'number' ? localArg : await pickLocalPort(remotePort);
  if (localPort === undefined) return undefined;
  const port = remotePort;
  const target =
    ref.kind === 'Service'
      ? () => serviceForwardTarget(conn, namespace, ref.name, port)
      : () => Promise.resolve<ForwardTarget>({ namespace, pod: ref.name, port });
  const label = `${namespace}/${ref.kind === 'Service' ? 'service/' : ''}${ref.name}:${port}`;
  const listener = await PortForwardListener.listen(conn, {
    target,
    localPort,
    onError: (error) => ctx.log(`port-forward ${label}: ${error.message}`),
  });
  const forward = ctx.forwards.add({ label, listener });
  ctx.log(`port-forward ${listener.url} → ${label}`);
  void vscode.window
    .showInformationMessage(`Kube Workbench: ${label} is on ${listener.url}`, 'Open in Browser', 'Stop')
    .then(async (choice) => {
      if (choice === 'Open in Browser') await vscode.env.openExternal(vscode.Uri.parse(listener.url));
      if (choice === 'Stop') await ctx.forwards.stop(forward);
    });
  return { url: listener.url, localPort: listener.localPort, label };
}

export const portForwardCommands: CommandTable = {
  'kubeWorkbench.portForward':
    (ctx) =>
    async (arg?: unknown, remotePort?: unknown, localPort?: unknown): Promise<PortForwardResult | undefined> => {
      try {
        return await portForward(ctx, arg, remotePort, localPort);
      } catch (error) {
        void vscode.window.showErrorMessage(`Kube Workbench: port-forward: ${errorText(error)}`);
        return undefined;
      }
    },
  /** Stops a forward picked from the active ones; with `all` as argument, stops every one. Returns how many stopped. */
  'kubeWorkbench.stopPortForward': (ctx) => async (arg?: unknown) => {
    const active = ctx.forwards.list();
    if (arg === 'all') {
      const n = active.length;
      await Promise.all(active.map((f) => ctx.forwards.stop(f)));
      return n;
    }
    if (active.length === 0) {
      void vscode.window.showInformationMessage('Kube Workbench: no port-forward is active.');
      return 0;
    }
    const picks = await vscode.window.showQuickPick(
      active.map((f) => ({ label: f.listener.url, description: f.label, forward: f })),
      { title: 'Stop which port-forwards?', canPickMany: true },
    );
    for (const p of picks ?? []) await ctx.forwards.stop(p.forward);
    return picks?.length ?? 0;
  },
};
