import * as assert from 'node:assert/strict';
import * as vscode from 'vscode';
import { appSource, dockerfile, writePythonWorkspace } from '../../integration/support/python-web-workspace.js';
import type { KubeApi } from '../shared/kube-api.js';
import {
  resetRuntimeSetting,
  setUpPythonClusterSuite,
  tearDownPythonClusterSuite,
} from '../shared/python-cluster-suite.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';

const NAME = 'py-web-e2e';
const LONG = 180_000;

interface ApplyFileResult {
  applied: { kind: string; name: string; action: string }[];
  ready: boolean;
  error?: string;
}

suite('Run builds: a workspace with a Dockerfile and skaffold.yaml', function () {
  this.timeout(LONG);
  let kube: KubeApi | undefined;
  let dir: vscode.Uri;
  let base = '';
  let files: ReturnType<typeof writePythonWorkspace>;

  const deployedImage = async (): Promise<string> => {
    const r = await kube!.call('GET', `/apis/apps/v1/namespaces/default/deployments/${NAME}`);
    const spec = (r.json as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }).spec;
    return spec?.template?.spec?.containers?.[0]?.image ?? '';
  };

  const answer = async (): Promise<string> => {
    const r = await kube!.call('GET', `/api/v1/namespaces/default/services/${NAME}`);
    const port = (r.json as { spec?: { ports?: { nodePort?: number }[] } }).spec?.ports?.[0]?.nodePort;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return (await res.text()).trim();
  };

  suiteSetup(async function () {
    const set = await setUpPythonClusterSuite('run-build', 'build-e2e');
    if (!set) return;
    ({ kube, base, dir } = set);
    files = writePythonWorkspace(dir.fsPath, base, NAME, 'hello from the editor');
  });

  suiteTeardown(async function () {
    if (!kube) return;
    await tearDownPythonClusterSuite(kube, NAME, dir);
    await resetRuntimeSetting();
  });

  test('Run Folder builds the image its manifest names and serves it through its Service', async function () {
    if (!kube) return this.skip(); // needs real containers
    // The folder holds the skaffold.yaml too: it says how to build, and is not applied.
    const result = await vscode.commands.executeCommand<ApplyFileResult>('kubeWorkbench.runFolder', dir);
    assert.equal(result.error, undefined, result.error);
    assert.equal(result.ready, true);
    assert.deepEqual(
      result.applied.map((a) => `${a.kind} ${a.name} ${a.action}`),
      [`Service ${NAME} created`, `Deployment ${NAME} created`],
    );
    assert.match(await deployedImage(), /^kw-test\/py-web:kw-[0-9a-f]{16}$/, 'the built image runs');
    assert.equal(await answer(), 'hello from the editor secret=False');
  });

  test('a broken Dockerfile puts a diagnostic on its line and applies nothing', async function () {
    if (!kube) return this.skip();
    const before = await deployedImage();
    await vscode.workspace.fs.writeFile(vscode.Uri.file(files.app), Buffer.from(appSource('must not roll out')));
    await vscode.workspace.fs.writeFile(
      vscode.Uri.file(files.dockerfile),
      Buffer.from(dockerfile(base, ['RUN echo building && exit 3'])),
    );
    const manifest = vscode.Uri.joinPath(dir, 'k8s', 'web.yaml');
    const result = await vscode.commands.executeCommand<ApplyFileResult>('kubeWorkbench.applyFile', manifest);
    assert.equal(result.ready, false);
    assert.match(result.error ?? '', /nothing was applied/);
    assert.match(result.error ?? '', /Dockerfile:3: The command .* returned a non-zero code: 3/);
    const dockerfileUri = vscode.Uri.file(files.dockerfile);
    const diagnostics = await waitFor(
      () => vscode.languages.getDiagnostics(dockerfileUri),
      (list) => list.length > 0,
      'a diagnostic on the Dockerfile',
    );
    assert.equal(diagnostics[0]!.range.start.line, 2, 'on the failing RUN line (0-based 2)');
    assert.equal(diagnostics[0]!.severity, vscode.DiagnosticSeverity.Error);
    assert.match(diagnostics[0]!.message, /returned a non-zero code: 3/);
    assert.equal(await deployedImage(), before, 'the Deployment keeps the last good image');
    assert.equal(await answer(), 'hello from the editor secret=False');
    await vscode.window.showTextDocument(dockerfileUri);
    await vscode.commands.executeCommand('workbench.actions.view.problems');
    await screenshot('run-build-dockerfile-error');
  });
});
