import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { waitFor } from '../shared/wait-for.js';

function workspaceFile(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench has the e2e workspace open');
  return vscode.Uri.joinPath(folder.uri, path);
}

suite('Reference-count lenses', () => {
  test('"1 reference" above the Service runs and opens the references peek', async () => {
    const uri = workspaceFile('shop/app.yaml');
    await vscode.window.showTextDocument(uri);
    const lenses = await waitFor(
      () =>
        Promise.resolve(vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', uri, 100)),
      (found) => found.some((l) => l.range.start.line === 22 && l.command?.command === 'kubeWorkbench.showReferences'),
      'a reference lens with a command above the Service in shop/app.yaml',
    );
    // The Service (line 23) is referenced by the Ingress in ingress.yaml.
    const lens = lenses.find((l) => l.range.start.line === 22 && l.command?.command === 'kubeWorkbench.showReferences');
    assert.ok(lens?.command);
    assert.equal(lens.command.title, '1 reference');
    const args: unknown[] = lens.command.arguments ?? [];
    await vscode.commands.executeCommand(lens.command.command, ...args);
    await vscode.commands.executeCommand('closeReferenceSearch');
  });

  test('the command refuses arguments that are not a lens’s', async () => {
    await assert.rejects(
      Promise.resolve(vscode.commands.executeCommand('kubeWorkbench.showReferences', 42)),
      /expected \(uri, position, locations\)/,
    );
  });
});
