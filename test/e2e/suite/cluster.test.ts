import * as assert from 'node:assert/strict';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import type { TreeNode } from '../../../client/src/explorer/tree-model.js';
import type { PodShell } from '../../../client/src/explorer/pod-terminal.js';
import { dockerAnswers, ensureBusyboxImage } from '../shared/busybox-image.js';
import { KubeApi, startSecondCluster, type SecondCluster } from '../shared/kube-api.js';
import { ensureNodeImage } from '../shared/node-image.js';
import { click } from '../shared/ui.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';
import { deploymentYaml } from '../shared/deployment-yaml.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';
const IMAGE = 'kube-workbench-e2e/httpd:1.0';
const NODE_IMAGE = 'kube-workbench-e2e/node:1.0';
const LONG = 90_000;

interface ApplyFileResult {
  applied: { kind: string; namespace?: string; name: string; action: string }[];
  ready: boolean;
  error?: string;
}

/** What a row of the tree shows: its label and description. */
interface Row {
  label: string;
  description: string;
}

let api: KubeWorkbenchApi;
let kube: KubeApi;
let docker = false;
let extensionPath = '';

function workspaceFile(path: string): vscode.Uri {
  const folder = vscode.workspace.workspaceFolders?.[0];
  assert.ok(folder, 'the workbench has the e2e workspace open');
  return vscode.Uri.joinPath(folder.uri, path);
}

function row(node: TreeNode): Row {
  const item = api.clusterExplorer.getTreeItem(node);
  const label = typeof item.label === 'string' ? item.label : (item.label?.label ?? '');
  return { label, description: typeof item.description === 'string' ? item.description : '' };
}

/** The Deployment's row and the rows of the pods under it (Deployment → ReplicaSets → Pods), as the tree shows them. */
function deploymentRows(name: string): { deployment?: Row; pods: Row[] } {
  const node = api.clusterExplorer.find('Deployment', name, 'default');
  if (!node) return { pods: [] };
  const pods = api.clusterExplorer
    .walk(node, 2)
    .filter((n) => n.contextValue === 'resource.Pod')
    .map(row);
  return { deployment: row(node), pods };
}

function deploymentNode(name: string): TreeNode {
  const node = api.clusterExplorer.find('Deployment', name, 'default');
  assert.ok(node, `the tree shows Deployment ${name}`);
  return node;
}

async function applyFile(uri: vscode.Uri): Promise<ApplyFileResult> {
  return vscode.commands.executeCommand<ApplyFileResult>('kubeWorkbench.applyFile', uri);
}

async function untitled(content: string): Promise<vscode.TextDocument> {
  const document = await vscode.workspace.openTextDocument({ language: 'yaml', content });
  await vscode.window.showTextDocument(document);
  return document;
}

function deployment(name: string, replicas: number, image: string, command: string): string {
  return deploymentYaml({ name, replicas, image, container: 'main', fields: [`command: ['sh', '-c', '${command}']`] });
}

