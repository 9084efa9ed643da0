import * as path from 'node:path';
import * as vscode from 'vscode';
import { stringify } from 'yaml';
import { findKustomizationFile, nodeFsHost, renderKustomization } from '../../../server/kube-model/kustomize/index.js';
import type { KustomizeHost, KustomizeResult } from '../../../server/kube-model/kustomize/index.js';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';
import { deleteSource, diffSource } from './manifest-commands.js';
import { blockingErrors, runSources, toUri } from './run-manifests.js';
import type { ApplyFileResult, Source } from './run-manifests.js';

/** The disk, with the text of open (possibly unsaved) editors over it. */
function editorHost(): KustomizeHost {
  const disk = nodeFsHost();
  return {
    readFile(file) {
      const open = vscode.workspace.textDocuments.find((d) => d.uri.scheme === 'file' && d.uri.fsPath === file);
      return open ? open.getText() : disk.readFile(file);
    },
    isDirectory: (dir) => disk.isDirectory(dir),
  };
}

/** A kustomization rendered in the extension, as one source of YAML documents (named by its file). */
interface Rendered {
  file: vscode.Uri;
  dir: string;
  result: KustomizeResult;
  source: Source;
}

/** The kustomization a command names: a kustomization file, its folder, or the active editor's. */
function renderTarget(arg: unknown): Rendered | string {
  const uri = toUri(arg);
  if (!uri || uri.scheme !== 'file') return 'open a kustomization file (or pick its folder) first';
  const host = editorHost();
  const dir = host.isDirectory(uri.fsPath) ? uri.fsPath : path.dirname(uri.fsPath);
  const found = findKustomizationFile(dir, host);
  if ('error' in found) return found.message;
  const result = renderKustomization(dir, host);
  const text = result.resources.map((r) => stringify(r.object)).join('---\n');
  const file = vscode.Uri.file(found.file);
  return { file, dir, result, source: { uri: file, text } };
}

/** Errors that stop a run: the renderer's, and our language server's in every file the kustomization uses. */
function renderErrors(rendered: Rendered): string[] {
  const errors = rendered.result.diagnostics
    .filter((d) => d.severity === 'error')
    .map((d) => `${vscode.workspace.asRelativePath(d.file)}: ${d.message}`);
  const files = new Set([rendered.file.fsPath, ...rendered.result.files.map((f) => f.file)]);
  // A shared base's error that only another overlay renders ("(in overlay staging)") does not stop this one.
  const overlay = path.basename(rendered.dir);
  const elsewhere = (line: string): boolean => {
    const only = /\(in overlay ([^)]*)\)$/.exec(line)?.[1];
    return only !== undefined && !only.split(', ').includes(overlay);
  };
  for (const file of files) errors.push(...blockingErrors(vscode.Uri.file(file)).filter((e) => !elsewhere(e)));
  return [...new Set(errors)];
}

function withRendered<T>(ctx: Ctx, arg: unknown, run: (rendered: Rendered) => Promise<T>): Promise<T | undefined> {
  const rendered = renderTarget(arg);
  if (typeof rendered === 'string') {
    void vscode.window.showWarningMessage(`Kube Workbench: ${rendered}`);
    return Promise.resolve(undefined);
  }
  ctx.log(
    `rendered ${vscode.workspace.asRelativePath(rendered.file)}: ${rendered.result.resources.length} object(s), ${rendered.result.diagnostics.length} diagnostic(s)`,
  );
  return run(rendered);
}

/**
 * Run, Diff, Delete and "Show Rendered Output" on a kustomization (the
 * CodeLens on its file, the explorer's menu on its folder): rendered here
 * through kube-model (no kustomize binary), then the same apply engine,
 * diff and delete as a manifest file.
 */
export const kustomizeCommands: CommandTable = {
  /** Stable interface: render, apply and wait as `kubeWorkbench.applyFile` does; returns its result shape. */
  'kubeWorkbench.runKustomization':
    (ctx) =>
    (arg?: unknown): Promise<ApplyFileResult | undefined> =>
      withRendered(ctx, arg, async (rendered) => {
        const errors = renderErrors(rendered);
        const title = `running ${vscode.workspace.asRelativePath(rendered.dir)} (kustomize)`;
        if (errors.length > 0) {
          const error = `${errors.length} error(s) in the kustomization; nothing was applied:\n${errors.join('\n')}`;
          ctx.log(error);
          void vscode.window
            .showErrorMessage(
              `Kube Workbench: ${errors.length} error(s) in the kustomization; nothing was applied.`,
              'Show Problems',
            )
            .then((pick) => {
              if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
            });
          return { applied: [], ready: false, error };
        }
        // The run checks diagnostics of its source's file again: the kustomization's, already clean.
        return runSources(ctx, [rendered.source], title);
      }),
  'kubeWorkbench.diffKustomization': (ctx) => (arg?: unknown) =>
    withRendered(ctx, arg, (rendered) => diffSource(ctx, rendered.source)),
  'kubeWorkbench.deleteKustomization': (ctx) => (arg?: unknown) =>
    withRendered(ctx, arg, (rendered) => deleteSource(ctx, rendered.source)),
  'kubeWorkbench.showKustomizeOutput': (ctx) => (arg?: unknown) =>
    withRendered(ctx, arg, async (rendered) => {
      const uri = ctx.documents.uri(`/kustomize/${vscode.workspace.asRelativePath(rendered.dir)}/rendered.yaml`);
      const notes = rendered.result.diagnostics.map(
        (d) => `# ${d.severity}: ${vscode.workspace.asRelativePath(d.file)}: ${d.message.replace(/\n/g, ' ')}\n`,
      );
      ctx.documents.set(uri, notes.join('') + rendered.source.text);
      const doc = await vscode.workspace.openTextDocument(uri);
      await vscode.languages.setTextDocumentLanguage(doc, 'yaml');
      await vscode.window.showTextDocument(doc, { preview: false });
      return uri.toString();
    }),
};
