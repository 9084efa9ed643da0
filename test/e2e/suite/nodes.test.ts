import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import type { TreeNode } from '../../../client/src/explorer/tree-model.js';
import { KubeApi, startSecondCluster, type SecondCluster } from '../shared/kube-api.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';
const LONG = 60_000;
const NODE_1 = 'kube-workbench-node-1';
const NODE_2 = 'kube-workbench-node-2';

let api: KubeWorkbenchApi;
let kube: KubeApi;
let second: SecondCluster | undefined;
let dataDir = '';

function nodeRow(name: string): TreeNode | undefined {
  return api.clusterExplorer.find('Node', name);
}

const description = (name: string) => nodeRow(name)?.description ?? '';

async function podNodes(): Promise<string[]> {
  const { json } = await kube.call('GET', '/api/v1/namespaces/default/pods?labelSelector=app%3Dnodes-demo');
  return (json as { items: { spec: { nodeName?: string }; metadata: { deletionTimestamp?: string } }[] }).items
    .filter((p) => !p.metadata.deletionTimestamp)
    .map((p) => p.spec.nodeName ?? '')
    .sort();
}

const DEPLOYMENT = `apiVersion: apps/v1
kind: Deployment
metadata: {name: nodes-demo}
spec:
  replicas: 2
  selector: {matchLabels: {app: nodes-demo}}
  template:
    metadata: {labels: {app: nodes-demo}}
    spec:
      terminationGracePeriodSeconds: 0
      topologySpreadConstraints:
        - {maxSkew: 1, topologyKey: kubernetes.io/hostname, whenUnsatisfiable: ScheduleAnyway, labelSelector: {matchLabels: {app: nodes-demo}}}
      containers:
        - name: main
          image: kube-workbench-e2e/other:1.0
          resources: {requests: {cpu: 250m, memory: 64Mi}}
`;

suite('Nodes: outage, cordon, drain, add and remove from the tree', function () {
  this.timeout(LONG * 3);

  suiteSetup(async function () {
    this.timeout(LONG);
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    dataDir = mkdtempSync(join(tmpdir(), 'kw-e2e-nodes-'));
    // A cluster of its own: two simulated nodes that are declared lost 2 s after they go silent.
    second = await startSecondCluster(join(extension.extensionPath, 'scripts/kube-workbench.js'), dataDir, [
      '--nodes',
      '2',
      '--node-monitor-grace-period',
      '2s',
      '--default-toleration-seconds',
      '1',
    ]);
    kube = new KubeApi(second.kubeconfig);
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('kubeconfigPath', second.kubeconfig, vscode.ConfigurationTarget.Global);
    const switched = await vscode.commands.executeCommand<boolean>('kubeWorkbench.pickCluster', {
      type: 'context',
      name: 'kube-workbench',
    });
    assert.equal(switched, true);
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('kubeconfigPath', undefined, vscode.ConfigurationTarget.Global);
    await vscode.commands.executeCommand('kubeWorkbench.pickCluster', { type: 'embedded' });
    await second?.stop();
    rmSync(dataDir, { recursive: true, force: true });
  });

  test('the tree shows each node Ready with its pods and what they request of its allocatable', async function () {
    const document = await vscode.workspace.openTextDocument({ language: 'yaml', content: DEPLOYMENT });
    const applied = await vscode.commands.executeCommand<{ ready: boolean; error?: string }>(
      'kubeWorkbench.applyFile',
      document.uri,
    );
    assert.equal(applied.error, undefined);
    assert.equal(applied.ready, true);
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
    for (const name of [NODE_1, NODE_2]) {
      await waitFor(
        () => description(name),
        (d) => /^Ready, 1 pod, cpu 250m\/\d+ \(\d+%\)/.test(d),
        `${name} to show Ready with one pod requesting 250m`,
      );
      assert.equal(nodeRow(name)?.contextValue, 'resource.Node simulated');
    }
  });

  test('Cordon and Uncordon: the node says cordoned, and the menu offers the other one', async function () {
    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.cordonNode', nodeRow(NODE_2)), true);
    await waitFor(
      () => nodeRow(NODE_2)?.contextValue,
      (c) => c === 'resource.Node cordoned simulated',
      'cordoned',
    );
    assert.match(description(NODE_2), /^Ready, cordoned, 1 pod/);
    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.uncordonNode', nodeRow(NODE_2)), true);
    await waitFor(
      () => nodeRow(NODE_2)?.contextValue,
      (c) => c === 'resource.Node simulated',
      'uncordoned',
    );
  });

  test('Simulate Node Outage: the node turns NotReady, the status bar says so, its pod moves; Recover brings it back', async function () {
    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.simulateNodeOutage', nodeRow(NODE_2)), true);
    await waitFor(
      () => description(NODE_2),
      (d) => d.startsWith('NotReady (unreachable), simulated outage'),
      `${NODE_2} to turn NotReady after the grace period`,
      LONG,
    );
    assert.equal(nodeRow(NODE_2)?.health, 'error');
    // The node lifecycle controller taints the node after it marks it NotReady: a moment later on a busy machine.
    await waitFor(
      () => api.clusterExplorer.getChildren(nodeRow(NODE_2)).map((n) => n.label),
      (rows) => rows.includes('taint node.kubernetes.io/unreachable:NoExecute'),
      'the unreachable taint on the node',
      LONG,
    );
    await waitFor(
      () => api.statusBarText(),
      (t) => t.includes('1 node NotReady'),
      'the status bar to count it',
    );
    await waitFor(podNodes, (nodes) => nodes.join() === [NODE_1, NODE_1].join(), 'both pods on node-1', LONG);
    await screenshot('e2e-node-outage');

    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.recoverNode', nodeRow(NODE_2)), true);
    await waitFor(
      () => description(NODE_2),
      (d) => d.startsWith('Ready'),
      `${NODE_2} Ready again`,
      LONG,
    );
    await waitFor(
      () => api.statusBarText(),
      (t) => !t.includes('NotReady'),
      'the status bar to clear',
    );
  });

  test('Drain evicts the node’s pods to the other node and leaves it cordoned', async function () {
    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.drainNode', nodeRow(NODE_1)), true);
    // Drain returns once the evicted pods are gone; their replacements are
    // created and scheduled by the controllers afterwards.
    await waitFor(podNodes, (nodes) => nodes.join() === [NODE_2, NODE_2].join(), 'both pods on node-2', LONG);
    await waitFor(
      () => description(NODE_1),
      (d) => d.startsWith('Ready, cordoned, 0 pods'),
      'node-1 drained',
    );
    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.uncordonNode', nodeRow(NODE_1)), true);
  });

  test('Add Node starts a third simulated node; Remove Node drains and deletes it', async function () {
    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.addNode'), true);
    const added = 'kube-workbench-node-3';
    await waitFor(
      () => description(added),
      (d) => d.startsWith('Ready'),
      'the added node to be Ready',
      LONG,
    );
    assert.equal(await vscode.commands.executeCommand('kubeWorkbench.removeNode', nodeRow(added)), true);
    await waitFor(
      () => nodeRow(added),
      (n) => n === undefined,
      'the removed node to leave the tree',
      LONG,
    );
  });
});
