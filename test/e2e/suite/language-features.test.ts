import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { codeOf, waitForKubeWorkbenchDiagnostics } from '../shared/diagnostics.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';

function workspaceFile(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench has the e2e workspace open');
  return vscode.Uri.joinPath(folder.uri, path);
}

async function openUntitled(content: string): Promise<vscode.TextEditor> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  return vscode.window.showTextDocument(document);
}

function itemLabel(item: vscode.CompletionItem): string {
  return typeof item.label === 'string' ? item.label : item.label.label;
}

suite('Completion, hover, quick fixes and navigation in the editor', () => {
  test('completion offers the container fields at the cursor, and enum values after a key', async () => {
    const editor = await openUntitled(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: web\nspec:\n  containers:\n    - name: web\n      \n',
    );
    const at = new vscode.Position(7, 6);
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      at,
    );
    const labels = list.items.map(itemLabel);
    for (const field of ['image', 'ports', 'env', 'readinessProbe'])
      assert.ok(labels.includes(field), `offers ${field}`);
    assert.ok(!labels.includes('name'), 'does not offer a key that is already there');

    const policy = await openUntitled('apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  restartPolicy: \n');
    const values = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      policy.document.uri,
      new vscode.Position(4, 17),
    );
    assert.deepEqual(
      values.items
        .map(itemLabel)
        .filter((l) => ['Always', 'OnFailure', 'Never'].includes(l))
        .sort(),
      ['Always', 'Never', 'OnFailure'],
    );
  });

  test('the completion list a user sees, in a screenshot', async () => {
    const editor = await openUntitled('apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  \n');
    editor.selection = new vscode.Selection(5, 2, 5, 2);
    await vscode.commands.executeCommand('editor.action.triggerSuggest');
    await new Promise((resolve) => setTimeout(resolve, 1500));
    await screenshot('e2e-completion-list');
    await vscode.commands.executeCommand('hideSuggestWidget');
    // What the list shows first: the required fields of a Deployment spec.
    const list = await vscode.commands.executeCommand<vscode.CompletionList>(
      'vscode.executeCompletionItemProvider',
      editor.document.uri,
      new vscode.Position(5, 2),
    );
    const ours = list.items.filter((i) => i.detail?.includes('(required)'));
    assert.deepEqual(ours.map(itemLabel).sort(), ['selector', 'template']);
  });

  test('hover shows the field description, type and path', async () => {
    const editor = await openUntitled(
      'apiVersion: apps/v1\nkind: Deployment\nmetadata:\n  name: web\nspec:\n  replicas: 2\n',
    );
    const hovers = await vscode.commands.executeCommand<vscode.Hover[]>(
      'vscode.executeHoverProvider',
      editor.document.uri,
      new vscode.Position(5, 4),
    );
    const text = hovers.flatMap((h) => h.contents.map((c) => (typeof c === 'string' ? c : c.value))).join('\n');
    assert.match(text, /\*\*replicas\*\*: `integer`/);
    assert.match(text, /Default: `1`/);
    assert.match(text, /`Deployment\.spec\.replicas`/);
  });

  test('a quick fix renames an unknown field and the error goes away', async () => {
    const editor = await openUntitled(
      'apiVersion: v1\nkind: Pod\nmetadata:\n  name: quick-fix\nspec:\n  contaners:\n    - name: web\n      image: nginx:1.27\n',
    );
    const [diagnostic] = await waitForKubeWorkbenchDiagnostics(editor.document.uri);
    assert.ok(diagnostic);
    assert.equal(codeOf(diagnostic), 'unknown-field');
    const actions = await vscode.commands.executeCommand<vscode.CodeAction[]>(
      'vscode.executeCodeActionProvider',
      editor.document.uri,
      diagnostic.range,
    );
    const fix = actions.find((a) => a.title === 'Change to `containers`');
    assert.ok(fix?.edit, `the fix is offered; got ${actions.map((a) => a.title).join(', ')}`);
    assert.ok(await vscode.workspace.applyEdit(fix.edit));
    assert.equal(editor.document.lineAt(5).text, '  containers:');
    await waitFor(
      () => vscode.languages.getDiagnostics(editor.document.uri).filter((d) => d.source === 'kube-workbench'),
      (d) => d.length === 0,
      'no problems after the fix',
    );
  });

  test('go to definition from an Ingress backend lands on the Service in another file', async () => {
    const ingress = workspaceFile('shop/ingress.yaml');
    const document = await vscode.workspace.openTextDocument(ingress);
    await vscode.window.showTextDocument(document);
    const line = document
      .getText()
      .split('\n')
      .findIndex((l) => l.trim() === 'name: shop' && l.startsWith('                '));
    assert.ok(line > 0, 'the backend service name line');
    const character = document.lineAt(line).text.indexOf('shop');
    const locations = await waitFor(
      () =>
        Promise.resolve(
          vscode.commands.executeCommand<(vscode.Location | vscode.LocationLink)[]>(
            'vscode.executeDefinitionProvider',
            ingress,
            new vscode.Position(line, character + 1),
          ),
        ),
      (l) => (l?.length ?? 0) > 0,
      'a definition for the backend service name',
    );
    const [first] = locations;
    const uri = first && 'targetUri' in first ? first.targetUri : first?.uri;
    const range = first && 'targetUri' in first ? first.targetRange : first?.range;
    assert.equal(uri?.path, workspaceFile('shop/app.yaml').path);
    const target = await vscode.workspace.openTextDocument(workspaceFile('shop/app.yaml'));
    assert.ok(range);
    assert.equal(target.lineAt(range.start.line).text.trim(), 'name: shop');
    assert.equal(target.lineAt(range.start.line - 2).text.trim(), 'kind: Service');
  });
});
