/**
 * `kube-workbench cluster start` serves the API as soon as its store is
 * loaded, before the container runtime answers: with `--runtime docker` and
 * an engine socket that accepts connections but never replies, `GET /version`
 * answers while the runtime waits; when the engine ping then fails the
 * process exits 1 with the engine's message, closes the API and never prints
 * a kubeconfig or writes a ready record. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createServer, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { freePort, getWithToken, spawnClusterStart } from './support/cluster-start-child';

/** The status of GET /version (200 only with a version in the body), or the connection error's code. */
async function version(port: number, token: string): Promise<number | string> {
  const { status, body } = await getWithToken(port, '/version', token);
  return status === 200 && !body.includes('gitVersion') ? 0 : status;
}

describe('cluster start: the API before the runtime', () => {
  const dir = mkdtempSync(join(tmpdir(), 'kw-start-order-'));
  const engineSocket = join(dir, 'docker.sock');
  const held: Socket[] = [];
  // An "engine" that takes every connection and never answers.
  const silentEngine = createServer((socket) => {
    held.push(socket);
    socket.on('error', () => undefined);
  });
  after(async () => {
    for (const s of held) s.destroy();
    await new Promise((r) => silentEngine.close(r));
    rmSync(dir, { recursive: true, force: true });
  });

  it('answers GET /version while the engine has not answered, then exits 1 without a kubeconfig', async () => {
    await new Promise<void>((r) => silentEngine.listen(engineSocket, r));
    const dataDir = join(dir, 'data');
    const port = await freePort();
    const cluster = spawnClusterStart(['--data-dir', dataDir, '--port', String(port), '--runtime', 'docker'], {
      ...process.env,
      DOCKER_HOST: `unix://${engineSocket}`,
    });
    try {
      // The token is made before the API listens.
      let answer: number | string = 'not tried';
      const deadline = Date.now() + 30_000;
      while (answer !== 200 && !cluster.gone() && Date.now() < deadline) {
        if (existsSync(join(dataDir, 'token')))
          answer = await version(port, readFileSync(join(dataDir, 'token'), 'utf8').trim());
        if (answer !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(answer, 200, `GET /version: ${answer}\n${cluster.err()}`);
      assert.ok(held.length > 0, 'the runtime is still waiting for the engine');
      assert.doesNotMatch(cluster.out(), /kubeconfig:/);
      assert.equal(existsSync(join(dataDir, 'ready.json')), false);

      const [code] = await cluster.exited;
      assert.equal(code, 1, cluster.err());
      assert.match(cluster.err(), /No Docker engine answers on .*docker\.sock/);
      assert.doesNotMatch(cluster.out(), /kubeconfig:/);
      assert.equal(existsSync(join(dataDir, 'ready.json')), false);
      assert.notEqual(await version(port, 'x'), 200, 'the API is closed');
    } finally {
      cluster.dispose();
    }
  });
});
