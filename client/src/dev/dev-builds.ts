/**
 * Run's build step in the editor (installed as `Ctx.prepareRun`): when a
 * manifest names an image that the workspace knows how to build (the nearest
 * skaffold.yaml above it, or the `kubeWorkbench.images` setting), the image
 * is built first through `kube-workbench build`. Its output streams to the
 * "Kube Workbench Build" channel and its steps to the Run notification; a
 * failed build puts its error in the Problems panel on the Dockerfile line
 * (skaffold.yaml faults on theirs) and nothing is applied.
 */
import * as vscode from 'vscode';
import type { BuildEvent } from '../../orchestrator/protocol/build-events.js';
import type { ManifestObject } from '../run/manifest-documents.js';
import type { RunPreparation } from '../run/run-preparer.js';
import { buildAndRewrite } from './build-and-rewrite.js';
import { findSkaffoldFor, readSkaffoldFile } from './dev-project.js';
import { mergeImagesSetting } from './images-setting.js';
import type { ConfigMessage, DevConfig } from './skaffold-config.js';

export interface DevBuildsOptions {
  /** `scripts/kube-workbench.js` of the extension. */
  cliScript: string;
  dockerSocket: () => string;
  log: (message: string) => void;
}

const SOURCE = 'kube-workbench build';

export class DevBuilds implements vscode.Disposable {
  readonly channel = vscode.window.createOutputChannel('Kube Workbench Build');
  readonly diagnostics = vscode.languages.createDiagnosticCollection('kube-workbench-build');

  constructor(private readonly options: DevBuildsOptions) {}

  dispose(): void {
    this.channel.dispose();
    this.diagnostics.dispose();
  }

  /** The workspace's build configuration for a manifest: its skaffold.yaml and the setting. */
  async configFor(uri: vscode.Uri): Promise<DevConfig> {
    const folder = vscode.workspace.getWorkspaceFolder(uri);
    const empty: DevConfig = { artifacts: [], manifests: [], warnings: [], errors: [] };
    if (uri.scheme !== 'file' || !folder) return empty;
    const skaffold = await findSkaffoldFor(uri.fsPath, folder.uri.fsPath);
    const config = skaffold ? await readSkaffoldFile(skaffold) : empty;
    const setting = vscode.workspace.getConfiguration('kubeWorkbench', folder).get<unknown>('images');
    return mergeImagesSetting(config, setting, folder.uri.fsPath);
  }

  private showConfigMessages(config: DevConfig): void {
    const byFile = new Map<string, vscode.Diagnostic[]>();
    const add = (m: ConfigMessage, severity: vscode.DiagnosticSeverity) => {
      if (m.file === '')
        return this.channel.appendLine(
          `${severity === vscode.DiagnosticSeverity.Error ? 'error' : 'warning'}: ${m.message}`,
        );
      const line = Math.max(0, m.line - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, Math.max(0, m.column - 1), line, 1000),
        m.message,
        severity,
      );
      d.source = SOURCE;
      byFile.set(m.file, [...(byFile.get(m.file) ?? []), d]);
    };
    for (const e of config.errors) add(e, vscode.DiagnosticSeverity.Error);
    for (const w of config.warnings) add(w, vscode.DiagnosticSeverity.Warning);
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  private onEvent(event: BuildEvent, report: (message: string) => void): void {
    switch (event.type) {
      case 'start':
        this.channel.appendLine(`building ${event.tag}`);
        report(`building ${event.image}`);
        break;
      case 'cached':
        this.channel.appendLine(`${event.tag} is up to date (context unchanged, not rebuilt)`);
        break;
      case 'step':
        this.channel.appendLine(`step ${event.step}/${event.total}: ${event.instruction}`);
        report(`building ${event.image}: step ${event.step}/${event.total}`);
        break;
      case 'output':
        this.channel.appendLine(`  ${event.text}`);
        break;
      case 'warning':
        this.channel.appendLine(`warning: ${event.message}`);
        break;
      case 'error':
        this.channel.appendLine(
          `error: ${event.dockerfile ? `${event.dockerfile}${event.line ? `:${event.line}` : ''}: ` : ''}${event.message}`,
        );
        break;
      case 'built':
        this.channel.appendLine(`built ${event.tag} in ${event.seconds} s`);
        break;
      case 'cache-hit':
      case 'result':
        break;
    }
  }

  /** The RunPreparer: builds what the objects need, or says why nothing may be applied. */
  async prepare(
    objects: readonly ManifestObject[],
    sources: readonly { uri: vscode.Uri }[],
    report: (message: string) => void,
    signal: AbortSignal,
  ): Promise<RunPreparation> {
    const first = sources[0]?.uri;
    if (!first) return { objects: [...objects] };
    const config = await this.configFor(first);
    this.diagnostics.clear();
    this.showConfigMessages(config);
    if (config.errors.length > 0) {
      const e = config.errors[0]!;
      return { objects: [], error: `${vscode.workspace.asRelativePath(e.file)}:${e.line}: ${e.message}` };
    }
    if (config.artifacts.length === 0) return { objects: [...objects] };
    const cwd = vscode.workspace.getWorkspaceFolder(first)?.uri.fsPath;
    const socket = this.options.dockerSocket();
    const prepared = await buildAndRewrite(objects, config.artifacts, {
      cliScript: this.options.cliScript,
      ...(socket !== '' ? { dockerSocket: socket } : {}),
      ...(cwd !== undefined ? { cwd } : {}),
      signal,
      onEvent: (event) => this.onEvent(event, report),
    });
    if (prepared.build)
      this.options.log(`build: ${prepared.build.ok ? 'ok' : 'failed'} ${JSON.stringify(prepared.build.images)}`);
    for (const r of prepared.rewrites)
      this.channel.appendLine(`${r.kind} ${r.name}: container ${r.container} runs ${r.to}`);
    if (prepared.error === undefined) return { objects: prepared.objects };
    for (const e of prepared.build?.errors ?? []) {
      if (e.dockerfile === undefined) continue;
      const line = Math.max(0, (e.line ?? 1) - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, 0, line, 1000),
        e.message,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = SOURCE;
      this.diagnostics.set(vscode.Uri.file(e.dockerfile), [d]);
    }
    this.channel.show(true);
    return { objects: [], error: prepared.error };
  }
}
