/**
 * `kube-workbench cluster start` as a child process the test watches from the
 * outside, for the tests of what happens while it starts: a free port to give
 * it, its output as it comes, whether it is gone, a raw HTTPS GET that reports
 * a refused connection as data, and a kill switch that makes sure no child
 * outlives the test.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { once } from 'node:events';
import { request } from 'node:https';
import { createServer, type AddressInfo } from 'node:net';
import { BIN } from './cluster-process';

export function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const s = createServer();
    s.once('error', reject);
    s.listen(0, '127.0.0.1', () => {
      const { port } = s.address() as AddressInfo;
      s.close(() => resolve(port));
    });
  });
}

/** GET over HTTPS with a bearer token: the status, or the connection error's code, and the body. */
export function getWithToken(
  port: number,
  path: string,
  token: string,
): Promise<{ status: number | string; body: string }> {
  return new Promise((resolve) => {
    const req = request(
      {
        host: '127.0.0.1',
        port,
        path,
        rejectUnauthorized: false,
        agent: false,
        headers: { authorization: `Bearer ${token}` },
      },
      (res) => {
        let body = '';
        res.on('data', (c: Buffer) => (body += c.toString()));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, body }));
      },
    );
    req.on('error', (e: NodeJS.ErrnoException) => resolve({ status: e.code ?? e.message, body: '' }));
    req.end();
  });
}

export interface StartingCluster {
  readonly child: ChildProcess;
  out(): string;
  err(): string;
  gone(): boolean;
  /** The exit code and signal, once it has exited. */
  readonly exited: Promise<[number | null, NodeJS.Signals | null]>;
  /** Kills it if it still runs (call in `finally`). */
  dispose(): void;
}

/** Spawns `cluster start ARGS`; it is killed after `killAfterMs` whatever happens. */
export function spawnClusterStart(
  args: readonly string[],
  env: NodeJS.ProcessEnv = process.env,
  killAfterMs = 40_000,
): StartingCluster {
  const child = spawn(process.execPath, [BIN, 'cluster', 'start', ...args], { env });
  let out = '';
  let err = '';
  let gone = false;
  child.stdout.on('data', (c: Buffer) => (out += c.toString()));
  child.stderr.on('data', (c: Buffer) => (err += c.toString()));
  const exited = once(child, 'exit') as Promise<[number | null, NodeJS.Signals | null]>;
  void exited.then(() => (gone = true));
  const killer = setTimeout(() => child.kill('SIGKILL'), killAfterMs);
  return {
    child,
    out: () => out,
    err: () => err,
    gone: () => gone,
    exited,
    dispose: () => {
      clearTimeout(killer);
      if (!gone) child.kill('SIGKILL');
    },
  };
}
