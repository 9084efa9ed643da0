import * as vscode from 'vscode';
import { DIAGNOSTIC_SOURCE } from '../../../server/src/protocol/diagnostic-codes.js';
import { applyObjects, type ApplyResult } from './apply-engine.js';
import { applyReportLines, applySummary } from './apply-report.js';
import { errorText } from '../kube/cluster-error.js';
import type { ClusterConnection } from '../kube/cluster-connection.js';
import { parseManifests, type ManifestObject } from './manifest-documents.js';
import { readConfig } from '../config.js';
import type { Ctx } from '../ctx.js';

/** What `kubeWorkbench.applyFile` returns (other checks rely on this shape). */
export interface ApplyFileResult {
  applied: { kind: string; namespace?: string; name: string; action: string }[];
  ready: boolean;
  error?: string;
}

export function toUri(arg: unknown): vscode.Uri | undefined {
  if (arg instanceof vscode.Uri) return arg;
  if (typeof arg === 'string' && arg !== '')
    return arg.includes('://') || arg.startsWith('untitled:') ? vscode.Uri.parse(arg) : vscode.Uri.file(arg);
  return vscode.window.activeTextEditor?.document.uri;
}

/** Waits (up to 5 s) for the language server's first diagnostics of a document it had not seen. */
async function diagnosticsSettled(uri: vscode.Uri, wasOpen: boolean): Promise<void> {
  if (wasOpen) return; // the language server may still be starting: wait for its answer either way
  await new Promise<void>((resolve) => {
    const timer = setTimeout(() => done(), 5_000);
    const sub = vscode.languages.onDidChangeDiagnostics((e) => {
      if (e.uris.some((u) => u.toString() === uri.toString())) done();
    });
    function done() {
      clearTimeout(timer);
      sub.dispose();
      resolve();
    }
  });
}

/** Error diagnostics of our language server in a document, as readable lines. */
export function blockingErrors(uri: vscode.Uri, range?: vscode.Range): string[] {
  return vscode.languages
    .getDiagnostics(uri)
    .filter((d) => d.source === DIAGNOSTIC_SOURCE && d.severity === vscode.DiagnosticSeverity.Error)
    .filter((d) => !range || range.intersection(d.range) !== undefined)
    .map((d) => `${vscode.workspace.asRelativePath(uri)}:${d.range.start.line + 1}: ${d.message}`);
}

export interface Source {
  uri: vscode.Uri;
  text: string;
  range?: vscode.Range;
}

export async function loadSource(uri: vscode.Uri): Promise<Source> {
  const wasOpen = vscode.workspace.textDocuments.some((d) => d.uri.toString() === uri.toString());
  const doc = await vscode.workspace.openTextDocument(uri);
  await diagnosticsSettled(uri, wasOpen);
  return { uri, text: doc.getText() };
}

export interface RunOptions {
  quiet?: boolean;
  /** Another cluster than the active one (a launch configuration's `cluster`), with its name for the report. */
  cluster?: { conn: ClusterConnection; label: string };
}

/** Checks diagnostics, parses, applies with progress, reports; the result in the applyFile shape. */
export async function runSources(
  ctx: Ctx,
  sources: readonly Source[],
  title: string,
  options: RunOptions = {},
): Promise<ApplyFileResult> {
  const label = options.cluster?.label ?? ctx.clusters.label;
  const errors = sources.flatMap((s) => blockingErrors(s.uri, s.range));
  if (errors.length > 0) {
    const error = `${errors.length} error(s) in the manifest; nothing was applied:\n${errors.join('\n')}`;
    ctx.log(error);
    if (!options.quiet)
      void vscode.window
        .showErrorMessage(
          `Kube Workbench: ${errors.length} error(s) in the manifest; nothing was applied.`,
          'Show Problems',
        )
        .then((pick) => {
          if (pick) void vscode.commands.executeCommand('workbench.actions.view.problems');
        });
    return { applied: [], ready: false, error };
  }
  const objects: ManifestObject[] = [];
  const problems: string[] = [];
  for (const s of sources) {
    const parsed = parseManifests(s.text);
    objects.push(...parsed.documents.map((d) => d.object));
    problems.push(...parsed.problems.map((p) => `${vscode.workspace.asRelativePath(s.uri)}: ${p}`));
  }
  if (problems.length > 0 || objects.length === 0) {
    const error = problems.length > 0 ? problems.join('\n') : 'no Kubernetes objects to apply';
    if (!options.quiet) void vscode.window.showErrorMessage(`Kube Workbench: ${error}`);
    return { applied: [], ready: false, error };
  }
  const result = await vscode.window.withProgress(
    { location: vscode.ProgressLocation.Notification, title: `Kube Workbench: ${title}`, cancellable: true },
    async (progress, token) => {
      const abort = new AbortController();
      token.onCancellationRequested(() => abort.abort());
      try {
        let toApply: readonly ManifestObject[] = objects;
        if (ctx.prepareRun) {
          const prepared = await ctx.prepareRun(
            objects,
            sources,
            (message) => progress.report({ message }),
            abort.signal,
          );
          if (prepared.error !== undefined)
            return { applied: [], ready: false, error: prepared.error, rollouts: [] } satisfies ApplyResult;
          toApply = prepared.objects;
        }
        const conn = options.cluster?.conn ?? (await ctx.clusters.connection());
        progress.report({ message: `on ${label}` });
        return await applyObjects(conn, toApply, {
          timeoutMs: readConfig().rolloutTimeoutSeconds * 1000,
          onProgress: (message) => progress.report({ message }),
          signal: abort.signal,
        });
      } catch (error) {
        return { applied: [], ready: false, error: errorText(error), rollouts: [] } satisfies ApplyResult;
      }
    },
  );
  ctx.log(`${title} on ${label}:\n  ${applyReportLines(result).join('\n  ')}`);
  if (!options.quiet) void showResult(result);
  const out: ApplyFileResult = { applied: result.applied, ready: result.ready };
  if (result.error !== undefined) out.error = result.error;
  return out;
}

async function showResult(result: ApplyResult): Promise<void> {
  const summary = `Kube Workbench: ${applySummary(result)}`;
  const failed = result.rollouts.find((r) => r.state.phase === 'failed');
  if (!result.error) {
    if ((await vscode.window.showInformationMessage(summary, 'Show Details')) === 'Show Details')
      void vscode.commands.executeCommand('kubeWorkbench.showOutput');
    return;
  }
  const buttons = failed ? ['Open Logs', 'Open Events', 'Show Details'] : ['Show Details'];
  const pick = await vscode.window.showErrorMessage(summary, ...buttons);
  const pod = failed?.state.phase === 'failed' ? failed.state.pod : undefined;
  if (pick === 'Open Logs' && failed)
    void vscode.commands.executeCommand(
      'kubeWorkbench.showLogs',
      pod ? { namespace: failed.namespace, pod } : { namespace: failed.namespace, workload: failed.name },
    );
  else if (pick === 'Open Events' && failed)
    void vscode.commands.executeCommand('kubeWorkbench.showEvents', {
      namespace: failed.namespace,
      name: pod ?? failed.name,
    });
  else if (pick === 'Show Details') void vscode.commands.executeCommand('kubeWorkbench.showOutput');
}
