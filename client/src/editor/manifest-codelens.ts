import * as vscode from 'vscode';
import { isToolConfig } from '../../../server/kube-model/kinds.js';
import { isDebugKind } from '../debug/debug-target.js';
import { parseManifests } from '../run/manifest-documents.js';

/**
 * "Run | Delete | Diff" above every Kubernetes object of a YAML file, with
 * "Debug" after Run for a workload or Pod (beside the language server's own lenses);
 * on a kustomization file, "Run | Diff | Delete | Show Rendered Output" of the whole kustomization.
 */
export class ManifestCodeLens implements vscode.CodeLensProvider {
  provideCodeLenses(document: vscode.TextDocument): vscode.CodeLens[] {
    if (document.getText().length > 2_000_000) return [];
    if (KUSTOMIZATION_FILE.test(document.uri.path)) return kustomizationLenses(document);
    const lenses: vscode.CodeLens[] = [];
    const seen = new Set<number>();
    for (const d of parseManifests(document.getText()).documents) {
      if (seen.has(d.index)) continue; // one set per document, even for a List
      seen.add(d.index);
      // Another tool's configuration (a skaffold.yaml's `skaffold/v4 Config`) is never applied.
      if (typeof d.object.apiVersion === 'string' && isToolConfig(d.object.apiVersion)) continue;
      const range = new vscode.Range(document.positionAt(d.start), document.positionAt(d.start));
      const args = [document.uri, d.index];
      lenses.push(
        new vscode.CodeLens(range, { title: '$(play) Run', command: 'kubeWorkbench.runDocument', arguments: args }),
      );
      if (isDebugKind(d.object.kind))
        lenses.push(
          new vscode.CodeLens(range, {
            title: '$(debug-alt) Debug',
            tooltip: 'Run this document, wait until it is ready and attach the debugger (Node.js, Python or Go)',
            command: 'kubeWorkbench.runAndDebug',
            arguments: args,
          }),
        );
      const kind = d.object.kind;
      if (kind === 'Deployment' || kind === 'StatefulSet') {
        const metadata = (d.object.metadata ?? {}) as { name?: unknown; namespace?: unknown };
        if (typeof metadata.name === 'string')
          lenses.push(
            new vscode.CodeLens(range, {
              title: '$(graph-line) Chart',
              tooltip: 'Replicas, CPU, memory and requests of this workload in the cluster, live',
              command: 'kubeWorkbench.showWorkloadChart',
              arguments: [
                {
                  kind,
                  name: metadata.name,
                  namespace: typeof metadata.namespace === 'string' ? metadata.namespace : 'default',
                },
              ],
            }),
          );
      }
      lenses.push(
        new vscode.CodeLens(range, { title: 'Delete', command: 'kubeWorkbench.deleteFile', arguments: args }),
        new vscode.CodeLens(range, { title: 'Diff', command: 'kubeWorkbench.diffFile', arguments: args }),
      );
    }
    return lenses;
  }
}

const KUSTOMIZATION_FILE = /(?:^|\/)(?:kustomization\.ya?ml|Kustomization)$/;

/** A kustomization is run as a whole (rendered first), never as the Kustomization object it looks like. */
function kustomizationLenses(document: vscode.TextDocument): vscode.CodeLens[] {
  const range = new vscode.Range(0, 0, 0, 0);
  const args = [document.uri];
  return [
    new vscode.CodeLens(range, {
      title: '$(play) Run',
      tooltip: 'Render this kustomization and apply the result',
      command: 'kubeWorkbench.runKustomization',
      arguments: args,
    }),
    new vscode.CodeLens(range, { title: 'Diff', command: 'kubeWorkbench.diffKustomization', arguments: args }),
    new vscode.CodeLens(range, { title: 'Delete', command: 'kubeWorkbench.deleteKustomization', arguments: args }),
    new vscode.CodeLens(range, {
      title: 'Show Rendered Output',
      command: 'kubeWorkbench.showKustomizeOutput',
      arguments: args,
    }),
  ];
}

export function registerManifestCodeLens(): vscode.Disposable {
  return vscode.languages.registerCodeLensProvider(
    [
      { language: 'yaml', scheme: 'file' },
      { language: 'yaml', scheme: 'untitled' },
    ],
    new ManifestCodeLens(),
  );
}
