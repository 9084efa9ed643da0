import { PassThrough } from 'node:stream';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { errorText } from '../kube/cluster-error.js';
import type { KubeObject } from '../kube/kube-object.js';
import { documentAt, parseManifests } from '../run/manifest-documents.js';
import { describeRef, refOf, type ObjectRef } from '../kube/object-ref.js';
import type { TreeNode } from './tree-model.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';

function refArg(arg: unknown): ObjectRef | undefined {
  const node = arg as Partial<TreeNode> | undefined;
  return node?.ref;
}

async function guard<T>(what: string, run: () => Promise<T>): Promise<T | undefined> {
  try {
    return await run();
  } catch (error) {
    void vscode.window.showErrorMessage(`Kube Workbench: ${what}: ${errorText(error)}`);
    return undefined;
  }
}

function readable(o: KubeObject): KubeObject {
  const copy = structuredClone(o);
  if (copy.metadata) delete copy.metadata.managedFields;
  return copy;
}

async function eventsFor(ctx: Ctx, namespace: string, name?: string): Promise<string> {
  const conn = await ctx.clusters.connection();
  const { items } = await conn.reader.list('v1', 'Event', { namespace });
  const rows = items
    .filter((e) => !name || (e.involvedObject as { name?: string } | undefined)?.name?.startsWith(name))
    .map((e) => {
      const text = (v: unknown) => (typeof v === 'string' ? v : '');
      const inv = e.involvedObject as { kind?: string; name?: string } | undefined;
      return `${text(e.lastTimestamp) || text(e.eventTime)}  ${text(e.type)}  ${text(e.reason)}  ${inv?.kind ?? ''}/${inv?.name ?? ''}: ${text(e.message)}`;
    });
  return rows.length > 0 ? rows.sort().join('\n') : '(no events)';
}

