/**
 * "Run in Dev Mode" in the editor: one dev loop at a time (a new start stops
 * the one running), for a skaffold.yaml or a manifest (the nearest
 * skaffold.yaml above it and the `kubeWorkbench.images` setting say how to
 * build). Its events go to the status bar ("synced 2 files to 3 pods in 140 ms",
 * "rebuilt web in 3.1 s, rolling out"; a click stops dev mode) and to the
 * "Kube Workbench Dev" output channel. Stopping ends the watch; the cluster and
 * the workloads stay.
 */
import { dirname } from 'node:path';
import * as vscode from 'vscode';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { errorText } from '../kube/cluster-error.js';
import { devEventText, type DevEvent } from './dev-events.js';
import { startDevLoop, type DevLoop } from './dev-loop.js';
import { loadDevProject } from './dev-project.js';
import { mergeImagesSetting } from './skaffold-config.js';

export interface DevModeOptions {
  cliScript: string;
  connection: () => Promise<ClusterConnection>;
  dockerSocket: () => string;
  rolloutTimeoutMs: () => number;
  log: (message: string) => void;
}

/** What a start returns to its caller (tests, the command). */
export interface DevModeStart {
  ok: boolean;
  error?: string;
}

export class DevMode implements vscode.Disposable {
  private loop: DevLoop | undefined;
  private target: string | undefined;
  private readonly changed = new vscode.EventEmitter<void>();
  /** Fires when dev mode starts or stops (CodeLenses follow it). */
  readonly onDidChange = this.changed.event;
  readonly channel = vscode.window.createOutputChannel('Kube Workbench Dev');
  /** A failed rebuild's faults on their lines (the Dockerfile step), until the next build or stop. */
  readonly diagnostics = vscode.languages.createDiagnosticCollection('kube-workbench-dev');
  readonly status = vscode.window.createStatusBarItem('kubeWorkbench.devMode', vscode.StatusBarAlignment.Left, 49);
  /** The last lines shown (tests read them through the command's result). */
  readonly lines: string[] = [];

  constructor(private readonly options: DevModeOptions) {
    this.status.name = 'Kube Workbench dev mode';
    this.status.command = 'kubeWorkbench.stopDevMode';
  }

  /** The file dev mode runs, while it runs. */
  get running(): string | undefined {
    return this.target;
  }

  async start(file: string): Promise<DevModeStart> {
    await this.stop();
    const folder = vscode.workspace.getWorkspaceFolder(vscode.Uri.file(file));
    const root = folder?.uri.fsPath ?? dirname(file);
    let project;
    try {
      project = await loadDevProject([file], root);
    } catch (error) {
      return this.fail(errorText(error));
    }
    const setting = vscode.workspace.getConfiguration('kubeWorkbench', folder).get<unknown>('images');
    const config = mergeImagesSetting(project.config, setting, root);
    for (const w of config.warnings) this.show({ type: 'problem', message: `${w.file}:${w.line}: ${w.message}` });
    if (config.errors.length > 0) {
      const e = config.errors[0]!;
      return this.fail(`${vscode.workspace.asRelativePath(e.file)}:${e.line}: ${e.message}`);
    }
    if (project.manifestFiles.length === 0) return this.fail('no manifests to run');
    this.target = file;
    this.changed.fire();
    this.status.text = '$(sync~spin) Dev: starting';
    this.status.tooltip = `Kube Workbench dev mode: ${vscode.workspace.asRelativePath(file)}. Click to stop.`;
    this.status.show();
    try {
      const conn = await this.options.connection();
      const socket = this.options.dockerSocket();
      this.loop = await startDevLoop({
        conn,
        config,
        manifestFiles: project.manifestFiles,
        cliScript: this.options.cliScript,
        cwd: root,
        rolloutTimeoutMs: this.options.rolloutTimeoutMs(),
        ...(socket !== '' ? { dockerSocket: socket } : {}),
        report: (event) => this.show(event),
      });
      if (this.target !== file) {
        await this.loop.stop(); // stopped while starting
        return { ok: false, error: 'stopped' };
      }
      return this.loop.firstRunOk ? { ok: true } : { ok: false, error: 'the first run did not roll out' };
    } catch (error) {
      this.target = undefined;
      this.changed.fire();
      return this.fail(errorText(error));
    }
  }

  async stop(): Promise<void> {
    const loop = this.loop;
    this.loop = undefined;
    if (this.target === undefined && !loop) return;
    this.target = undefined;
    await loop?.stop();
    this.diagnostics.clear();
    this.status.hide();
    this.changed.fire();
  }

  dispose(): void {
    void this.stop();
    this.status.dispose();
    this.channel.dispose();
    this.diagnostics.dispose();
    this.changed.dispose();
  }

  private fail(error: string): DevModeStart {
    this.show({ type: 'problem', message: error });
    void vscode.window.showErrorMessage(`Kube Workbench: dev mode: ${error}`);
    return { ok: false, error };
  }

  /** A failed rebuild puts its faults in the Problems panel; the next build or a rollout clears them. */
  private showProblems(event: DevEvent): void {
    if (event.type === 'building' || event.type === 'rolled-out') this.diagnostics.clear();
    if (event.type !== 'deploy-failed' || event.problems === undefined) return;
    const byFile = new Map<string, vscode.Diagnostic[]>();
    for (const p of event.problems) {
      const line = Math.max(0, p.line - 1);
      const d = new vscode.Diagnostic(
        new vscode.Range(line, 0, line, 1000),
        p.message,
        vscode.DiagnosticSeverity.Error,
      );
      d.source = 'kube-workbench dev';
      byFile.set(p.file, [...(byFile.get(p.file) ?? []), d]);
    }
    for (const [file, list] of byFile) this.diagnostics.set(vscode.Uri.file(file), list);
  }

  private show(event: DevEvent): void {
    const line = devEventText(event);
    this.channel.appendLine(event.type === 'progress' ? `  ${line}` : line);
    if (event.type === 'progress') return;
    this.lines.push(line);
    if (this.lines.length > 200) this.lines.splice(0, this.lines.length - 200);
    this.options.log(`dev: ${line}`);
    this.showProblems(event);
    const icons: Partial<Record<DevEvent['type'], string>> = {
      building: '$(sync~spin)',
      built: '$(sync~spin)',
      synced: '$(check)',
      'rolled-out': '$(check)',
      'sync-failed': '$(error)',
      'deploy-failed': '$(error)',
      'no-pods': '$(warning)',
      problem: '$(warning)',
      watching: '$(eye)',
    };
    const icon = icons[event.type];
    if (icon !== undefined && this.target !== undefined) this.status.text = `${icon} Dev: ${line}`;
  }
}
