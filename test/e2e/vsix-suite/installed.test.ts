import * as assert from 'node:assert/strict';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { codeOf, waitForKubeWorkbenchDiagnostics } from '../shared/diagnostics.js';
import { waitFor } from '../shared/wait-for.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';

function env(name: string): string {
  const value = process.env[name];
  assert.ok(value, `${name} is set by the e2e launcher`);
  return value;
}

suite('the packaged extension, installed from its .vsix', () => {
  test('is installed in the extensions folder, not loaded from the checkout', () => {
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    assert.ok(
      extension.extensionPath.startsWith(env('KW_E2E_EXTENSIONS_DIR')),
      `${extension.extensionPath} is inside the extensions folder`,
    );
    assert.ok(!extension.extensionPath.startsWith(env('KW_E2E_REPO_ROOT')), 'not the development copy');
  });

  test('activates when a manifest is opened and diagnoses it with its bundled server and schemas', async () => {
    const broken = vscode.Uri.file(join(env('KW_E2E_MANIFESTS'), 'broken-pod.yaml'));
    await vscode.window.showTextDocument(await vscode.workspace.openTextDocument(broken));
    const extension = vscode.extensions.getExtension(EXTENSION_ID);
    await waitFor(
      () => extension?.isActive ?? false,
      (active) => active,
      `${EXTENSION_ID} to activate`,
    );
    const diagnostics = await waitForKubeWorkbenchDiagnostics(broken);
    assert.deepEqual(diagnostics.map(codeOf), ['duplicate-key']);
  });

  test('validates against the bundled schemas: an unknown field is reported', async () => {
    const document = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: 'apiVersion: v1\nkind: Pod\nmetadata:\n  name: a\nspec:\n  contaners: []\n',
    });
    await vscode.window.showTextDocument(document);
    const [diagnostic] = await waitForKubeWorkbenchDiagnostics(document.uri);
    assert.ok(diagnostic);
    assert.equal(codeOf(diagnostic), 'unknown-field');
    assert.equal(diagnostic.message, 'unknown field `contaners` in Pod.spec; did you mean `containers`?');
  });
});
