import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { DockerClient } from '../../client/orchestrator/kubelet/docker-client.js';
import { ensureBusyboxImage } from './support/test-image.js';

// Unique per run, so a container left by an interrupted run never confuses this one.
const TEST_LABEL = { 'kube-workbench.test': `docker-smoke-${process.pid}-${Date.now()}` };

describe('Docker engine set-up', () => {
  it('scripts/setup/docker.sh starts dockerd when none answers on the socket', async () => {
    // A private engine on its own socket, in its own network namespace, stands
    // in for "no engine running": the machine's engine (and its docker0 bridge,
    // which other suites use) is left alone.
    const root = mkdtempSync(join(tmpdir(), 'kw-dockerd-'));
    const socket = join(root, 'docker.sock');
    const env = { ...process.env, KW_DOCKER_SOCKET: socket, KW_DOCKER_ROOT: root };
    try {
      assert.equal(existsSync(socket), false, 'no engine before set-up');
      const first = spawnSync('unshare', ['--net', 'bash', 'scripts/setup/docker.sh'], { env, encoding: 'utf8' });
      assert.equal(first.status, 0, first.stderr);
      assert.match(first.stderr, /starting dockerd/);

      const engine = new DockerClient(socket);
      await engine.ping();
      assert.match(await engine.serverVersion(), /^\d+\.\d+/);

      // Idempotent: a second run finds the engine and starts nothing.
      const second = spawnSync('bash', ['scripts/setup/docker.sh'], { env, encoding: 'utf8' });
      assert.equal(second.status, 0, second.stderr);
      assert.doesNotMatch(second.stderr, /starting dockerd/);
    } finally {
      stopPrivateEngine(root);
      rmSync(root, { recursive: true, force: true });
    }
  });
});

describe('containers through dockerode', () => {
  const docker = new DockerClient();
  const started: string[] = [];
  after(async () => {
    for (const id of started) await docker.remove(id).catch(() => undefined);
  });

  it('builds a local image with docker import and serves HTTP from a container on 127.0.0.1', async () => {
    await docker.ping();
    const image = await ensureBusyboxImage(docker);
    assert.ok(await docker.imageExists(image), `${image} exists after import`);

    const container = await docker.run({
      image,
      cmd: ['/bin/httpd', '-f', '-p', '8080', '-h', '/www'],
      labels: TEST_LABEL,
      publish: { 8080: 0 },
    });
    started.push(container.id);
    const port = container.ports.get(8080);
    assert.ok(port !== undefined && port > 0, 'port 8080 is published on the host');

    const body = await getWithRetry(`http://127.0.0.1:${port}/index.html`);
    assert.equal(body, 'hello from kube-workbench\n');
    assert.deepEqual(await docker.listByLabels(TEST_LABEL), [container.id]);
  });
});

/** The container's server needs a moment to bind: retry until it answers (bounded). */
async function getWithRetry(url: string): Promise<string> {
  let lastError: unknown;
  for (let attempt = 0; attempt < 50; attempt++) {
    try {
      const response = await fetch(url);
      return await response.text();
    } catch (error) {
      lastError = error;
      await new Promise((r) => setTimeout(r, 100));
    }
  }
  throw new Error(`no answer from ${url}: ${String(lastError)}`);
}

function stopPrivateEngine(root: string): void {
  const pidFile = join(root, 'dockerd.pid');
  if (!existsSync(pidFile)) return;
  const pid = Number.parseInt(readFileSync(pidFile, 'utf8'), 10);
  try {
    process.kill(pid, 'SIGTERM');
  } catch {
    return;
  }
  for (let i = 0; i < 100; i++) {
    try {
      process.kill(pid, 0);
      execFileSync('sleep', ['0.1']);
    } catch {
      return;
    }
  }
  process.kill(pid, 'SIGKILL');
}
