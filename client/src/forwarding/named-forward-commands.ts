/**
 * The commands of named port-forwards: add one from the tree (a Pod, Service or workload) or the
 * Port Forwards view, with a name and a local port of the user's choosing; stop, start, remove and
 * open one. Each forward is saved in the workspace state and restored when the window reloads.
 */
import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';
import type { TreeNode } from '../explorer/tree-model.js';
import { isLocalPortFree } from './free-port.js';
import { WORKLOAD_KINDS, type TargetKind, type TargetRef } from './forward-target.js';
import { stateText, type LastingForward } from './lasting-forward.js';
import { servicePorts } from './service-forward-target.js';

const KINDS: readonly TargetKind[] = ['Pod', 'Service', ...(Object.keys(WORKLOAD_KINDS) as TargetKind[])];

/** What "Add Port Forward" returns (tests read it). */
export interface NamedForwardResult {
  name: string;
  url: string;
  state: string;
}

interface AddOptions {
  name?: string;
  remotePort?: number;
  localPort?: number;
}

/** `deployment/web` or `ns/deployment/web`, as typed. */
function parseTarget(text: string, defaultNamespace: string): Omit<TargetRef, 'port'> | undefined {
  const parts = text.trim().split('/');
  if (parts.length < 2 || parts.length > 3) return undefined;
  const [namespace, kindText, name] = parts.length === 3 ? parts : [defaultNamespace, ...parts];
  const kind = KINDS.find((k) => k.toLowerCase() === kindText?.toLowerCase());
  return kind && name ? { kind, namespace: namespace ?? defaultNamespace, name } : undefined;
}

/** The ports the target's pods declare (a Service's own ports for a Service). */
function declaredPorts(object: KubeObject): number[] {
  if (object.kind === 'Service') return servicePorts(object).map((p) => p.port);
  type Containers = { containers?: { ports?: { containerPort: number }[] }[] };
  const spec = object.spec as (Containers & { template?: { spec?: Containers } }) | undefined;
  const containers = (object.kind === 'Pod' ? spec : spec?.template?.spec)?.containers ?? [];
  return containers.flatMap((c) => (c.ports ?? []).map((p) => p.containerPort));
}

async function askPort(title: string, prompt: string, value: string): Promise<number | undefined> {
  const typed = await vscode.window.showInputBox({
    title,
    prompt,
    value,
    validateInput: (v) => (/^\d+$/.test(v) && Number(v) >= 1 && Number(v) <= 65535 ? undefined : 'a port, 1 to 65535'),
  });
  return typed === undefined ? undefined : Number(typed);
}

async function addForward(ctx: Ctx, arg: unknown, options: AddOptions): Promise<NamedForwardResult | undefined> {
  const conn = await ctx.clusters.connection();
  const node = arg as Partial<TreeNode> | undefined;
  let target: Omit<TargetRef, 'port'> | undefined;
  const ref = node?.ref;
  if (ref && KINDS.includes(ref.kind as TargetKind))
    target = { kind: ref.kind as TargetKind, namespace: ref.namespace ?? conn.defaultNamespace, name: ref.name };
  else if (typeof arg === 'string') target = parseTarget(arg, conn.defaultNamespace);
  else {
    const typed = await vscode.window.showInputBox({
      title: 'Add Port Forward',
      prompt:
        'Forward to: pod/NAME, service/NAME, deployment/NAME, statefulset/NAME, daemonset/NAME (NAMESPACE/… for another namespace)',
      validateInput: (v) => (parseTarget(v, conn.defaultNamespace) ? undefined : 'KIND/NAME, e.g. deployment/web'),
    });
    if (typed === undefined) return undefined;
    target = parseTarget(typed, conn.defaultNamespace);
  }
  if (!target) throw new Error(`cannot forward to ${String(arg)}: name a pod, service or workload (KIND/NAME)`);
  const title = `Port Forward: ${target.kind.toLowerCase()}/${target.name}`;
  let remotePort = options.remotePort;
  if (remotePort === undefined) {
    const apiVersion = target.kind === 'Pod' || target.kind === 'Service' ? 'v1' : WORKLOAD_KINDS[target.kind];
    const object = await conn.reader.get({
      apiVersion,
      kind: target.kind,
      namespace: target.namespace,
      name: target.name,
    });
    const ports = object ? declaredPorts(object) : [];
    remotePort = await askPort(title, 'Remote port', String(ports[0] ?? ''));
  }
  if (remotePort === undefined) return undefined;
  let localPort = options.localPort;
  if (localPort === undefined) {
    const suggested =
      remotePort >= 1024 && (await isLocalPortFree(remotePort)) ? remotePort : 8000 + (remotePort % 1000);
    localPort = await askPort(title, 'Local port on 127.0.0.1 (kept across reloads)', String(suggested));
  }
  if (localPort === undefined) return undefined;
  const name =
    options.name ??
    (await vscode.window.showInputBox({
      title,
      prompt: 'A name for this forward',
      value: `${target.name}:${remotePort}`,
    }));
  if (name === undefined) return undefined;
  const forward = await ctx.namedForwards.add({ name, localPort, target: { ...target, port: remotePort } });
  const text = stateText(forward.state);
  const message = `Kube Workbench: port-forward "${name}" on ${forward.url}: ${text}`;
  const shown =
    forward.state.state === 'waiting'
      ? vscode.window.showWarningMessage(message, 'Open in Browser')
      : vscode.window.showInformationMessage(message, 'Open in Browser');
  void shown.then(async (choice) => {
    if (choice) await vscode.env.openExternal(vscode.Uri.parse(forward.url));
  });
  return { name, url: forward.url, state: text };
}

