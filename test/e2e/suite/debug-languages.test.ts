import * as assert from 'node:assert/strict';
import { execFile } from 'node:child_process';
import { promisify } from 'node:util';
import * as vscode from 'vscode';
import type { KubeWorkbenchApi } from '../../../client/src/extension.js';
import { goImage, pythonImage } from '../../support/language-images.js';
import { dockerAnswers } from '../shared/busybox-image.js';
import { KubeApi } from '../shared/kube-api.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';
import { deploymentYaml } from '../shared/deployment-yaml.js';

const run = promisify(execFile);
const EXTENSION_ID = 'kube-workbench.kube-workbench';
const LONG = 240_000;
const PY = 'py-debug';
const GO = 'go-debug';

const PYTHON_APP = [
  'import http.server',
  '',
  '',
  'class Handler(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        greeting = "hello from python " + self.path',
  '        body = (greeting + "\\n").encode()',
  '        self.send_response(200)',
  '        self.end_headers()',
  '        self.wfile.write(body)',
  '',
  '',
  'http.server.HTTPServer(("", 8000), Handler).serve_forever()',
  '',
].join('\n');
/** The line (1-based) of `body = …`, where `greeting` is set. */
const PYTHON_LINE = 7;

const GO_APP = [
  'package main',
  '',
  'import (',
  '\t"fmt"',
  '\t"net/http"',
  ')',
  '',
  'func handle(w http.ResponseWriter, r *http.Request) {',
  '\tcount := len(r.URL.Path) + 40',
  '\tmessage := fmt.Sprintf("hello from go %d", count)',
  '\tfmt.Fprintln(w, message)',
  '}',
  '',
  'func main() {',
  '\thttp.HandleFunc("/", handle)',
  '\t_ = http.ListenAndServe(":8080", nil)',
  '}',
  '',
].join('\n');
/** The line of `fmt.Fprintln`, where `message` is set. */
const GO_LINE = 11;

function deployment(name: string, image: string, command: string[], workingDir?: string): string {
  const fields = [`command: ${JSON.stringify(command)}`];
  return deploymentYaml({ name, image, ...(workingDir ? { workingDir } : {}), fields });
}

interface Stop {
  session: vscode.DebugSession;
  threadId: number;
}

/** The `stopped` events the Python and Go debuggers send, as VS Code receives them. */
const stops: Stop[] = [];
/** Every debug session that starts, and the ids of those that ended. */
const sessions: vscode.DebugSession[] = [];
const ended = new Set<string>();

/** A path a debugger reports, as a file path (code-server's client hands them on as vscode-remote URIs). */
function filePath(path: string): string {
  return path.includes('://') ? vscode.Uri.parse(path).path : path;
}

/** The top frame of a stopped thread, and an expression evaluated in it. */
async function inspect(stop: Stop, expression: string): Promise<{ path: string; line: number; value: string }> {
  const trace = (await stop.session.customRequest('stackTrace', { threadId: stop.threadId, levels: 1 })) as {
    stackFrames: { id: number; line: number; source?: { path?: string } }[];
  };
  const top = trace.stackFrames[0];
  assert.ok(top, 'a stack frame');
  const answer = (await stop.session.customRequest('evaluate', {
    expression,
    frameId: top.id,
    context: 'repl',
  })) as { result: string };
  return { path: top.source?.path ?? '', line: top.line, value: answer.result };
}

/** Sends a request to the app from inside its pod (busybox wget); resolves with the response once it comes. */
function request(kubeconfig: string, pod: string, port: number, path: string): Promise<string> {
  return run(
    'kubectl',
    ['--kubeconfig', kubeconfig, 'exec', pod, '-c', 'app', '--', 'wget', '-qO-', `http://127.0.0.1:${port}${path}`],
    { timeout: 120_000 },
  ).then((r) => r.stdout);
}

