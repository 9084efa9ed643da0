import * as assert from 'node:assert/strict';
import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as vscode from 'vscode';
import { manifest } from '../../integration/support/python-web-workspace.js';
import type { KubeApi } from '../shared/kube-api.js';
import {
  resetRuntimeSetting,
  setUpPythonClusterSuite,
  tearDownPythonClusterSuite,
} from '../shared/python-cluster-suite.js';
import { screenshot } from '../shared/screenshot.js';
import { waitFor } from '../shared/wait-for.js';

const NAME = 'py-dev-e2e';
const IMAGE = 'kw-test/py-dev';
const LONG = 240_000;

/** A Python app that answers the text of message.txt, read on every request (so a synced file shows at once). */
const APP = [
  'import http.server',
  'class Handler(http.server.BaseHTTPRequestHandler):',
  '    def do_GET(self):',
  '        body = open("/app/message.txt", "rb").read()',
  '        self.send_response(200)',
  '        self.send_header("Content-Length", str(len(body)))',
  '        self.end_headers()',
  '        self.wfile.write(body)',
  '    def log_message(self, *args):',
  '        pass',
  'http.server.ThreadingHTTPServer(("", 8080), Handler).serve_forever()',
  '',
].join('\n');

const dockerfile = (base: string, extra = '') =>
  [`FROM ${base}`, 'WORKDIR /app', 'COPY . /app/', extra, 'CMD ["python3", "/app/app.py"]', ''].join('\n');

interface DevResult {
  ok: boolean;
  error?: string;
  lines: string[];
}

