import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, kubeWorkbenchDiagnostics, waitForKubeWorkbenchDiagnostics } from '../shared/diagnostics.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';

// test/fixtures/e2e-workspace, copied into a temp folder that the workbench opens.
function workspaceFile(name: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench has the e2e workspace open');
  return vscode.Uri.joinPath(folder.uri, name);
}

/** broken-pod.yaml repeats `app:` under metadata.labels; the second one is on line 8 (index 7). */
const DUPLICATE_LINE = 7;

suite('YAML syntax errors in the editor', () => {
  let broken: vscode.Uri;
  let valid: vscode.Uri;

  suiteSetup(async () => {
    broken = workspaceFile('broken-pod.yaml');
    valid = workspaceFile('valid-deployment.yaml');
    // The valid file opens first: the language server answers in order, so once
    // the broken file's diagnostics are in, the valid file's (none) are too.
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(valid));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(broken));
  });

  test('a repeated key in a Pod is reported as duplicate-key on the repeated key', async () => {
    const [diagnostic, ...others] = await waitForKubeWorkbenchDiagnostics(broken);
    assert.ok(diagnostic);
    assert.deepEqual(others, [], 'exactly one problem in broken-pod.yaml');
    assert.equal(codeOf(diagnostic), 'duplicate-key');
    assert.equal(diagnostic.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(diagnostic.range.start.line, DUPLICATE_LINE);
    assert.equal(diagnostic.range.start.character, 4);
    const document = await vscode.workspace.openTextDocument(broken);
    assert.equal(document.getText(diagnostic.range), 'app', 'the range covers the repeated key `app`');
    assert.match(diagnostic.message, /the same key appears twice/);
  });

  test('a valid Deployment gets no Kube Workbench diagnostics', async () => {
    await waitForKubeWorkbenchDiagnostics(broken);
    assert.deepEqual(kubeWorkbenchDiagnostics(valid), []);
  });

  test('deleting the repeated key clears the error and restoring it brings the error back', async () => {
    const editor = await vscode.window.showTextDocument(broken);
    const line = editor.document.lineAt(DUPLICATE_LINE);
    assert.equal(line.text.trim(), 'app: api');
    assert.ok(await editor.edit((edit) => edit.delete(line.rangeIncludingLineBreak)));
    await waitFor(
      () => kubeWorkbenchDiagnostics(broken),
      (found) => found.length === 0,
      'the duplicate-key error to go once the repeated key is deleted',
    );
    assert.ok(await editor.edit((edit) => edit.insert(new vscode.Position(DUPLICATE_LINE, 0), `${line.text}\n`)));
    const [again] = await waitForKubeWorkbenchDiagnostics(broken);
    assert.ok(again);
    assert.equal(codeOf(again), 'duplicate-key');
    assert.equal(again.range.start.line, DUPLICATE_LINE);
    assert.ok(await editor.document.save(), 'the restored file saves');
  });

  // Leave the workbench as a user would look at it: the broken file in the
  // editor and its problem in the Problems panel, for the end-of-suite screenshot.
  suiteTeardown(async () => {
    await vscode.window.showTextDocument(broken, { preview: false });
    // Toasts left by earlier suites would cover the panel.
    await vscode.commands.executeCommand('notifications.clearAll');
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await waitForKubeWorkbenchDiagnostics(broken);
    await screenshot('e2e-problems-panel');
  });
});
