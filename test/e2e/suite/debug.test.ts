import * as assert from 'node:assert/strict';
import { connect } from 'node:net';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import { dockerAnswers } from '../shared/busybox-image.js';
import { KubeApi } from '../shared/kube-api.js';
import { ensureNodeImage } from '../shared/node-image.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';
import { deploymentYaml } from '../shared/deployment-yaml.js';

const EXTENSION_ID = 'kube-workbench.kube-workbench';
const NODE_IMAGE = 'kube-workbench-e2e/node:1.0';
const NAME = 'node-run-debug';
const SESSION = `Kube Workbench: deployment/${NAME}`;
const LONG = 120_000;

interface RunAndDebugResult {
  applied: { kind: string; name: string; action: string }[];
  ready: boolean;
  error?: string;
  debug?: { namespace: string; pod: string; container: string; port: number; inspectorPort: number; name: string };
}

/** A Deployment of the local Node image: an HTTP server that sets `globalThis.kwVersion`, with `nodeArgs` before `-e`. */
function manifest(version: string, nodeArgs: string[]): string {
  const script = `globalThis.kwVersion = '${version}'; require('http').createServer((q, r) => r.end('${version}')).listen(8080)`;
  const fields = ['command: [node]', `args: ${JSON.stringify([...nodeArgs, '-e', script])}`];
  return deploymentYaml({ name: NAME, image: NODE_IMAGE, workingDir: '/app', fields });
}

/** Writes a manifest as a person would: a new file, or an edit of the open document, saved. */
async function writeManifest(uri: vscode.Uri, text: string): Promise<void> {
  const open = vscode.workspace.textDocuments.find((d) => d.uri.toString() === uri.toString());
  if (!open) return vscode.workspace.fs.writeFile(uri, Buffer.from(text));
  const edit = new vscode.WorkspaceEdit();
  edit.replace(uri, new vscode.Range(open.positionAt(0), open.positionAt(open.getText().length)), text);
  assert.ok(await vscode.workspace.applyEdit(edit), 'the manifest was edited');
  assert.ok(await open.save(), 'the manifest was saved');
}

/** Every debug session that starts, so a test can find js-debug's child session of a root one. */
const sessions: vscode.DebugSession[] = [];
const ended = new Set<string>();

function nextRootSession(name: string): Promise<vscode.DebugSession> {
  return new Promise((resolve) => {
    const listener = vscode.debug.onDidStartDebugSession((session) => {
      if (session.parentSession || session.name !== name) return;
      listener.dispose();
      resolve(session);
    });
  });
}

/** One DAP request to a session, given up after 5 s (a session without a target may never answer). */
async function ask(session: vscode.DebugSession, command: string, args: unknown): Promise<unknown> {
  let timer: ReturnType<typeof setTimeout> | undefined;
  try {
    return await Promise.race([
      Promise.resolve(session.customRequest(command, args)),
      new Promise((_, reject) => (timer = setTimeout(() => reject(new Error(`${command}: no answer in 5 s`)), 5_000))),
    ]);
  } finally {
    clearTimeout(timer);
  }
}

/** Evaluates in the debugged process, through js-debug's session for it (the child of the attach session). */
async function evaluate(root: vscode.DebugSession, expression: string): Promise<string> {
  const children = () => sessions.filter((s) => s.parentSession?.id === root.id && !ended.has(s.id));
  // The attach session itself has no process to evaluate in; its child appears once js-debug is connected.
  await waitFor(children, (found) => found.length > 0, `js-debug's session for the process under ${root.name}`);
  return waitFor(
    async () => {
      for (const s of children()) {
        try {
          const answer = (await ask(s, 'evaluate', { expression, context: 'repl' })) as { result?: string };
          if (answer.result !== undefined) return answer.result;
        } catch (error) {
          console.log(`evaluate in ${s.name} (${s.type}): ${error instanceof Error ? error.message : String(error)}`);
        }
      }
      return '';
    },
    (result) => result !== '',
    `${expression} to evaluate in ${root.name}`,
    30_000,
  );
}