suite('Cluster: run a manifest, the live tree, scale, roll back, logs, another cluster', function () {
  this.timeout(LONG * 2);

  suiteSetup(async function () {
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    api = await extension.activate();
    extensionPath = extension.extensionPath;
    console.log(`[kw-bench] activation ${api.activationMs} ms`);
    docker = dockerAnswers() && ensureBusyboxImage(IMAGE);
    console.log(`cluster suite: ${docker ? 'Docker runtime' : 'fake runtime (no Docker engine answers)'}`);
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', docker ? 'docker' : 'fake', vscode.ConfigurationTarget.Global);
    const kubeconfig = await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig');
    kube = new KubeApi(kubeconfig);
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    if (!kube) return;
    // Remove what the suite ran (the Docker containers go with the pods), then stop the embedded cluster.
    const paths = [
      '/apis/apps/v1/namespaces/default/deployments/cluster-demo',
      '/apis/apps/v1/namespaces/default/deployments/crash-demo',
      '/api/v1/namespaces/default/services/cluster-demo',
      '/apis/networking.k8s.io/v1/namespaces/default/ingresses/cluster-demo',
      '/api/v1/namespaces/default/configmaps/clicked-config',
      '/api/v1/namespaces/default/pods/node-debug-demo',
    ];
    for (const path of paths)
      await kube.call('DELETE', path).then(
        (r) => console.log(`cleanup: DELETE ${path}: ${r.status}`),
        (error: unknown) => console.log(`cleanup: DELETE ${path}: ${String(error)}`),
      );
    await waitFor(
      () => kube.podNames('default', ''),
      (pods) => pods.length === 0,
      'the suite’s pods to be gone',
      60_000,
    ).catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
    await vscode.commands.executeCommand('kubeWorkbench.stopEmbeddedCluster');
    console.log('cleanup: the embedded cluster is stopped');
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Run applies a Deployment, Service and Ingress, and the tree shows 3 running pods', async function () {
    this.timeout(LONG * 2);
    const file = workspaceFile('cluster/demo-app.yaml');
    await vscode.window.showTextDocument(file);
    const started = Date.now();
    const result = await applyFile(file);
    assert.equal(result.error, undefined, `no error (got: ${result.error ?? ''})`);
    assert.equal(result.ready, true);
    assert.deepEqual(
      result.applied.map((a) => `${a.kind} ${a.namespace ?? ''}/${a.name} ${a.action}`),
      [
        'Service default/cluster-demo created',
        'Deployment default/cluster-demo created',
        'Ingress default/cluster-demo created',
      ],
    );
    const seen = await waitFor(
      () => deploymentRows('cluster-demo'),
      (r) =>
        r.deployment?.description === '3/3 ready' && r.pods.filter((p) => p.description === 'Running 1/1').length === 3,
      'the tree to show cluster-demo 3/3 ready with three pods Running 1/1',
      LONG,
    );
    console.log(`[kw-bench] run-to-ready-in-tree ${Date.now() - started} ms`);
    assert.equal(seen.pods.length, 3);
    for (const pod of seen.pods) assert.match(pod.label, /^cluster-demo-[a-z0-9]+-[a-z0-9]+$/);
    const service = api.clusterExplorer.find('Service', 'cluster-demo', 'default');
    assert.ok(service, 'the tree shows the Service');
    await waitFor(
      () => row(service).description,
      () =>
        row(api.clusterExplorer.find('Service', 'cluster-demo', 'default') ?? service).description ===
        'ClusterIP, ready endpoints 3/3',
      'the Service to show 3 ready endpoints',
    );

    // What the user sees: the view revealed at the Deployment, opened down to its pods.
    const editor = await vscode.window.showTextDocument(file);
    editor.selection = new vscode.Selection(6, 0, 6, 0);
    await vscode.commands.executeCommand('kubeWorkbench.revealInExplorer');
    for (let i = 0; i < 4; i++) await vscode.commands.executeCommand('workbench.action.increaseViewWidth');
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await screenshot('e2e-tree-running-pods');
  });

  test('the Ingress answers on 127.0.0.1 at the address its status shows', async function () {
    if (!docker) return this.skip(); // the fake runtime runs no servers to answer
    this.timeout(LONG);
    const port = await waitFor(
      async () => {
        const { json } = await kube.call('GET', '/apis/networking.k8s.io/v1/namespaces/default/ingresses/cluster-demo');
        const lb = (json as { status?: { loadBalancer?: { ingress?: { ip?: string; ports?: { port: number }[] }[] } } })
          .status?.loadBalancer?.ingress?.[0];
        return lb?.ip === '127.0.0.1' ? lb.ports?.[0]?.port : undefined;
      },
      (p) => typeof p === 'number',
      'the Ingress status to show its address on 127.0.0.1',
    );
    for (let i = 0; i < 3; i++) {
      const response = await fetch(`http://127.0.0.1:${String(port)}/index.html`);
      assert.equal(response.status, 200);
      assert.equal(await response.text(), 'hello from the cluster e2e suite\n');
    }
  });

  test('clicking Run above a document applies it, and a click opens the ConfigMaps row', async function () {
    this.timeout(LONG);
    const file = workspaceFile('cluster/click-config.yaml');
    await vscode.window.showTextDocument(file, { preview: false });
    // The extension offers its Run lens for the file (the click then waits for the editor to draw it).
    await waitFor(
      async () => await vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', file, 100),
      (lenses) => (lenses ?? []).some((l) => l.command?.command === 'kubeWorkbench.runDocument'),
      'the Run CodeLens above the document',
    );
    const clicked = await click('codelens:Run');
    if (clicked === undefined) return this.skip(); // no browser launcher (desktop VS Code)
    assert.equal(clicked, true, 'the Run CodeLens is there to click');
    await waitFor(
      async () => (await kube.call('GET', '/api/v1/namespaces/default/configmaps/clicked-config')).status,
      (status) => status === 200,
      'the ConfigMap applied by clicking Run',
      LONG,
    );
    await waitFor(
      () => api.clusterExplorer.find('ConfigMap', 'clicked-config', 'default'),
      (node) => node !== undefined,
      'the tree to list clicked-config',
    );
    await vscode.commands.executeCommand('kubeWorkbench.clusterExplorer.focus');
    assert.equal(await click('tree:ConfigMaps'), true, 'the ConfigMaps row opens');
    await screenshot('e2e-tree-after-clicks');
  });

  test('scaling from the tree (3 → 1) leaves one pod', async function () {
    this.timeout(LONG);
    await vscode.commands.executeCommand('kubeWorkbench.scale', deploymentNode('cluster-demo'), 1);
    const seen = await waitFor(
      () => deploymentRows('cluster-demo'),
      (r) => r.deployment?.description === '1/1 ready' && r.pods.length === 1,
      'the tree to show cluster-demo 1/1 ready with one pod',
      LONG,
    );
    assert.equal(seen.pods[0]?.description, 'Running 1/1');
  });

  test('an image that does not exist: the error is returned and the tree shows the pull failure', async function () {
    if (!docker) return this.skip(); // the fake runtime "pulls" every image
    this.timeout(LONG * 2);
    const text = (await vscode.workspace.openTextDocument(workspaceFile('cluster/demo-app.yaml'))).getText();
    const broken = text
      .split(/^---$/m)[0]!
      .replace('replicas: 3', 'replicas: 1')
      // A registry on a closed loopback port: the pull fails at once and never leaves the machine.
      .replace(IMAGE, '127.0.0.1:9/kube-workbench-e2e/does-not-exist:0.1');
    const document = await untitled(broken);
    const result = await applyFile(document.uri);
    assert.equal(result.ready, false);
    assert.deepEqual(
      result.applied.map((a) => `${a.kind} ${a.name} ${a.action}`),
      ['Deployment cluster-demo configured'],
    );
    assert.match(result.error ?? '', /ErrImagePull|ImagePullBackOff/);
    const seen = await waitFor(
      () => deploymentRows('cluster-demo'),
      (r) => r.pods.some((p) => /^(ErrImagePull|ImagePullBackOff)$/.test(p.description)),
      'a pod of cluster-demo showing ErrImagePull or ImagePullBackOff',
      LONG,
    );
    assert.ok(
      seen.pods.some((p) => p.description === 'Running 1/1'),
      'the old pod keeps running',
    );
    await vscode.commands.executeCommand('kubeWorkbench.revealInExplorer');
    await screenshot('e2e-tree-image-pull-error');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('rolling back to the previous revision from the tree brings the working image back', async function () {
    if (!docker) return this.skip(); // needs the broken revision of the previous test
    this.timeout(LONG);
    const before = deploymentRows('cluster-demo');
    const picked = vscode.commands.executeCommand('kubeWorkbench.rollback', deploymentNode('cluster-demo'));
    // The quick pick lists earlier revisions, newest first: accept the first (revision 1) once it shows (the
    // command reads the history first; accepting while no quick pick is open does nothing).
    let chosen = false;
    void picked.then(() => (chosen = true));
    const deadline = Date.now() + 60_000;
    while (!chosen && Date.now() < deadline) {
      await vscode.commands.executeCommand('workbench.action.acceptSelectedQuickOpenItem');
      await Promise.race([picked, new Promise((resolve) => setTimeout(resolve, 250))]);
    }
    await picked;
    const seen = await waitFor(
      () => deploymentRows('cluster-demo'),
      (r) =>
        r.deployment?.description === '1/1 ready' && r.pods.length === 1 && r.pods[0]?.description === 'Running 1/1',
      'cluster-demo back to one running pod',
      LONG,
    );
    assert.ok(before.pods.length >= 1);
    const node = deploymentNode('cluster-demo');
    const revisions = api.clusterExplorer.getChildren(node).map((n) => row(n).description);
    assert.ok(
      revisions.some((d) => d.startsWith('revision 3, 1/1 ready')),
      `the ReplicaSet of revision 1 is now revision 3 (saw ${revisions.join('; ')})`,
    );
    assert.equal(seen.pods.length, 1);
  });

  test('logs of a pod stream into a read-only document', async function () {
    if (!docker) return this.skip(); // fake pods write no logs
    this.timeout(LONG);
    const pod = api.clusterExplorer
      .walk(deploymentNode('cluster-demo'), 2)
      .find((n) => n.contextValue === 'resource.Pod');
    assert.ok(pod?.ref, 'the tree shows a pod');
    await vscode.commands.executeCommand('kubeWorkbench.showLogs', pod);
    const document = await waitFor(
      () => vscode.workspace.textDocuments.find((d) => d.uri.path.endsWith(`/logs/default/${pod.ref?.name}/httpd.log`)),
      (d) => d !== undefined && d.getText().includes('serving cluster-demo on 8080'),
      'the log document to show the container output',
    );
    assert.equal(document?.uri.scheme, 'kube-workbench');
    // A request through the Service shows up in the followed log (httpd -v logs each request).
    await vscode.commands.executeCommand('workbench.action.closeActiveEditor');
  });

  test('a shell in a pod: a terminal attached through exec runs what the user types', async function () {
    if (!docker) return this.skip(); // fake pods have no processes
    this.timeout(LONG);
    const pod = api.clusterExplorer
      .walk(deploymentNode('cluster-demo'), 2)
      .find((n) => n.contextValue === 'resource.Pod');
    assert.ok(pod, 'the tree shows a pod');
    const shell = await vscode.commands.executeCommand<PodShell | undefined>('kubeWorkbench.openShell', pod);
    assert.ok(shell, 'a shell opened');
    assert.equal(shell.terminal.name, `${pod.label} (httpd)`);
    shell.terminal.sendText('echo shell-says-$((6*7)); hostname');
    const text = await waitFor(
      () => shell.transcript(),
      (t) => t.includes('shell-says-42'),
      'the terminal to show the command’s output',
    );
    assert.ok(text.includes(pod.label), `the pod's hostname is printed (saw ${JSON.stringify(text.slice(-300))})`);
    shell.terminal.sendText('exit');
    assert.match(await shell.exited, /shell ended/);
    shell.terminal.dispose();
  });

  test('a container that keeps exiting shows CrashLoopBackOff in the tree', async function () {
    if (!docker) return this.skip(); // the fake runtime does not run commands
    this.timeout(LONG * 2);
    const document = await untitled(deployment('crash-demo', 1, IMAGE, 'echo crashing; exit 1'));
    const result = await applyFile(document.uri);
    assert.equal(result.ready, false);
    assert.match(result.error ?? '', /CrashLoopBackOff|exit/i);
    await waitFor(
      () => deploymentRows('crash-demo'),
      (r) => r.pods.some((p) => p.description === 'CrashLoopBackOff'),
      'the crash-demo pod to show CrashLoopBackOff',
      LONG,
    );
    await vscode.commands.executeCommand('kubeWorkbench.revealInExplorer');
    await new Promise((resolve) => setTimeout(resolve, 500));
    await screenshot('e2e-tree-crashloop');
    await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');
  });

  test('Attach Debugger starts a Node.js debug session on a pod that runs node --inspect', async function () {
    if (!docker || !ensureNodeImage(NODE_IMAGE)) return this.skip(); // needs real containers and a Node image
    this.timeout(LONG * 2);
    const created = await kube.call('POST', '/api/v1/namespaces/default/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'node-debug-demo', labels: { app: 'node-debug-demo' } },
      spec: {
        terminationGracePeriodSeconds: 1,
        containers: [
          {
            name: 'app',
            image: NODE_IMAGE,
            command: [
              'node',
              '--inspect=0.0.0.0:9229',
              '-e',
              "require('http').createServer((q, r) => r.end('hi')).listen(8080)",
            ],
          },
        ],
      },
    });
    assert.equal(created.status, 201);
    const pod = await waitFor(
      () => api.clusterExplorer.find('Pod', 'node-debug-demo', 'default'),
      (node) => node !== undefined && /^Running/.test(row(node).description ?? ''),
      'the node-debug-demo pod to run',
      LONG,
    );
    const started = new Promise<vscode.DebugSession>((resolve) => {
      const listener = vscode.debug.onDidStartDebugSession((session) => {
        listener.dispose();
        resolve(session);
      });
    });
    const attached = await vscode.commands.executeCommand<{ port: number; name: string } | undefined>(
      'kubeWorkbench.attachDebugger',
      pod,
    );
    assert.ok(attached, 'the command attached');
    const session = await started;
    assert.match(session.type, /^(pwa-)?node$/, 'a JavaScript debug session');
    assert.match(session.name, /node-debug-demo/);
    await vscode.debug.stopDebugging(session);
    await kube.call('DELETE', '/api/v1/namespaces/default/pods/node-debug-demo');
  });

  test('switching to a second cluster context shows that cluster’s tree', async function () {
    this.timeout(LONG);
    const dataDir = mkdtempSync(join(tmpdir(), 'kw-e2e-second-'));
    let second: SecondCluster | undefined;
    const settings = vscode.workspace.getConfiguration('kubeWorkbench');
    try {
      second = await startSecondCluster(join(extensionPath, 'scripts/kube-workbench.js'), dataDir);
      await settings.update('kubeconfigPath', second.kubeconfig, vscode.ConfigurationTarget.Global);
      const switched = await vscode.commands.executeCommand<boolean>('kubeWorkbench.pickCluster', {
        type: 'context',
        name: 'kube-workbench',
      });
      assert.equal(switched, true);
      const root = await waitFor(
        () => api.clusterExplorer.getChildren(undefined).map(row),
        (rows) => rows[0]?.label === 'kube-workbench' && rows[0].description === 'connected',
        'the tree’s root to be the kubeconfig context, connected',
      );
      assert.equal(root.length, 1);
      const document = await untitled(deployment('second-demo', 2, 'kube-workbench-e2e/other:1.0', 'sleep 3600'));
      const result = await applyFile(document.uri);
      assert.equal(result.error, undefined);
      assert.deepEqual(
        result.applied.map((a) => `${a.kind} ${a.name} ${a.action}`),
        ['Deployment second-demo created'],
      );
      await waitFor(
        () => deploymentRows('second-demo'),
        (r) => r.deployment?.description === '2/2 ready' && r.pods.length === 2,
        'the second cluster’s tree to show second-demo 2/2 ready',
      );
      assert.equal(
        deploymentRows('cluster-demo').deployment,
        undefined,
        'the embedded cluster’s Deployment is not shown',
      );
      await vscode.commands.executeCommand('workbench.action.revertAndCloseActiveEditor');

      assert.equal(await vscode.commands.executeCommand('kubeWorkbench.pickCluster', { type: 'embedded' }), true);
      await waitFor(
        () => deploymentRows('cluster-demo').deployment,
        (d) => d !== undefined,
        'the embedded cluster’s tree again, with cluster-demo',
      );
      assert.equal(deploymentRows('second-demo').deployment, undefined);
    } finally {
      await settings.update('kubeconfigPath', undefined, vscode.ConfigurationTarget.Global);
      await vscode.commands.executeCommand('kubeWorkbench.pickCluster', { type: 'embedded' });
      await second?.stop();
      rmSync(dataDir, { recursive: true, force: true });
    }
  });
});