suite('Dev mode: sync a saved file, rebuild on a Dockerfile edit', function () {
  this.timeout(LONG);
  let kube: KubeApi | undefined;
  let dir: vscode.Uri;
  let base = '';

  const deployedImage = async (): Promise<string> => {
    const r = await kube!.call('GET', `/apis/apps/v1/namespaces/default/deployments/${NAME}`);
    const spec = (r.json as { spec?: { template?: { spec?: { containers?: { image?: string }[] } } } }).spec;
    return spec?.template?.spec?.containers?.[0]?.image ?? '';
  };
  const answer = async (): Promise<string> => {
    const r = await kube!.call('GET', `/api/v1/namespaces/default/services/${NAME}`);
    const port = (r.json as { spec?: { ports?: { nodePort?: number }[] } }).spec?.ports?.[0]?.nodePort;
    const res = await fetch(`http://127.0.0.1:${port}/`).catch(() => undefined);
    return res ? (await res.text()).trim() : '';
  };
  const runningPods = async (): Promise<string> => {
    const r = await kube!.call('GET', `/api/v1/namespaces/default/pods?labelSelector=app%3D${NAME}`);
    const items = (
      r.json as { items?: { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } }[] }
    ).items;
    return (items ?? [])
      .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name)
      .sort()
      .join(' ');
  };

  suiteSetup(async function () {
    const set = await setUpPythonClusterSuite('dev-mode', 'dev-e2e');
    if (!set) return;
    ({ kube, base, dir } = set);
    const root = dir.fsPath;
    mkdirSync(join(root, 'app'), { recursive: true });
    mkdirSync(join(root, 'k8s'), { recursive: true });
    writeFileSync(join(root, 'app', 'Dockerfile'), dockerfile(base));
    writeFileSync(join(root, 'app', 'app.py'), APP);
    writeFileSync(join(root, 'app', 'message.txt'), 'first edition\n');
    writeFileSync(join(root, 'k8s', 'web.yaml'), manifest(NAME, IMAGE));
    writeFileSync(
      join(root, 'skaffold.yaml'),
      [
        'apiVersion: skaffold/v4beta11',
        'kind: Config',
        'build:',
        '  artifacts:',
        `    - image: ${IMAGE}`,
        '      context: app',
        '      sync:',
        "        infer: ['*.txt']",
        'manifests:',
        '  rawYaml: [k8s/*.yaml]',
        '',
      ].join('\n'),
    );
  });

  suiteTeardown(async function () {
    if (!kube) return;
    await vscode.commands.executeCommand('kubeWorkbench.stopDevMode');
    await tearDownPythonClusterSuite(kube, NAME, dir);
    // The images this run built (a stopped cluster's containers may still hold one: then it stays).
    const tags = execFileSync('docker', ['images', IMAGE, '--format', '{{.Repository}}:{{.Tag}}'], {
      encoding: 'utf8',
    });
    for (const tag of tags.split('\n').filter((t) => t !== ''))
      try {
        execFileSync('docker', ['rmi', tag], { stdio: 'ignore' });
      } catch {
        console.log(`cleanup: ${tag} is still in use`);
      }
    await resetRuntimeSetting();
  });

  test('Run in Dev Mode on skaffold.yaml builds, serves, syncs a save into the same pod, and rolls out a Dockerfile edit', async function () {
    if (!kube) return this.skip(); // needs real containers
    const skaffold = vscode.Uri.joinPath(dir, 'skaffold.yaml');
    await vscode.window.showTextDocument(skaffold);
    const started = await vscode.commands.executeCommand<DevResult>('kubeWorkbench.runDevMode', skaffold);
    assert.equal(started.ok, true, `${started.error ?? ''}\n${started.lines.join('\n')}`);
    assert.match(await deployedImage(), /^kw-test\/py-dev:kw-[0-9a-f]{16}$/);
    assert.equal(await answer(), 'first edition');
    const pods = await runningPods();
    assert.match(pods, new RegExp(`^${NAME}-\\S+$`));

    // A save that sync.infer covers: the new text, from the same pod.
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(dir, 'app', 'message.txt'),
      Buffer.from('second edition\n'),
    );
    await waitFor(answer, (a) => a === 'second edition', 'the synced text');
    assert.equal(await runningPods(), pods, 'no new pod');
    const status = await waitFor(
      async () => await vscode.commands.executeCommand<{ status: string }>('kubeWorkbench.readDevMode'),
      (s) => s.status.includes('synced'),
      'the status bar to say what was synced',
    );
    assert.match(status.status, /^\$\(check\) Dev: synced 1 file to 1 pod in \d+ ms$/);
    await screenshot('dev-mode-synced');

    // A Dockerfile edit: rebuilt and rolled out to a new pod.
    const image = await deployedImage();
    await vscode.workspace.fs.writeFile(
      vscode.Uri.joinPath(dir, 'app', 'Dockerfile'),
      Buffer.from(dockerfile(base, `ENV EDITION=${Date.now()}`)), // never built before: a real rebuild
    );
    await waitFor(deployedImage, (i) => i !== image && /:kw-[0-9a-f]{16}$/.test(i), 'the rebuilt image', 120_000);
    const after = await waitFor(runningPods, (p) => p !== '' && p !== pods && !p.includes(' '), 'the new pod', 60_000);
    assert.notEqual(after, pods);
    assert.equal(await answer(), 'second edition');

    // A Dockerfile whose step fails: the error on that line in Problems, the workload left running; fixed, it clears.
    const dockerfileUri = vscode.Uri.joinPath(dir, 'app', 'Dockerfile');
    const broken = dockerfile(base, 'RUN exit 3');
    const failingLine = broken.split('\n').indexOf('RUN exit 3');
    await vscode.workspace.fs.writeFile(dockerfileUri, Buffer.from(broken));
    const problems = await waitFor(
      () => Promise.resolve(vscode.languages.getDiagnostics(dockerfileUri)),
      (d) => d.length > 0,
      'the failed step in Problems',
      120_000,
    );
    assert.equal(problems[0]?.range.start.line, failingLine, problems[0]?.message);
    assert.equal(problems[0]?.severity, vscode.DiagnosticSeverity.Error);
    assert.equal(await answer(), 'second edition', 'the running pod is left alone');
    await vscode.workspace.fs.writeFile(dockerfileUri, Buffer.from(dockerfile(base, `ENV EDITION=${Date.now()}`)));
    await waitFor(
      () => Promise.resolve(vscode.languages.getDiagnostics(dockerfileUri)),
      (d) => d.length === 0,
      'Problems cleared by the next build',
      120_000,
    );

    const stopped = await vscode.commands.executeCommand<{ lines: string[] }>('kubeWorkbench.stopDevMode');
    const text = stopped.lines.join('\n');
    assert.match(text, /^synced 1 file to 1 pod in \d+ ms$/m);
    assert.match(text, /^rebuilt kw-test\/py-dev in [\d.]+ s, rolling out$/m);
    assert.match(text, /^rebuild failed: \S*app\/Dockerfile:\d+: The command .*exit 3.* returned a non-zero code: 3$/m);
    assert.match(text, /^dev mode stopped \(the workloads keep running\)$/m);
    assert.equal(await answer(), 'second edition', 'the workload keeps running');
  });
});
