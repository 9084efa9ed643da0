/**
 * `kube-workbench cluster start` serves the API as soon as its store is
 * loaded, before the container runtime answers: with `--runtime docker` and
 * an engine socket that accepts connections but never replies, `GET /version`
 * answers while the runtime waits; when the engine ping then fails the
 * process exits 1 with the engine's message, closes the API and never prints
 * a kubeconfig or writes a ready record. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { once } from 'node:events';
import { existsSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { request } from 'node:https';
import { createServer, type AddressInfo, type Socket } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { BIN } from './support/cluster-process';

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** The status of GET /version, or the connection error's code. */
function version(port: number, token: string): Promise<number | string> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path: '/version',
        rejectUnauthorized: false,
        agent: false,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve(res.statusCode === 200 && body.includes('gitVersion') ? 200 : res.statusCode!));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve(e.code ?? e.message));
    req.end();
  });
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
    const child = spawn(
      process.execPath,
      [BIN, 'cluster', 'start', '--data-dir', dataDir, '--port', String(port), '--runtime', 'docker'],
      { env: { ...process.env, DOCKER_HOST: `unix://${engineSocket}` } },
    );
    let out = '';
    let err = '';
    child.stdout.on('data', (c: Buffer) => (out += c.toString()));
    child.stderr.on('data', (c: Buffer) => (err += c.toString()));
    const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
    let gone = false;
    void exited.then(() => (gone = true));
    const killer = setTimeout(() => child.kill('SIGKILL'), 40_000);
    try {
      // The token is made before the API listens.
      let answer: number | string = 'not tried';
      const deadline = Date.now() + 30_000;
      while (answer !== 200 && !gone && Date.now() < deadline) {
        if (existsSync(join(dataDir, 'token')))
          answer = await version(port, readFileSync(join(dataDir, 'token'), 'utf8').trim());
        if (answer !== 200) await new Promise((r) => setTimeout(r, 20));
      }
      assert.equal(answer, 200, `GET /version: ${answer}\n${err}`);
      assert.ok(held.length > 0, 'the runtime is still waiting for the engine');
      assert.doesNotMatch(out, /kubeconfig:/);
      assert.equal(existsSync(join(dataDir, 'ready.json')), false);

      const [code] = await exited;
      assert.equal(code, 1, err);
      assert.match(err, /No Docker engine answers on .*docker\.sock/);
      assert.doesNotMatch(out, /kubeconfig:/);
      assert.equal(existsSync(join(dataDir, 'ready.json')), false);
      assert.notEqual(await version(port, 'x'), 200, 'the API is closed');
    } finally {
      clearTimeout(killer);
      if (!gone) child.kill('SIGKILL');
    }
  });
});