/** Whether something accepts connections on 127.0.0.1:port. */
function listening(port: number): Promise<boolean> {
  return new Promise((resolve) => {
    const socket = connect(port, '127.0.0.1');
    socket.once('connect', () => {
      socket.destroy();
      resolve(true);
    });
    socket.once('error', () => resolve(false));
  });
}

suite('Debug: Run and Debug a manifest, and a kube-workbench launch configuration', function () {
  this.timeout(LONG * 2);
  let kube: KubeApi | undefined;
  let docker = false;
  let dir: vscode.Uri;
  const subscriptions: vscode.Disposable[] = [];

  suiteSetup(async function () {
    this.timeout(LONG);
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
    subscriptions.push(
      vscode.debug.onDidStartDebugSession((s) => sessions.push(s)),
      vscode.debug.onDidTerminateDebugSession((s) => ended.add(s.id)),
    );
    docker = dockerAnswers() && ensureNodeImage(NODE_IMAGE);
    console.log(`debug suite: ${docker ? 'Docker runtime, local Node image' : 'skipped (no Docker engine answers)'}`);
    if (!docker) return;
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', 'docker', vscode.ConfigurationTarget.Global);
    kube = new KubeApi(await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig'));
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench has the e2e workspace open');
    dir = vscode.Uri.joinPath(folder.uri, 'debug-e2e');
    await vscode.workspace.fs.createDirectory(dir);
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    await vscode.debug.stopDebugging();
    for (const s of subscriptions.splice(0)) s.dispose();
    if (!kube) return;
    const path = `/apis/apps/v1/namespaces/default/deployments/${NAME}`;
    await kube.call('DELETE', path).then(
      (r) => console.log(`cleanup: DELETE ${path}: ${r.status}`),
      (error: unknown) => console.log(`cleanup: DELETE ${path}: ${String(error)}`),
    );
    await waitFor(
      () => kube!.podNames('default', NAME),
      (pods) => pods.length === 0,
      `the ${NAME} pods to be gone`,
      60_000,
    ).catch((error: unknown) => console.log(`cleanup: ${String(error)}`));
    await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('kubeWorkbench.stopEmbeddedCluster');
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Run and Debug attaches to the Deployment’s pod: with --inspect in args, then without (SIGUSR1), replacing the first session', async function () {
    if (!docker) return this.skip(); // needs real containers and a Node image
    const file = vscode.Uri.joinPath(dir, 'app.yaml');
    await writeManifest(file, manifest('A', ['--inspect=0.0.0.0:9230']));

    const firstStarted = nextRootSession(SESSION);
    const first = await vscode.commands.executeCommand<RunAndDebugResult>('kubeWorkbench.runAndDebug', file);
    assert.equal(first.error, undefined, first.error);
    assert.equal(first.ready, true);
    assert.deepEqual(
      first.applied.map((a) => `${a.kind} ${a.name} ${a.action}`),
      [`Deployment ${NAME} created`],
    );
    assert.ok(first.debug, 'the debugger attached');
    assert.equal(first.debug.container, 'app');
    assert.equal(first.debug.inspectorPort, 9230, 'the port of --inspect in the spec');
    assert.match(first.debug.pod, new RegExp(`^${NAME}-`));
    const one = await firstStarted;
    assert.match(one.type, /^(pwa-)?node$/, 'a JavaScript debug session');
    assert.equal(one.name, SESSION);
    assert.equal(await evaluate(one, 'globalThis.kwVersion'), "'A'", 'the debugger is attached to the app');
    assert.equal(await listening(first.debug.port), true, 'the inspector forward listens');
    await vscode.window.showTextDocument(file);
    await new Promise((resolve) => setTimeout(resolve, 500));
    await screenshot('e2e-debug-session');

    // The same Deployment without --inspect: a rollout to a new pod, the inspector started with SIGUSR1.
    await writeManifest(file, manifest('B', []));
    const secondStarted = nextRootSession(SESSION);
    const second = await vscode.commands.executeCommand<RunAndDebugResult>('kubeWorkbench.runAndDebug', file);
    assert.equal(second.error, undefined, second.error);
    assert.equal(second.ready, true);
    assert.deepEqual(
      second.applied.map((a) => `${a.kind} ${a.name} ${a.action}`),
      [`Deployment ${NAME} configured`],
    );
    assert.ok(second.debug, 'the debugger attached again');
    assert.equal(second.debug.inspectorPort, 9229, 'the inspector SIGUSR1 starts');
    assert.notEqual(second.debug.pod, first.debug.pod, 'a pod of the new ReplicaSet');
    const two = await secondStarted;
    assert.ok(ended.has(one.id), 'the first session was stopped');
    assert.equal(await listening(first.debug.port), false, 'the first forward is gone');
    assert.equal(await evaluate(two, 'globalThis.kwVersion'), "'B'", 'attached to the new pod');

    await vscode.debug.stopDebugging(two);
    await waitFor(
      () => listening(second.debug!.port),
      (open) => !open,
      'the forward to stop with its session',
    );
    assert.ok(ended.has(two.id));
  });

  test('a kube-workbench launch configuration applies its manifest and attaches to the workload', async function () {
    if (!docker) return this.skip();
    const folder = vscode.workspace.workspaceFolders?.[0];
    const name = 'Kube Workbench e2e: launch.json';
    const started = nextRootSession(name);
    const ok = await vscode.debug.startDebugging(folder, {
      type: 'kube-workbench',
      request: 'attach',
      name,
      workload: `deployment/${NAME}`,
      namespace: 'default',
      manifest: '${workspaceFolder}/debug-e2e/app.yaml',
    });
    assert.equal(ok, true, 'VS Code started the session');
    const session = await started;
    assert.match(session.type, /^(pwa-)?node$/);
    const port = Number(session.configuration.port);
    assert.equal(await listening(port), true, 'the session’s port is the inspector forward');
    assert.equal(await evaluate(session, 'globalThis.kwVersion'), "'B'");
    await vscode.debug.stopDebugging(session);
    await waitFor(
      () => listening(port),
      (open) => !open,
      'the forward to stop with its session',
    );
  });

  test('the CodeLens row offers Debug above a workload, not above a ConfigMap', async function () {
    const document = await vscode.workspace.openTextDocument({
      language: 'yaml',
      content: ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  name: settings', '---', manifest('C', [])].join(
        '\n',
      ),
    });
    const lenses = await waitFor(
      () =>
        Promise.resolve(
          vscode.commands.executeCommand<vscode.CodeLens[]>('vscode.executeCodeLensProvider', document.uri, 100),
        ),
      (found) => found.filter((l) => l.command?.command.startsWith('kubeWorkbench.')).length >= 8,
      'the Run/Debug/Chart/Delete/Diff lenses',
    );
    const rows = new Map<number, string[]>();
    for (const lens of lenses.filter((l) => l.command?.command.startsWith('kubeWorkbench.')))
      rows.set(lens.range.start.line, [...(rows.get(lens.range.start.line) ?? []), lens.command?.title ?? '']);
    const plain = (titles: string[] | undefined) => titles?.map((t) => t.replace(/\$\([^)]*\)\s*/, ''));
    const [configMap, deployment] = [...rows.keys()].sort((a, b) => a - b);
    assert.deepEqual(plain(rows.get(configMap ?? -1)), ['Run', 'Delete', 'Diff']);
    // A workload also gets "Chart" (the live chart of it in the cluster), after Debug.
    assert.deepEqual(plain(rows.get(deployment ?? -1)), ['Run', 'Debug', 'Chart', 'Delete', 'Diff']);
    const debug = lenses.find((l) => l.command?.command === 'kubeWorkbench.runAndDebug');
    assert.deepEqual(debug?.command?.arguments, [document.uri, 1], 'Debug runs that document');
  });

  test('a launch configuration that names no workload says so and starts nothing', async function () {
    const before = sessions.length;
    const ok = await vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: 'kube-workbench',
      request: 'attach',
      name: 'Kube Workbench e2e: incomplete',
    });
    assert.equal(ok, false);
    assert.equal(sessions.length, before);
  });
});
