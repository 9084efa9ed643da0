import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, kubeWorkbenchDiagnostics } from '../shared/diagnostics.js';
import { waitFor } from '../shared/wait-for.js';

function workspaceFile(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench has the e2e workspace open');
  return vscode.Uri.joinPath(folder.uri, path);
}

/** [code, severity, 1-based line, underlined text, message pattern] for each class of problem in errors/each-class.yaml. */
const EXPECTED: [string, vscode.DiagnosticSeverity, number, string, RegExp][] = [
  [
    'unknown-field',
    vscode.DiagnosticSeverity.Error,
    7,
    'contaners',
    /^unknown field `contaners` in Pod\.spec; did you mean `containers`\?$/,
  ],
  [
    'missing-required',
    vscode.DiagnosticSeverity.Error,
    6,
    'spec',
    /^missing required field `containers` in Pod\.spec$/,
  ],
  [
    'wrong-type',
    vscode.DiagnosticSeverity.Error,
    16,
    'three',
    /^Deployment\.spec\.replicas must be an integer, not the string "three"$/,
  ],
  ['invalid-enum', vscode.DiagnosticSeverity.Error, 32, 'Nodeport', /did you mean `NodePort`\?\)$/],
  [
    'missing-required',
    vscode.DiagnosticSeverity.Error,
    42,
    'protocol',
    /^missing required field `port` in Service\.spec\.ports\[0\]$/,
  ],
  [
    'removed-api',
    vscode.DiagnosticSeverity.Error,
    44,
    'extensions/v1beta1',
    /removed in Kubernetes 1\.16; use `apiVersion: apps\/v1`$/,
  ],
  [
    'invalid-name',
    vscode.DiagnosticSeverity.Error,
    52,
    'Bad_Name',
    /^metadata\.name: Invalid value: "Bad_Name": a lowercase RFC 1123 subdomain must consist/,
  ],
  [
    'selector-mismatch',
    vscode.DiagnosticSeverity.Error,
    63,
    'labels',
    /^spec\.template\.metadata\.labels: Invalid value: \{"app":"other"\}: `selector` does not match template `labels`$/,
  ],
  ['invalid-quantity', vscode.DiagnosticSeverity.Error, 69, '128MB', /^`128MB` is not a valid quantity/],
  ['image-tag', vscode.DiagnosticSeverity.Warning, 67, 'nginx', /has no tag/],
];

suite('Kubernetes validation in the editor', () => {
  test('each class of problem is shown with its code, severity, exact range and message', async () => {
    const uri = workspaceFile('errors/each-class.yaml');
    const document = await vscode.workspace.openTextDocument(uri);
    await vscode.window.showTextDocument(document);
    const found = await waitFor(
      () => kubeWorkbenchDiagnostics(uri),
      (d) => d.length >= EXPECTED.length,
      `${EXPECTED.length} diagnostics for errors/each-class.yaml`,
    );
    for (const [code, severity, line, text, message] of EXPECTED) {
      const match = found.find((d) => codeOf(d) === code && d.range.start.line === line - 1);
      assert.ok(
        match,
        `${code} on line ${line}; got ${found.map((d) => `${codeOf(d)}@${d.range.start.line + 1}`).join(', ')}`,
      );
      assert.equal(match.severity, severity, `${code} severity`);
      assert.equal(document.getText(match.range), text, `${code} underlines \`${text}\``);
      assert.match(match.message, message);
      assert.equal(match.source, 'kube-workbench');
    }
  });

  test('a file that is not a Kubernetes manifest gets no diagnostics', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'name: ci\non: [push]\njobs:\n  build: {}\n  build: {}\n',
    });
    await vscode.window.showTextDocument(document);
    // Let a Kubernetes document in the same window be diagnosed first, so the server has had its turn.
    const probe = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec: {contaners: []}\n',
    });
    await waitFor(
      () => kubeWorkbenchDiagnostics(probe.uri),
      (d) => d.length > 0,
      'the probe document to be diagnosed',
    );
    assert.deepEqual(kubeWorkbenchDiagnostics(document.uri), []);
  });
});
