import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import type { TreeNode } from '../../../client/src/explorer/tree-model.js';
import { dockerAnswers, ensureBusyboxImage } from '../shared/busybox-image.js';
import { KubeApi } from '../shared/kube-api.js';
import { waitFor } from '../shared/wait-for.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';
const IMAGE = 'kube-workbench-e2e/httpd:1.0';
const LONG = 90_000;

interface ApplyFileResult {
  applied: { kind: string; namespace?: string; name: string; action: string }[];
  ready: boolean;
  error?: string;
}

let api: KubeWorkbenchApi;
let kube: KubeApi | undefined;

function workspaceFile(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench has the e2e workspace open');
  return vscode.Uri.joinPath(folder.uri, path);
}

function description(node: TreeNode | undefined): string {
  if (!node) return '';
  const item = api.clusterExplorer.getTreeItem(node);
  return typeof item.description === 'string' ? item.description : '';
}

suite('Kustomize: Run on an overlay', function () {
  this.timeout(LONG * 2);

  suiteSetup(async function () {
    this.timeout(LONG);
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    const docker = dockerAnswers() && ensureBusyboxImage(IMAGE);
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', docker ? 'docker' : 'fake', vscode.ConfigurationTarget.Global);
    kube = new KubeApi(await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig'));
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    if (!kube) return;
    const api = kube;
    await api.call('DELETE', '/apis/apps/v1/namespaces/default/deployments/prod-kz-web').catch(() => undefined);
    const { json } = await api.call('GET', '/api/v1/namespaces/default/configmaps');
    const items = ((json as { items?: { metadata: { name: string } }[] }).items ?? []).filter((c) =>
      c.metadata.name.startsWith('prod-kz-settings-'),
    );
    for (const item of items)
      await api.call('DELETE', `/api/v1/namespaces/default/configmaps/${item.metadata.name}`).catch(() => undefined);
    await waitFor(
      () => api.podNames('default', 'prod-kz-web'),
      (pods) => pods.length === 0,
      'the overlay’s pods to be gone',
      60_000,
    ).catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
    await vscode.commands.executeCommand('kubeWorkbench.stopEmbeddedCluster');
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Run on the prod overlay creates its objects (prefixed names, hashed ConfigMap) and the tree shows them', async function () {
    const file = workspaceFile('kustomize/overlays/prod/kustomization.yaml');
    await vscode.window.showTextDocument(file);
    const result = await vscode.commands.executeCommand<ApplyFileResult>('kubeWorkbench.runKustomization', file);
    assert.equal(result.error, undefined, `no error (got: ${result.error ?? ''})`);
    assert.equal(result.ready, true);
    const applied = result.applied.map((a) => `${a.kind} ${a.name} ${a.action}`);
    assert.equal(applied.length, 2, applied.join(', '));
    assert.match(applied[0] ?? '', /^ConfigMap prod-kz-settings-[a-z0-9]{10} created$/);
    assert.equal(applied[1], 'Deployment prod-kz-web created');
    const configMap = result.applied[0]?.name ?? '';

    const deployment = await waitFor(
      () => description(api.clusterExplorer.find('Deployment', 'prod-kz-web', 'default')),
      (d) => d === '1/1 ready',
      'the tree to show Deployment prod-kz-web 1/1 ready (the overlay’s replicas)',
      LONG,
    );
    assert.equal(deployment, '1/1 ready');
    await waitFor(
      () => api.clusterExplorer.find('ConfigMap', configMap, 'default'),
      (node) => node !== undefined,
      `the tree to show ConfigMap ${configMap}`,
    );
  });

  test('the kustomization file offers Run, Diff, Delete and Show Rendered Output, and the output names what Run created', async function () {
    const file = workspaceFile('kustomize/overlays/prod/kustomization.yaml');
    const lenses = await waitFor(
      async () => vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file),
      (found) => (found ?? []).some((l) => l.command?.command === 'kubeWorkbench.showKustomizeOutput'),
      'the kustomization lenses',
    );
    assert.deepEqual(
      lenses
        .map((l) => l.command?.command ?? '')
        .filter((c) => c.includes('Kustomiz'))
        .sort(),
      [
        'kubeWorkbench.deleteKustomization',
        'kubeWorkbench.diffKustomization',
        'kubeWorkbench.runKustomization',
        'kubeWorkbench.showKustomizeOutput',
      ],
    );
    const uri = await vscode.commands.executeCommand<string>('kubeWorkbench.showKustomizeOutput', file);
    const text = vscode.window.activeTextEditor?.document.getText() ?? '';
    assert.equal(vscode.window.activeTextEditor?.document.uri.toString(), uri);
    assert.match(text, /name: prod-kz-web\n/);
    assert.match(text, /name: prod-kz-settings-[a-z0-9]{10}\n/);
  });
});
