import * as vscode from 'vscode';
import { errorText } from '../kube/cluster-error.js';
import {
  debuggableWorkloads,
  formatWorkloadRef,
  parseWorkloadRef,
  workloadKey,
  type WorkloadRef,
} from './debug-target.js';
import { parseManifests, type ManifestObject } from '../run/manifest-documents.js';
import type { Ctx } from '../ctx.js';
import { debugWorkload, type DebugAttachResult } from './workload-debug.js';
import { sourceWithObject } from './manifest-replace.js';
import { loadSource, runSources, toUri, type ApplyFileResult, type Source } from '../run/run-manifests.js';

/** What `kubeWorkbench.runAndDebug` returns: the apply result, and where the debugger attached. */
export interface RunAndDebugResult extends ApplyFileResult {
  debug?: DebugAttachResult;
}

/** One document of a file, by its index among the file's documents (as the CodeLens names it). */
async function documentSource(source: Source, index: number): Promise<Source | undefined> {
  const doc = parseManifests(source.text).documents.find((d) => d.index === index);
  if (!doc) return undefined;
  const text = await vscode.workspace.openTextDocument(source.uri);
  const range = new vscode.Range(text.positionAt(doc.start), text.positionAt(doc.end));
  return { uri: source.uri, text: source.text.slice(doc.start, doc.end), range };
}

/** The workload to debug: the one named, the only one, or the one the user picks. */
async function pickWorkload(workloads: WorkloadRef[], which: unknown): Promise<WorkloadRef | string | undefined> {
  if (typeof which === 'string') {
    const wanted = parseWorkloadRef(which);
    const found = wanted && workloads.find((w) => w.kind === wanted.kind && w.name === wanted.name);
    return found ?? `the file defines no ${which} (it defines ${workloads.map(formatWorkloadRef).join(', ')})`;
  }
  if (workloads.length === 1) return workloads[0];
  const pick = await vscode.window.showQuickPick(
    workloads.map((w) => ({ label: formatWorkloadRef(w), description: w.namespace ?? '', ref: w })),
    { title: 'Run and debug which workload?' },
  );
  return pick?.ref;
}

function fail(ctx: Ctx, result: RunAndDebugResult, error: string): RunAndDebugResult {
  ctx.log(`run and debug: ${error}`);
  void vscode.window.showErrorMessage(`Kube Workbench: run and debug: ${error}`);
  return { ...result, error };
}

/**
 * "Run and Debug": applies a file (or one document of it: `which` is then its
 * index) as Run does, waits for it, and attaches the JavaScript debugger to a
 * pod of the workload (`which` may name it, like `deployment/web`; with several
 * and no name, the user picks). A session from an earlier run of the same
 * workload is stopped first, so its forward goes before the rollout.
 */
export async function runAndDebug(ctx: Ctx, arg: unknown, which: unknown): Promise<RunAndDebugResult> {
  const empty: RunAndDebugResult = { applied: [], ready: false };
  const uri = toUri(arg);
  if (!uri) return fail(ctx, empty, 'no file given and no active editor');
  const file = await loadSource(uri);
  const source = typeof which === 'number' ? await documentSource(file, which) : file;
  if (!source) return fail(ctx, empty, `the file has no document ${String(which)}`);
  const parsed = parseManifests(source.text);
  const workloads = debuggableWorkloads(parsed.documents.map((d) => d.object));
  if (workloads.length === 0)
    return fail(
      ctx,
      empty,
      'nothing to debug: no Deployment, StatefulSet, DaemonSet, ReplicaSet or Pod in the manifest',
    );
  const picked = await pickWorkload(workloads, typeof which === 'number' ? undefined : which);
  if (picked === undefined) return { ...empty, error: 'cancelled' };
  if (typeof picked === 'string') return fail(ctx, empty, picked);
  const conn = await ctx.clusters.connection();
  const ref: WorkloadRef & { namespace: string } = { ...picked, namespace: picked.namespace ?? conn.defaultNamespace };
  const key = workloadKey(ref, conn.defaultNamespace);
  await ctx.debugAttachments.replace(key);

  const name = formatWorkloadRef(ref);
  const spec = parsed.documents.find((d) => d.object.kind === ref.kind && d.object.metadata.name === ref.name);
  let run: RunAndDebugResult = { ...empty, error: 'not applied' };
  const apply = async (object?: ManifestObject): Promise<string | undefined> => {
    const withObject = object ? sourceWithObject(source, object) : source;
    if (typeof withObject === 'string') return withObject;
    run = await runSources(ctx, [withObject], `running ${vscode.workspace.asRelativePath(uri)} to debug ${name}`);
    if (run.error !== undefined) return run.error;
    return run.ready ? undefined : `${name} is not ready`;
  };
  try {
    const debug = await vscode.window.withProgress(
      { location: vscode.ProgressLocation.Notification, title: `Kube Workbench: debugging ${name}` },
      (progress) =>
        debugWorkload(ctx, conn, {
          ref,
          key,
          name: `Kube Workbench: ${name}`,
          object: spec?.object,
          manifestUri: uri,
          apply,
          progress: (message) => progress.report({ message }),
        }),
    );
    ctx.log(
      `run and debug: ${name} (${debug.runtime}) attached to ${debug.pod} (${debug.container}) on 127.0.0.1:${debug.port}`,
    );
    return { ...run, debug };
  } catch (error) {
    if (run.error !== undefined && run.error !== 'not applied') return run;
    return fail(ctx, run.error === 'not applied' ? empty : run, `attach to ${name}: ${errorText(error)}`);
  }
}
