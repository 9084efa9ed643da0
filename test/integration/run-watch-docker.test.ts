/**
 * `kube-workbench run --watch` on real Docker, with kubectl looking on: a
 * skaffold.yaml project (busybox httpd serving index.html, `sync.infer` for
 * HTML) is built and rolled out; saving index.html syncs it into the running
 * container (the Service answers the new text, same pod); editing the
 * Dockerfile rebuilds and rolls out a new pod; Ctrl+C stops the watch and the
 * workload keeps running. The printed lines say each step.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { writeFileSync } from 'node:fs';
import { request } from 'node:http';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { BIN } from './support/cluster-process.js';
import { eventually, startDockerCluster, type DockerCluster } from './support/docker-cluster.js';
import { httpdDockerfile, writeHttpdProject } from './support/httpd-workspace.js';

const IMAGE = 'kube-workbench-test/watch-web';

function get(port: number): Promise<string> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path: '/', headers: { connection: 'close' } }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (c: string) => (body += c));
      res.on('end', () => resolve(body.trim()));
    });
    req.setTimeout(5000, () => req.destroy(new Error('no answer in 5 s')));
    req.on('error', reject);
    req.end();
  });
}

describe('kube-workbench run --watch on Docker', () => {
  let dc: DockerCluster;
  let project = '';
  let watch: ChildProcessWithoutNullStreams;
  let out = '';
  let err = '';
  let nodePort = 0;

  const printed = (pattern: RegExp, what: string) =>
    eventually(`${what} (printed so far:\n${out}\n${err})`, 45, () => pattern.exec(out) ?? undefined);
  /** The names of the app's Running pods that are not being deleted, space-separated. */
  const runningPods = () => {
    const list = JSON.parse(dc.kubectl(['get', 'pods', '-l', 'app=watch-web', '-o', 'json']).out) as {
      items: { metadata: { name: string; deletionTimestamp?: string }; status?: { phase?: string } }[];
    };
    return list.items
      .filter((p) => p.status?.phase === 'Running' && !p.metadata.deletionTimestamp)
      .map((p) => p.metadata.name)
      .sort()
      .join(' ');
  };

  before(async () => {
    dc = await startDockerCluster();
    project = join(dc.root, 'project');
    writeHttpdProject(project, { base: dc.image, image: IMAGE, name: 'watch-web', text: 'version one\n' });
    watch = spawn(process.execPath, [BIN, 'run', '--watch', project], {
      env: { ...process.env, KUBECONFIG: dc.cluster.kubeconfig },
    });
    watch.stdout.setEncoding('utf8').on('data', (c: string) => (out += c));
    watch.stderr.setEncoding('utf8').on('data', (c: string) => (err += c));
  });
  after(async () => {
    if (watch && watch.exitCode === null) watch.kill('SIGKILL');
    await dc?.destroy();
    const tags = execFileSync('docker', ['images', IMAGE, '--format', '{{.Repository}}:{{.Tag}}'], {
      encoding: 'utf8',
    });
    for (const tag of tags.split('\n').filter((t) => t !== ''))
      execFileSync('docker', ['rmi', tag], { stdio: 'ignore' });
  });

  it('builds, rolls out and serves the first version', async () => {
    await printed(/^ready$/m, 'the first run to be ready');
    assert.match(out, new RegExp(`built ${IMAGE} in [\\d.]+ s, rolling out`));
    assert.match(out, /watching \d+ folders? for changes to kube-workbench-test\/watch-web/);
    nodePort = Number(dc.kubectl(['get', 'svc', 'watch-web', '-o', 'jsonpath={.spec.ports[0].nodePort}']).out);
    assert.equal(await get(nodePort), 'version one');
  });

  it('syncs a saved file into the running pod: the Service answers the new text from the same pod', async () => {
    const pods = runningPods();
    assert.match(pods, /^watch-web-\S+$/);
    writeFileSync(join(project, 'index.html'), 'version two\n');
    await printed(/^synced 1 file to 1 pod in \d+ ms$/m, 'the sync line');
    assert.equal(await eventually('the new text', 10, async () => (await get(nodePort)) === 'version two'), true);
    assert.equal(runningPods(), pods);
    assert.doesNotMatch(out, /rebuilding/);
  });

  it('rebuilds and rolls out a new pod when the Dockerfile changes', async () => {
    const before = runningPods();
    const imageBefore = dc.kubectl(['get', 'deploy', 'watch-web', '-o', 'jsonpath={..containers[0].image}']).out;
    writeFileSync(join(project, 'Dockerfile'), httpdDockerfile(dc.image, `ENV EDITION=${Date.now()}`)); // never built before
    await printed(new RegExp(`^rebuilt ${IMAGE} in [\\d.]+ s, rolling out$`, 'm'), 'the rebuild line');
    // The first run printed a rollout line too: wait for the one after the rebuild.
    await printed(
      new RegExp(`^rebuilt ${IMAGE} in [\\d.]+ s, rolling out$[\\s\\S]*^rolled out ${IMAGE} in [\\d.]+ s$`, 'm'),
      'the rollout line after the rebuild',
    );
    const imageAfter = dc.kubectl(['get', 'deploy', 'watch-web', '-o', 'jsonpath={..containers[0].image}']).out;
    assert.notEqual(imageAfter, imageBefore);
    assert.match(imageAfter, new RegExp(`^${IMAGE}:kw-[0-9a-f]{16}$`));
    const after = await eventually('only the new pod', 20, () => {
      const now = runningPods();
      return /^watch-web-\S+$/.test(now) && now !== before && now;
    });
    assert.notEqual(after, before);
    // The new image holds the synced edit: it was built from the context.
    assert.equal(await get(nodePort), 'version two');
  });

  it('stops on Ctrl+C with exit code 0; the workload keeps running', async () => {
    const exited = new Promise<number | null>((resolve) => watch.on('exit', (code) => resolve(code)));
    watch.kill('SIGINT');
    assert.equal(await exited, 0, err);
    assert.match(out, /dev mode stopped \(the workloads keep running\)/);
    assert.match(runningPods(), /^watch-web-\S+$/);
    assert.equal(await get(nodePort), 'version two');
  });
});
