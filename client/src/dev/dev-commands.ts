/**
 * "Run in Dev Mode" and "Stop Dev Mode": the commands (palette, CodeLens,
 * explorer context) and the CodeLens on a skaffold.yaml and on manifests whose
 * workloads run an image the nearest skaffold.yaml builds.
 */
import * as vscode from 'vscode';
import type { CommandTable } from '../command.js';
import type { Ctx } from '../ctx.js';
import { parseManifests } from '../run/manifest-documents.js';
import { findSkaffoldFor, readSkaffoldFile, skaffoldIn } from './dev-project.js';
import { DevMode, type DevModeOptions } from './dev-mode.js';
import { imagesUsed } from './image-rewrite.js';

const modes = new WeakMap<Ctx, DevMode>();

/** Creates the extension's dev mode and its CodeLens; the commands below reach it through `ctx`. */
export function registerDevMode(ctx: Ctx, options: DevModeOptions): vscode.Disposable {
  const mode = new DevMode(options);
  modes.set(ctx, mode);
  const lens = vscode.languages.registerCodeLensProvider([{ language: 'yaml', scheme: 'file' }], new DevCodeLens(mode));
  return vscode.Disposable.from(lens, mode);
}

function fileOf(arg: unknown): string | undefined {
  if (arg instanceof vscode.Uri) return arg.scheme === 'file' ? arg.fsPath : undefined;
  if (typeof arg === 'string' && arg !== '') return arg;
  const doc = vscode.window.activeTextEditor?.document;
  return doc?.uri.scheme === 'file' && doc.languageId === 'yaml' ? doc.uri.fsPath : undefined;
}

export const devCommands: CommandTable = {
  /** Starts dev mode for a skaffold.yaml or a manifest (the active file, else the workspace's skaffold.yaml). */
  'kubeWorkbench.runDevMode': (ctx) => async (arg?: unknown) => {
    const mode = modes.get(ctx);
    if (!mode) return { ok: false, error: 'dev mode is not available' };
    let file = fileOf(arg);
    if (file === undefined) {
      const folder = vscode.workspace.workspaceFolders?.[0];
      file = folder ? await skaffoldIn(folder.uri.fsPath) : undefined;
    }
    if (file === undefined) {
      void vscode.window.showWarningMessage('Kube Workbench: open a skaffold.yaml or a manifest to run in dev mode.');
      return { ok: false, error: 'no skaffold.yaml or manifest' };
    }
    const result = await mode.start(file);
    return { ...result, lines: [...mode.lines] };
  },
  /** What the status bar shows and the lines so far (tests). */
  'kubeWorkbench.readDevMode': (ctx) => () => {
    const mode = modes.get(ctx);
    return { running: mode?.running, status: mode?.status.text ?? '', lines: [...(mode?.lines ?? [])] };
  },
  'kubeWorkbench.stopDevMode': (ctx) => async () => {
    const mode = modes.get(ctx);
    await mode?.stop();
    return { lines: [...(mode?.lines ?? [])] };
  },
};

/** "Run in Dev Mode" / "Stop Dev Mode" above a skaffold.yaml, and above the first workload of a manifest it builds. */
class DevCodeLens implements vscode.CodeLensProvider {
  readonly onDidChangeCodeLenses: vscode.Event<void>;

  constructor(private readonly mode: DevMode) {
    this.onDidChangeCodeLenses = mode.onDidChange;
  }

  async provideCodeLenses(document: vscode.TextDocument): Promise<vscode.CodeLens[]> {
    const text = document.getText();
    if (text.length > 2_000_000) return [];
    const file = document.uri.fsPath;
    let line = 0;
    if (!/(^|[\\/])skaffold\.ya?ml$/.test(file)) {
      const folder = vscode.workspace.getWorkspaceFolder(document.uri);
      const skaffold = folder ? await findSkaffoldFor(file, folder.uri.fsPath) : undefined;
      if (!skaffold) return [];
      const config = await readSkaffoldFile(skaffold).catch(() => undefined);
      const names = config?.artifacts.map((a) => a.image) ?? [];
      const documents = parseManifests(text).documents;
      const first = documents.find((d) => imagesUsed([d.object], names).length > 0);
      if (!first) return [];
      line = document.positionAt(first.start).line;
    }
    const range = new vscode.Range(line, 0, line, 0);
    const running = this.mode.running === file;
    return [
      new vscode.CodeLens(
        range,
        running
          ? { title: '$(debug-stop) Stop Dev Mode', command: 'kubeWorkbench.stopDevMode' }
          : {
              title: '$(sync) Run in Dev Mode',
              tooltip: 'Build and run, then sync saved files into the pods and rebuild on other changes',
              command: 'kubeWorkbench.runDevMode',
              arguments: [document.uri],
            },
      ),
    ];
  }
}
