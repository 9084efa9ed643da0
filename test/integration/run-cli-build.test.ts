/**
 * `kube-workbench run PATH` on a Docker cluster, as a developer uses it: a
 * skaffold.yaml whose artifact is a Python web app built `FROM` a local image.
 * The run builds it, applies the manifests with the built image through the
 * cluster's kubeconfig (KUBECONFIG), exits 0 once the Deployment is ready and
 * the Service answers with the app's response; `.dockerignore` keeps a file
 * out of the image; an unchanged context is not rebuilt; a broken Dockerfile
 * fails with `Dockerfile:LINE` and applies nothing.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { pythonImage } from '../support/language-images.js';
import { BIN } from './support/cluster-process.js';
import { startDockerCluster, type DockerCluster } from './support/docker-cluster.js';
import { appSource, dockerfile, WEB_IMAGE, writePythonWorkspace } from './support/python-web-workspace.js';

interface RunResult {
  code: number | null;
  out: string;
  err: string;
}

describe('kube-workbench run (Docker)', { timeout: 180_000 }, () => {
  let dc: DockerCluster;
  let base = '';
  let root = '';
  let files: ReturnType<typeof writePythonWorkspace>;

  const run = (...args: string[]): Promise<RunResult> =>
    new Promise((resolve) => {
      const child = spawn(process.execPath, [BIN, 'run', ...args], {
        env: { ...process.env, KUBECONFIG: dc.cluster.kubeconfig },
        cwd: root,
      });
      let out = '';
      let err = '';
      child.stdout.on('data', (c: Buffer) => (out += c.toString()));
      child.stderr.on('data', (c: Buffer) => (err += c.toString()));
      child.on('close', (code) => resolve({ code, out, err }));
    });

  const deployedImage = () =>
    dc.kubectl(['get', 'deploy', 'py-web', '-o', 'jsonpath={.spec.template.spec.containers[0].image}']).out;

  const answer = async (): Promise<string> => {
    const port = dc.kubectl(['get', 'svc', 'py-web', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out;
    const res = await fetch(`http://127.0.0.1:${port}/`);
    return (await res.text()).trim();
  };

  before(async () => {
    base = await pythonImage();
    dc = await startDockerCluster();
    root = mkdtempSync(join(tmpdir(), 'kw-run-'));
    // The message carries the run's folder, so each run of this test builds its own image.
    files = writePythonWorkspace(root, base, 'py-web', `hello from ${root}`);
  });
  after(async () => {
    await dc?.destroy();
    if (root) rmSync(root, { recursive: true, force: true });
  });

  it('builds the app, applies it with the built image and exits 0 once its Service answers', async () => {
    const r = await run(root);
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.out, new RegExp(`building ${WEB_IMAGE}:kw-[0-9a-f]{16}`));
    assert.match(
      deployedImage(),
      new RegExp(`^${WEB_IMAGE}:kw-[0-9a-f]{16}$`),
      'the manifest on disk names the bare image',
    );
    // Ready means served: the Service answers at once, with the app's response; secret.txt was left out.
    assert.equal(await answer(), `hello from ${root} secret=False`);
  });

  it('does not rebuild an unchanged context (an ignored file may change)', async () => {
    const before = deployedImage();
    writeFileSync(files.secret, 'changed, but ignored\n');
    const r = await run(join(root, 'skaffold.yaml'));
    assert.equal(r.code, 0, `${r.out}\n${r.err}`);
    assert.match(r.out, /is up to date \(context unchanged, not rebuilt\)/);
    assert.doesNotMatch(r.out, /building /);
    assert.equal(deployedImage(), before);
  });

  it('fails a broken Dockerfile with Dockerfile:LINE and applies nothing', async () => {
    const before = deployedImage();
    writeFileSync(files.app, appSource('changed app that must not roll out'));
    // Line 3 fails when run; line 4 does not parse: the parse error is found first.
    writeFileSync(files.dockerfile, dockerfile(base, ['RUN echo building && exit 3']));
    const failedStep = await run(root);
    assert.equal(failedStep.code, 1, failedStep.out);
    assert.match(failedStep.err, /app\/Dockerfile:3: The command .*exit 3.* returned a non-zero code: 3/);
    assert.match(failedStep.err, /nothing was applied/);

    writeFileSync(files.dockerfile, dockerfile(base, ['RUN true', 'NOTANINSTRUCTION here']));
    const parseError = await run(root);
    assert.equal(parseError.code, 1, parseError.out);
    assert.match(parseError.err, /app\/Dockerfile:4: .*unknown instruction: NOTANINSTRUCTION/i);

    assert.equal(deployedImage(), before, 'the Deployment still runs the last good image');
    assert.equal(await answer(), `hello from ${root} secret=False`);
  });
});