suite('Debug Python and Go in the cluster over DAP (debugpy, Delve)', function () {
  this.timeout(LONG * 2);
  let docker = false;
  let kubeconfig = '';
  let kube: KubeApi | undefined;
  let dir: vscode.Uri;
  const subscriptions: vscode.Disposable[] = [];

  suiteSetup(async function () {
    this.timeout(LONG);
    const extension = vscode.extensions.getExtension<KubeWorkbenchApi>(EXTENSION_ID);
    assert.ok(extension, `${EXTENSION_ID} is installed`);
    await extension.activate();
    docker = dockerAnswers();
    console.log(`debug languages suite: ${docker ? 'Docker runtime' : 'skipped (no Docker engine answers)'}`);
    if (!docker) return;
    subscriptions.push(
      vscode.debug.onDidStartDebugSession((session) => sessions.push(session)),
      vscode.debug.onDidTerminateDebugSession((session) => ended.add(session.id)),
      vscode.debug.registerDebugAdapterTrackerFactory('kube-workbench-dap', {
        createDebugAdapterTracker: (session) => ({
          onDidSendMessage: (message: { type?: string; event?: string; body?: { threadId?: number } }) => {
            if (message.type === 'event' && message.event === 'stopped')
              stops.push({ session, threadId: Number(message.body?.threadId) });
          },
        }),
      }),
    );
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', 'docker', vscode.ConfigurationTarget.Global);
    kubeconfig = await vscode.commands.executeCommand<string>('kubeWorkbench.embeddedKubeconfig');
    kube = new KubeApi(kubeconfig);
    const folder = vscode.workspace.workspaceFolders?.[0];
    assert.ok(folder, 'the workbench has the e2e workspace open');
    dir = vscode.Uri.joinPath(folder.uri, 'debug-languages-e2e');
    await vscode.workspace.fs.createDirectory(dir);
  });

  teardown(async function () {
    vscode.debug.removeBreakpoints(vscode.debug.breakpoints);
    for (const s of sessions.splice(0)) if (!ended.has(s.id)) await vscode.debug.stopDebugging(s);
  });

  suiteTeardown(async function () {
    this.timeout(LONG);
    await vscode.debug.stopDebugging();
    for (const s of subscriptions.splice(0)) s.dispose();
    if (!kube) return;
    for (const name of [PY, GO]) {
      const path = `/apis/apps/v1/namespaces/default/deployments/${name}`;
      await kube
        .call('DELETE', path)
        .catch((error: unknown) => console.log(`cleanup: DELETE ${path}: ${String(error)}`));
    }
    await vscode.workspace.fs.delete(dir, { recursive: true }).then(undefined, () => undefined);
    await vscode.commands.executeCommand('kubeWorkbench.stopEmbeddedCluster');
    await vscode.workspace
      .getConfiguration('kubeWorkbench')
      .update('embeddedCluster.runtime', undefined, vscode.ConfigurationTarget.Global);
  });

  test('Debug on a Python Deployment: debugpy starts in the pod, a breakpoint in the handler stops a request, a variable evaluates; a rollout re-attaches', async function () {
    if (!docker) return this.skip();
    // The app, its Dockerfile (FROM a local python3 + debugpy image) and its manifest, as in a project.
    const app = vscode.Uri.joinPath(dir, 'python');
    await vscode.workspace.fs.createDirectory(app);
    const base = await pythonImage();
    const image = 'kube-workbench-e2e/py-debug-app:1';
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(app, 'app.py'), Buffer.from(PYTHON_APP));
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(app, 'Dockerfile'),
      Buffer.from(`FROM ${base}\nWORKDIR /app\nCOPY . .\nCMD ["python3", "app.py"]\n`),
    );
    await run('docker', ['build', '-q', '-t', image, app.fsPath], { timeout: 120_000 });
    const manifest = vscode.Uri.joinPath(app, 'app.yaml');
    await vscode.workspace.fs.writeFile(manifest, Buffer.from(deployment(PY, image, ['python3', 'app.py'])));

    const source = vscode.Uri.joinPath(app, 'app.py');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(PYTHON_LINE - 1, 0))),
    ]);
    const result = await vscode.commands.executeCommand<{
      error?: string;
      ready: boolean;
      debug?: { runtime: string; pod: string; container: string; debuggerPort: number };
    }>('kubeWorkbench.runAndDebug', manifest);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.debug?.runtime, 'python', 'the runtime found from the command');
    assert.equal(result.debug.debuggerPort, 5678);
    const session = await waitFor(
      () => sessions.find((s) => s.name === `Kube Workbench: deployment/${PY}`),
      (s) => s !== undefined,
      'the debugpy session',
    );
    assert.equal(session?.type, 'kube-workbench-dap');

    const before = stops.length;
    const response = request(kubeconfig, result.debug.pod, 8000, '/breakpoint');
    const stop = await waitFor(
      () => stops[before],
      (s) => s !== undefined,
      'the breakpoint in do_GET to be hit',
      60_000,
    );
    const where = await inspect(stop!, 'greeting');
    assert.equal(filePath(where.path), source.path, 'the container’s /app/app.py maps to the workspace file');
    assert.equal(where.line, PYTHON_LINE);
    assert.equal(where.value, "'hello from python /breakpoint'");
    await vscode.window.showTextDocument(source, { preview: false });
    await new Promise((resolve) => setTimeout(resolve, 1000)); // let the editor paint the paused line
    await screenshot('e2e-debug-python');

    await stop!.session.customRequest('continue', { threadId: stop!.threadId });
    assert.equal((await response).trim(), 'hello from python /breakpoint', 'the request completes once continued');

    // A rollout replaces the pod: the session's connection drops, and a new session attaches to the new pod.
    const first = String(session.configuration.kubeWorkbenchTarget);
    await run('kubectl', ['--kubeconfig', kubeconfig, 'rollout', 'restart', `deployment/${PY}`], { timeout: 30_000 });
    const next = await waitFor(
      () =>
        sessions.find(
          // VS Code numbers a second session of the same name ("… (2)") while the first is still ending.
          (s) =>
            s.name.startsWith(session.name) && s.id !== session.id && s.configuration.kubeWorkbenchTarget !== first,
        ),
      (s) => s !== undefined,
      'a session on the new pod after the rollout',
      120_000,
    );
    const pod = String(next!.configuration.kubeWorkbenchTarget).split('/')[1] ?? '';
    const again = stops.length;
    const second = request(kubeconfig, pod, 8000, '/again');
    const stopAgain = await waitFor(
      () => stops[again],
      (s) => s !== undefined,
      'the breakpoint to be hit in the new pod',
      60_000,
    );
    assert.equal((await inspect(stopAgain!, 'greeting')).value, "'hello from python /again'");
    await stopAgain!.session.customRequest('continue', { threadId: stopAgain!.threadId });
    assert.equal((await second).trim(), 'hello from python /again');
  });

  test('a kube-workbench launch configuration on a Go Deployment: Delve starts in the pod (found by the Go build ID), a breakpoint stops a request', async function () {
    if (!docker) return this.skip();
    const app = vscode.Uri.joinPath(dir, 'go');
    await vscode.workspace.fs.createDirectory(app);
    const built = await goImage({ files: { 'main.go': GO_APP }, name: 'kube-workbench-e2e/go-debug-app' });
    await vscode.workspace.fs.writeFile(vscode.Uri.joinPath(app, 'main.go'), Buffer.from(GO_APP));
    const manifest = vscode.Uri.joinPath(app, 'app.yaml');
    // The command names a binary: nothing in the spec says Go, the running container's executable does.
    await vscode.workspace.fs.writeFile(manifest, Buffer.from(deployment(GO, built.ref, [built.binary], '/app')));
    const ran = await vscode.commands.executeCommand<{ error?: string; ready: boolean }>(
      'kubeWorkbench.applyFile',
      manifest,
    );
    assert.equal(ran.error, undefined, ran.error);

    const source = vscode.Uri.joinPath(app, 'main.go');
    vscode.debug.addBreakpoints([
      new vscode.SourceBreakpoint(new vscode.Location(source, new vscode.Position(GO_LINE - 1, 0))),
    ]);
    const name = 'Kube Workbench e2e: Go';
    const started = vscode.debug.startDebugging(vscode.workspace.workspaceFolders?.[0], {
      type: 'kube-workbench',
      request: 'attach',
      name,
      workload: `deployment/${GO}`,
      manifest: '${workspaceFolder}/debug-languages-e2e/go/app.yaml',
      // The program was compiled in another folder than the workspace's: map it.
      localRoot: '${workspaceFolder}/debug-languages-e2e/go',
      remoteRoot: built.buildDir,
    });
    assert.equal(await started, true, 'VS Code started the session');
    const session = await waitFor(
      () => sessions.find((s) => s.name === name),
      (s) => s !== undefined,
      'the Delve session',
    );
    assert.equal(session?.type, 'kube-workbench-dap');
    assert.equal(session.configuration.runtime, 'go');
    const target = String(session.configuration.kubeWorkbenchTarget ?? '');
    const pod = target.split('/')[1] ?? '';
    assert.match(pod, new RegExp(`^${GO}-`));

    const before = stops.length;
    const response = request(kubeconfig, pod, 8080, '/hi');
    const stop = await waitFor(
      () => stops[before],
      (s) => s !== undefined,
      'the breakpoint in handle to be hit',
      60_000,
    );
    const where = await inspect(stop!, 'message');
    assert.equal(filePath(where.path), source.path, 'the compiled path maps to the workspace file');
    assert.equal(where.line, GO_LINE);
    assert.equal(where.value, '"hello from go 43"');
    await vscode.window.showTextDocument(source, { preview: false });
    await new Promise((resolve) => setTimeout(resolve, 1000));
    await screenshot('e2e-debug-go');

    await stop!.session.customRequest('continue', { threadId: stop!.threadId });
    assert.equal((await response).trim(), 'hello from go 43');
  });
});