/** The forward a command names: a view item, a name, or one the user picks. */
async function pickForward(ctx: Ctx, arg: unknown, title: string): Promise<LastingForward | undefined> {
  const all = ctx.namedForwards.list();
  if (typeof arg === 'string') return ctx.namedForwards.get(arg);
  if (arg && all.includes(arg as LastingForward)) return arg as LastingForward;
  if (all.length === 0) {
    void vscode.window.showInformationMessage('Kube Workbench: there is no named port-forward.');
    return undefined;
  }
  const pick = await vscode.window.showQuickPick(
    all.map((f) => ({ label: f.spec.name, description: `${f.url} · ${stateText(f.state)}`, forward: f })),
    { title },
  );
  return pick?.forward;
}

const guarded =
  <T>(what: string, run: (ctx: Ctx, ...args: unknown[]) => Promise<T>) =>
  (ctx: Ctx) =>
  async (...args: unknown[]): Promise<T | undefined> => {
    try {
      return await run(ctx, ...args);
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: ${what}: ${errorText(error)}`);
      return undefined;
    }
  };

export const namedForwardCommands: CommandTable = {
  /** Arguments (all optional): a tree node or `KIND/NAME`, then `{ name, remotePort, localPort }` to skip the prompts. */
  'kubeWorkbench.addNamedPortForward': guarded('port-forward', (ctx, arg, options) =>
    addForward(ctx, arg, (options ?? {}) as AddOptions),
  ),
  'kubeWorkbench.stopNamedPortForward': guarded('stop port-forward', async (ctx, arg) => {
    const f = await pickForward(ctx, arg, 'Stop which port-forward?');
    if (f) await ctx.namedForwards.stop(f.spec.name);
    return f?.spec.name;
  }),
  'kubeWorkbench.startNamedPortForward': guarded('start port-forward', async (ctx, arg) => {
    const f = await pickForward(ctx, arg, 'Start which port-forward?');
    if (f) await ctx.namedForwards.start(f.spec.name);
    return f ? stateText(f.state) : undefined;
  }),
  'kubeWorkbench.removeNamedPortForward': guarded('remove port-forward', async (ctx, arg) => {
    const f = await pickForward(ctx, arg, 'Remove which port-forward?');
    if (f) await ctx.namedForwards.remove(f.spec.name);
    return f?.spec.name;
  }),
  'kubeWorkbench.openNamedPortForward': guarded('open port-forward', async (ctx, arg) => {
    const f = await pickForward(ctx, arg, 'Open which port-forward?');
    if (f) await vscode.env.openExternal(vscode.Uri.parse(f.url));
    return f?.url;
  }),
  /** The named forwards and their states (tests read it). */
  'kubeWorkbench.listNamedPortForwards': (ctx) => () =>
    ctx.namedForwards.list().map((f) => ({ name: f.spec.name, url: f.url, state: stateText(f.state) })),
};
