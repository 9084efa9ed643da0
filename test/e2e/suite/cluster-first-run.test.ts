/**
 * A fresh window where no cluster has been started (issue #17, item 16): the
 * embedded cluster is started by `kubeWorkbench.embeddedKubeconfig` (as
 * scripts and other extensions call it), then `kubeWorkbench.applyFile`
 * applies a Deployment. Whatever started the cluster, the explorer and the
 * status bar must follow it: what the user reads there is checked, not only
 * the tree's data. This file sorts before the other cluster suite, so it
 * runs while no cluster has been started in this window.
 */
import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import type { TreeNode } from '../../../client/src/explorer/tree-model.js';
import { dockerAnswers, ensureBusyboxImage } from '../shared/busybox-image.js';
import { KubeApi } from '../shared/kube-api.js';
import { screenshot } from '../shared/screenshot.js';
import { visibleText } from '../shared/ui.js';
import { waitFor } from '../shared/wait-for.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';
const IMAGE = 'kube-workbench-e2e/httpd:1.0';
const LONG = 90_000;

interface ApplyFileResult {
  applied: { kind: string; name: string; action: string }[];
  ready: boolean;
  error?: string;
}

let api: KubeWorkbenchApi;
let kube: KubeApi | undefined;

function description(node: TreeNode | undefined): string {
  if (!node) return '';
  const item = api.clusterExplorer.getTreeItem(node);
  return typeof item.description === 'string' ? item.description : '';
}

suite('First run: a cluster started by a command shows in the explorer and the status bar', function () {
  this.timeout(LONG * 2);

  suiteSetup(async function () {
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    const docker = dockerAnswers() && ensureBusyboxImage(IMAGE);
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', docker ? 'docker' : 'fake', vscode.ConfigurationTarget.Global);
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    if (kube) {
      await kube
        .call('DELETE', '/apis/apps/v1/namespaces/default/deployments/first-run')
        .catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
      const api = kube;
      await waitFor(
        () => api.podNames('default', 'first-run-'),
        (pods) => pods.length === 0,
        'the first-run pods to be gone',
        60_000,
      ).catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
    }
    // The cluster keeps running for the next suite (which would start it the same way); the setting is reset.
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', undefined, vscode.ConfigurationTarget.Global);
  });

  test('embeddedKubeconfig then applyFile: the explorer shows the cluster and the Deployment, the status bar says ready', async function () {
    this.timeout(LONG * 2);
    await vscode.commands.executeCommand('kubeWorkbench.clusterExplorer.focus');
    const root = await waitFor(
      () => api.clusterExplorer.getChildren(undefined)[0],
      (node) => node !== undefined && /^(stopped|unknown)$/.test(description(node)),
      'the explorer to say that the embedded cluster is not running yet',
    );
    assert.equal(root?.label, 'embedded cluster');

    const kubeconfig = await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig');
    kube = new KubeApi(kubeconfig);
    // The command started the cluster: the explorer and the status bar follow at once, before anything is applied.
    await waitFor(
      () => description(api.clusterExplorer.getChildren(undefined)[0]),
      (text) => /^(docker|fake) runtime$/.test(text),
      'the explorer to show the embedded cluster connected once the command started it',
    );
    await waitFor(
      () => visibleText('.part.statusbar'),
      (text) => text === undefined || /embedded cluster(?!: (stopped|starting|error))/.test(text),
      'the status bar to show the embedded cluster ready once the command started it',
    );
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench has the e2e workspace open');
    const result = await vscode.commands.executeCommand<ApplyFileResult>(
      'kubeWorkbench.applyFile',
      vscode.Uri.joinPath(folder.uri, 'first-run/app.yaml'),
    );
    assert.equal(result.error, undefined, `no error (got: ${result.error ?? ''})`);
    assert.equal(result.ready, true);

    // The explorer's data: the cluster, connected, with the Deployment 2/2 ready.
    await waitFor(
      () => description(api.clusterExplorer.find('Deployment', 'first-run', 'default')),
      (text) => text === '2/2 ready',
      'the explorer to show Deployment first-run 2/2 ready',
      LONG,
    );
    assert.match(description(api.clusterExplorer.getChildren(undefined)[0]), /^(docker|fake) runtime$/);

    // What the user reads: the view shows the cluster (not its welcome text), the status bar its state.
    const sideBar = await waitFor(
      () => visibleText('.part.sidebar'),
      (text) => text === undefined || (/embedded cluster/.test(text) && !/No cluster connected/.test(text)),
      'the Cluster Explorer to show the embedded cluster',
    );
    if (sideBar !== undefined) assert.match(sideBar, /Namespaces/);
    const statusBar = await waitFor(
      () => visibleText('.part.statusbar'),
      (text) => text === undefined || /embedded cluster(?!: (stopped|starting|error))/.test(text),
      'the status bar to show the embedded cluster, ready',
    );
    if (statusBar !== undefined) assert.doesNotMatch(statusBar, /embedded cluster: (stopped|starting|error)/);
    await screenshot('e2e-first-run');
  });
});
