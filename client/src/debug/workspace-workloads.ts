import * as vscode from 'vscode';
import { debugConfigurationFor, debuggableWorkloads, workloadKey } from './debug-target.js';
import { parseManifests } from '../run/manifest-documents.js';

const MAX_FILES = 500;
const MAX_BYTES = 1_000_000;

/** A launch configuration that attaches to a workload when no manifest in the workspace defines one. */
export const TEMPLATE_CONFIGURATION: vscode.DebugConfiguration = {
  type: 'kube-workbench',
  request: 'attach',
  name: 'Kube Workbench: attach to deployment/web',
  workload: 'deployment/web',
  localRoot: '${workspaceFolder}',
  remoteRoot: '/app',
};

/**
 * One `kube-workbench` attach configuration for each Deployment, StatefulSet,
 * DaemonSet, ReplicaSet or Pod the folder's manifests define (read when asked,
 * never at activation), or the template when there is none.
 */
export async function workspaceDebugConfigurations(
  folder: vscode.WorkspaceFolder | undefined,
  token?: vscode.CancellationToken,
): Promise<vscode.DebugConfiguration[]> {
  const base = folder ?? vscode.workspace.workspaceFolders?.[0];
  if (!base) return [TEMPLATE_CONFIGURATION];
  const files = await vscode.workspace.findFiles(
    new vscode.RelativePattern(base, '**/*.{yaml,yml}'),
    '**/node_modules/**',
    MAX_FILES,
    token,
  );
  const seen = new Set<string>();
  const configs: vscode.DebugConfiguration[] = [];
  for (const file of files.sort((a, b) => a.fsPath.localeCompare(b.fsPath))) {
    if (token?.isCancellationRequested) break;
    let bytes: Uint8Array;
    try {
      bytes = await vscode.workspace.fs.readFile(file);
    } catch {
      continue;
    }
    if (bytes.byteLength > MAX_BYTES) continue;
    const objects = parseManifests(Buffer.from(bytes).toString('utf8')).documents.map((d) => d.object);
    for (const ref of debuggableWorkloads(objects)) {
      const key = workloadKey(ref, '');
      if (seen.has(key)) continue;
      seen.add(key);
      const object = objects.find((o) => o.kind === ref.kind && o.metadata.name === ref.name) ?? {};
      configs.push(debugConfigurationFor(ref, object) as vscode.DebugConfiguration);
    }
  }
  return configs.length > 0 ? configs : [TEMPLATE_CONFIGURATION];
}
