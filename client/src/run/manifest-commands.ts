import * as vscode from 'vscode';
import { deleteObjects } from './apply-engine.js';
import { deleteSummary } from './apply-report.js';
import { errorText } from '../kube/cluster-error.js';
import { documentAt, parseManifests } from './manifest-documents.js';
import { projectOnto } from './object-diff.js';
import { refOf } from '../kube/object-ref.js';
import { stringify } from 'yaml';
import type { CommandTable } from '../command.js';
import { loadSource, runSources, toUri, type Source } from './run-manifests.js';

async function fileSource(arg: unknown): Promise<Source | undefined> {
  const uri = toUri(arg);
  if (!uri) {
    void vscode.window.showWarningMessage('Kube Workbench: open a manifest first.');
    return undefined;
  }
  return loadSource(uri);
}

/** The document under the cursor (or the one a CodeLens names by index). */
function currentDocument(editor: vscode.TextEditor, index?: number): Source | undefined {
  const text = editor.document.getText();
  const docs = parseManifests(text).documents;
  const doc =
    index === undefined
      ? documentAt(docs, editor.document.offsetAt(editor.selection.active))
      : docs.find((d) => d.index === index);
  if (!doc) return undefined;
  const range = new vscode.Range(editor.document.positionAt(doc.start), editor.document.positionAt(doc.end));
  return { uri: editor.document.uri, text: text.slice(doc.start, doc.end), range };
}

async function editorFor(uri: unknown): Promise<vscode.TextEditor | undefined> {
  const target = toUri(uri);
  if (!target) return undefined;
  const active = vscode.window.activeTextEditor;
  if (active?.document.uri.toString() === target.toString()) return active;
  return vscode.window.showTextDocument(target, { preview: false });
}

export const manifestCommands: CommandTable = {
  /** Stable interface: apply a file, wait for workloads, return `{ applied, ready, error? }`. */
  'kubeWorkbench.applyFile': (ctx) => async (arg?: unknown) => {
    const uri = toUri(arg);
    if (!uri) return { applied: [], ready: false, error: 'no file given and no active editor' };
    return runSources(ctx, [await loadSource(uri)], `running ${vscode.workspace.asRelativePath(uri)}`);
  },
  'kubeWorkbench.runFile': (ctx) => async (arg?: unknown) => {
    const source = await fileSource(arg);
    return source && runSources(ctx, [source], `running ${vscode.workspace.asRelativePath(source.uri)}`);
  },
  'kubeWorkbench.runDocument': (ctx) => async (uri?: unknown, index?: unknown) => {
    const editor = await editorFor(uri);
    const source = editor && currentDocument(editor, typeof index === 'number' ? index : undefined);
    if (!source) return void vscode.window.showWarningMessage('Kube Workbench: no Kubernetes object under the cursor.');
    return runSources(ctx, [source], 'running the current document');
  },
  'kubeWorkbench.runSelection': (ctx) => async () => {
    const editor = vscode.window.activeTextEditor;
    if (!editor || editor.selection.isEmpty)
      return void vscode.window.showWarningMessage('Kube Workbench: select the manifest text to run.');
    const range = new vscode.Range(editor.selection.start, editor.selection.end);
    return runSources(
      ctx,
      [{ uri: editor.document.uri, text: editor.document.getText(range), range }],
      'running the selection',
    );
  },
  'kubeWorkbench.runFolder': (ctx) => async (arg?: unknown) => {
    const folder = toUri(arg) ?? vscode.workspace.workspaceFolders?.[0]?.uri;
    if (!folder) return undefined;
    const files = await vscode.workspace.findFiles(
      new vscode.RelativePattern(folder, '**/*.{yaml,yml}'),
      '**/node_modules/**',
    );
    // A skaffold.yaml says how to build and what to apply; it is not a manifest itself.
    const manifests = files.filter((f) => !/(^|\/)skaffold\.ya?ml$/.test(f.path));
    const sources = await Promise.all(
      manifests.sort((a, b) => a.fsPath.localeCompare(b.fsPath)).map((f) => loadSource(f)),
    );
    return runSources(ctx, sources, `running ${manifests.length} files in ${vscode.workspace.asRelativePath(folder)}`);
  },
  'kubeWorkbench.deleteFile': (ctx) => async (uri?: unknown, index?: unknown) => {
    const editor = typeof index === 'number' ? await editorFor(uri) : undefined;
    const source = editor ? currentDocument(editor, index as number) : await fileSource(uri);
    if (!source) return undefined;
    const objects = parseManifests(source.text).documents.map((d) => d.object);
    const names = objects.map((o) => `${o.kind} ${o.metadata.name ?? ''}`).join(', ');
    const ok = await vscode.window.showWarningMessage(
      `Delete ${names} from ${ctx.clusters.label}?`,
      { modal: true },
      'Delete',
    );
    if (ok !== 'Delete') return undefined;
    try {
      const result = await deleteObjects(await ctx.clusters.connection(), objects);
      const summary = deleteSummary(result);
      ctx.log(summary);
      void (result.error
        ? vscode.window.showErrorMessage(`Kube Workbench: ${summary}`)
        : vscode.window.showInformationMessage(`Kube Workbench: ${summary}`));
      return result;
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: ${errorText(error)}`);
      return undefined;
    }
  },
  'kubeWorkbench.diffFile': (ctx) => async (uri?: unknown, index?: unknown) => {
    const editor = typeof index === 'number' ? await editorFor(uri) : undefined;
    const source = editor ? currentDocument(editor, index as number) : await fileSource(uri);
    if (!source) return undefined;
    try {
      const conn = await ctx.clusters.connection();
      const docs = parseManifests(source.text).documents;
      const live: string[] = [];
      for (const d of docs) {
        const ref = refOf(d.object);
        const object = await conn.reader.get({ ...ref, namespace: ref.namespace ?? conn.defaultNamespace });
        live.push(
          object ? stringify(projectOnto(object, d.object)) : `# ${d.object.kind} ${ref.name} is not in the cluster\n`,
        );
      }
      const left = ctx.documents.uri(`/diff/${ctx.clusters.label}/${vscode.workspace.asRelativePath(source.uri)}`);
      ctx.documents.set(left, live.join('---\n'));
      // Both sides serialised the same way, so only values differ.
      const right = ctx.documents.uri(`/diff/file/${vscode.workspace.asRelativePath(source.uri)}`);
      ctx.documents.set(right, docs.map((d) => stringify(d.object)).join('---\n'));
      const title = `${vscode.workspace.asRelativePath(source.uri)}: ${ctx.clusters.label} ↔ file`;
      await vscode.commands.executeCommand('vscode.diff', left, right, title);
    } catch (error) {
      void vscode.window.showErrorMessage(`Kube Workbench: diff failed: ${errorText(error)}`);
    }
    return undefined;
  },
};