export const resourceCommands: CommandTable = {
  'kubeWorkbench.showYaml': (ctx) => (arg?: unknown) =>
    guard('show YAML', async () => {
      const ref = refArg(arg);
      if (!ref) return;
      const object = await (await ctx.clusters.connection()).reader.get(ref);
      if (!object) throw new Error(`${describeRef(ref)} is gone`);
      await ctx.documents.open(
        ctx.documents.uri(`/${ref.namespace ?? '_'}/${ref.kind}/${ref.name}.yaml`),
        stringify(readable(object)),
      );
    }),
  'kubeWorkbench.describe': (ctx) => (arg?: unknown) =>
    guard('describe', async () => {
      const ref = refArg(arg);
      if (!ref) return;
      const object = await (await ctx.clusters.connection()).reader.get(ref);
      if (!object) throw new Error(`${describeRef(ref)} is gone`);
      const events = ref.namespace ? await eventsFor(ctx, ref.namespace, ref.name) : '';
      const text = `# ${describeRef(ref)}\n${stringify({ metadata: readable(object).metadata, spec: object.spec, status: object.status })}\n# Events\n${events.replace(/^/gm, '# ')}\n`;
      await ctx.documents.open(
        ctx.documents.uri(`/describe/${ref.namespace ?? '_'}/${ref.kind}/${ref.name}.yaml`),
        text,
      );
    }),
  'kubeWorkbench.showEvents': (ctx) => (arg?: unknown) =>
    guard('events', async () => {
      const a = arg as { namespace?: string; name?: string; ref?: ObjectRef } | undefined;
      const namespace = a?.ref?.namespace ?? a?.namespace ?? 'default';
      const name = a?.ref?.name ?? a?.name;
      await ctx.documents.open(
        ctx.documents.uri(`/events/${namespace}/${name ?? 'all'}.log`),
        await eventsFor(ctx, namespace, name),
        'log',
      );
    }),
  'kubeWorkbench.showLogs': (ctx) => (arg?: unknown) =>
    guard('logs', async () => {
      const a = arg as Partial<TreeNode> & { namespace?: string; pod?: string; workload?: string };
      const conn = await ctx.clusters.connection();
      let namespace = a.ref?.namespace ?? a.namespace ?? conn.defaultNamespace;
      let pod = a.ref?.kind === 'Pod' ? a.ref.name : a.pod;
      if (!pod) {
        const prefix = a.ref?.name ?? a.workload ?? '';
        const pods = (await conn.reader.list('v1', 'Pod', { namespace })).items.filter((p) =>
          (p.metadata?.name ?? '').startsWith(prefix),
        );
        const pick =
          pods.length === 1
            ? pods[0]?.metadata?.name
            : await vscode.window.showQuickPick(
                pods.map((p) => p.metadata?.name ?? ''),
                { title: 'Logs of which pod?' },
              );
        if (!pick) return;
        pod = pick;
      }
      const object = await conn.reader.get({ apiVersion: 'v1', kind: 'Pod', namespace, name: pod });
      namespace = object?.metadata?.namespace ?? namespace;
      const containers = ((object?.spec as { containers?: { name: string }[] } | undefined)?.containers ?? []).map(
        (c) => c.name,
      );
      const container =
        a.container ??
        (containers.length > 1
          ? await vscode.window.showQuickPick(containers, { title: 'Which container?' })
          : containers[0]);
      if (!container) return;
      const uri = ctx.documents.uri(`/logs/${namespace}/${pod}/${container}.log`);
      ctx.documents.set(uri, '');
      const stream = new PassThrough();
      stream.on('data', (chunk: Buffer) => ctx.documents.append(uri, chunk.toString('utf8')));
      const abort = await conn.pods.logs(namespace, pod, container, stream, { follow: true, tailLines: 500 });
      const closed = vscode.workspace.onDidCloseTextDocument((d) => {
        if (d.uri.toString() === uri.toString()) {
          abort.abort();
          closed.dispose();
        }
      });
      ctx.push(closed);
      await ctx.documents.open(uri, '', 'log');
    }),
  /** Scales a workload from the tree: asks for the count, or takes it as the second argument. */
  'kubeWorkbench.scale': (ctx) => (arg?: unknown, replicas?: unknown) =>
    guard('scale', async () => {
      const ref = refArg(arg);
      if (!ref) return;
      let value = typeof replicas === 'number' ? String(replicas) : undefined;
      if (value === undefined) {
        const live = await (await ctx.clusters.connection()).reader.get(ref);
        const current = (live?.spec as { replicas?: number } | undefined)?.replicas;
        value = await vscode.window.showInputBox({
          title: `Scale ${describeRef(ref)}`,
          value: current === undefined ? '' : String(current),
          validateInput: (v) => (/^\d+$/.test(v) ? undefined : 'a whole number'),
        });
      }
      if (value === undefined) return;
      await (
        await ctx.clusters.connection()
      ).writer.patch(ref, { spec: { replicas: Number(value) } }, 'merge', 'scale');
      ctx.log(`scaled ${describeRef(ref)} to ${value}`);
    }),
  'kubeWorkbench.restartRollout': (ctx) => (arg?: unknown) =>
    guard('restart', async () => {
      const ref = refArg(arg);
      if (!ref) return;
      const patch = {
        spec: {
          template: { metadata: { annotations: { 'kubectl.kubernetes.io/restartedAt': new Date().toISOString() } } },
        },
      };
      await (await ctx.clusters.connection()).writer.patch(ref, patch, 'strategic');
    }),
  /** Rolls a Deployment back to a revision picked from a list, or given as the second argument. */
  'kubeWorkbench.rollback': (ctx) => (arg?: unknown, toRevision?: unknown) =>
    guard('roll back', async () => {
      const ref = refArg(arg);
      if (!ref || ref.kind !== 'Deployment') return;
      const conn = await ctx.clusters.connection();
      const dep = await conn.reader.get(ref);
      const uid = dep?.metadata?.uid;
      const sets = (
        await conn.reader.list('apps/v1', 'ReplicaSet', { namespace: ref.namespace ?? conn.defaultNamespace })
      ).items.filter((rs) =>
        ((rs.metadata?.ownerReferences as { uid?: string }[] | undefined) ?? []).some((o) => o.uid === uid),
      );
      const revision = (rs: KubeObject) =>
        Number(
          (rs.metadata?.annotations as Record<string, string> | undefined)?.['deployment.kubernetes.io/revision'] ?? 0,
        );
      const images = (rs: KubeObject) =>
        ((rs.spec as { template?: { spec?: { containers?: { image?: string }[] } } }).template?.spec?.containers ?? [])
          .map((c) => c.image)
          .join(', ');
      const current = Math.max(0, ...sets.map(revision));
      const items = sets
        .filter((rs) => revision(rs) !== current)
        .sort((a, b) => revision(b) - revision(a))
        .map((rs) => ({ label: `revision ${revision(rs)}`, description: images(rs), rs }));
      if (items.length === 0)
        return void vscode.window.showInformationMessage(
          `Kube Workbench: ${describeRef(ref)} has no earlier revision.`,
        );
      const pick =
        typeof toRevision === 'number'
          ? items.find((i) => revision(i.rs) === toRevision)
          : await vscode.window.showQuickPick(items, {
              title: `Roll back ${describeRef(ref)} (now revision ${current}) to`,
            });
      if (!pick) {
        if (typeof toRevision === 'number')
          throw new Error(`${describeRef(ref)} has no revision ${toRevision} to roll back to`);
        return;
      }
      // As `kubectl rollout undo`: the Deployment's template becomes the ReplicaSet's, without its pod-template-hash label.
      const template = structuredClone(
        (pick.rs.spec as { template: { metadata?: { labels?: Record<string, string> } } }).template,
      );
      delete template.metadata?.labels?.['pod-template-hash'];
      await conn.writer.patch(ref, [{ op: 'replace', path: '/spec/template', value: template }], 'json');
      void vscode.window.showInformationMessage(`Kube Workbench: ${describeRef(ref)} rolled back to ${pick.label}.`);
    }),
  'kubeWorkbench.deleteResource': (ctx) => (arg?: unknown) =>
    guard('delete', async () => {
      const ref = refArg(arg);
      if (!ref) return;
      const ok = await vscode.window.showWarningMessage(
        `Delete ${describeRef(ref)} from ${ctx.clusters.label}?`,
        { modal: true },
        'Delete',
      );
      if (ok === 'Delete') await (await ctx.clusters.connection()).writer.delete(ref);
    }),
  'kubeWorkbench.openManifest': () => (arg?: unknown) =>
    guard('open manifest', async () => {
      const ref = refArg(arg);
      if (!ref) return;
      for (const file of await vscode.workspace.findFiles('**/*.{yaml,yml}', '**/node_modules/**', 2000)) {
        const text = new TextDecoder().decode(await vscode.workspace.fs.readFile(file));
        if (!text.includes(ref.name)) continue;
        const hit = parseManifests(text).documents.find((d) => {
          const r = refOf(d.object);
          return (
            r.kind === ref.kind &&
            r.name === ref.name &&
            (!r.namespace || !ref.namespace || r.namespace === ref.namespace)
          );
        });
        if (!hit) continue;
        const doc = await vscode.workspace.openTextDocument(file);
        const pos = doc.positionAt(hit.start);
        await vscode.window.showTextDocument(doc, { selection: new vscode.Range(pos, pos) });
        return;
      }
      void vscode.window.showInformationMessage(
        `Kube Workbench: no manifest in the workspace defines ${describeRef(ref)}.`,
      );
    }),
  'kubeWorkbench.revealInExplorer': (ctx) => (uri?: unknown, index?: unknown) =>
    guard('reveal', async () => {
      const editor = vscode.window.activeTextEditor;
      if (!editor || !ctx.explorer) return;
      const docs = parseManifests(editor.document.getText()).documents;
      const doc =
        typeof index === 'number'
          ? docs.find((d) => d.index === index)
          : documentAt(docs, editor.document.offsetAt(editor.selection.active));
      if (!doc || uri === null) return;
      await ctx.clusters.connection();
      const ref = refOf(doc.object);
      const node = ctx.explorer.explorer.find(ref.kind, ref.name, ref.namespace ?? 'default');
      if (!node)
        return void vscode.window.showInformationMessage(
          `Kube Workbench: ${describeRef(ref)} is not in ${ctx.clusters.label}.`,
        );
      // A workload opens down to its pods (Deployment → ReplicaSets → Pods).
      const expand = ref.kind === 'Deployment' ? 2 : true;
      await ctx.explorer.view.reveal(node, { select: true, focus: true, expand });
    }),
  'kubeWorkbench.refreshExplorer': (ctx) => () => ctx.explorer?.explorer.refresh(),
};
