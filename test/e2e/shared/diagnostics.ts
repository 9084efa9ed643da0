import * as vscode from 'vscode';
import { waitFor } from './wait-for.js';

/** The source every Kube Workbench diagnostic carries. */
export const SOURCE = 'kube-workbench';

/** Diagnostics the Problems panel shows for `uri` that come from Kube Workbench. */
export function kubeWorkbenchDiagnostics(uri: vscode.Uri): vscode.Diagnostic[] {
  return vscode.languages.getDiagnostics(uri).filter((d) => d.source === SOURCE);
}

/** Waits until Kube Workbench has reported at least one problem for `uri`. */
export function waitForKubeWorkbenchDiagnostics(uri: vscode.Uri): Promise<vscode.Diagnostic[]> {
  return waitFor(
    () => kubeWorkbenchDiagnostics(uri),
    (found) => found.length > 0,
    `a diagnostic from ${SOURCE} for ${uri.fsPath}`,
  );
}

/** A diagnostic's code as a plain string, whichever form VS Code holds it in. */
export function codeOf(diagnostic: vscode.Diagnostic): string {
  const code = diagnostic.code;
  return typeof code === 'object' ? String(code.value) : String(code);
}
