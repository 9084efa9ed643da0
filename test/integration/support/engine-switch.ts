/**
 * A unix socket that forwards every connection to the machine's Docker
 * engine and can be turned off and on again: off, the socket file is gone
 * and open connections are cut, so a client pointed at it (`DOCKER_HOST`)
 * sees what it sees when dockerd is stopped (ENOENT, reset connections),
 * while the real engine, which other tests share, keeps running.
 *
 * The forwarding runs in a worker thread: the tests call kubectl with
 * spawnSync, which blocks their own thread for as long as kubectl runs (long
 * on a busy machine), and a proxy on that thread would stall the cluster's
 * every engine call meanwhile (exec probes then time out).
 */
import { Worker } from 'node:worker_threads';

const PROXY = `
const { parentPort, workerData } = require('node:worker_threads');
const { connect, createServer } = require('node:net');
const { rmSync } = require('node:fs');
const { path, target } = workerData;
let server;
const sockets = new Set();
async function on() {
  if (server) return;
  const s = createServer({ allowHalfOpen: true }, (client) => {
    const upstream = connect({ path: target, allowHalfOpen: true });
    const drop = () => {
      client.destroy();
      upstream.destroy();
      sockets.delete(client);
      sockets.delete(upstream);
    };
    for (const end of [client, upstream]) {
      sockets.add(end);
      end.on('error', drop);
      end.on('close', drop);
    }
    client.pipe(upstream);
    upstream.pipe(client);
  });
  rmSync(path, { force: true });
  await new Promise((resolve, reject) => {
    s.once('error', reject);
    s.listen(path, () => resolve());
  });
  server = s;
}
async function off() {
  const s = server;
  server = undefined;
  if (!s) return;
  const closed = new Promise((resolve) => s.close(() => resolve()));
  for (const end of sockets) end.destroy();
  sockets.clear();
  await closed;
  rmSync(path, { force: true });
}
parentPort.on('message', (command) => {
  (command === 'on' ? on() : off()).then(
    () => parentPort.postMessage({ ok: true }),
    (error) => parentPort.postMessage({ ok: false, error: String(error && error.message ? error.message : error) }),
  );
});
`;

export class EngineSwitch {
  private worker: Worker | undefined;

  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {}

  get dockerHost(): string {
    return `unix://${this.path}`;
  }

  on(): Promise<void> {
    return this.send('on');
  }

  /** The engine "stops": no new connections (the socket file is removed), open ones cut. */
  async off(): Promise<void> {
    if (this.worker) await this.send('off');
  }

  private send(command: 'on' | 'off'): Promise<void> {
    if (!this.worker) {
      this.worker = new Worker(PROXY, { eval: true, workerData: { path: this.path, target: this.target } });
      this.worker.unref(); // it never keeps the test process alive
    }
    const worker = this.worker;
    return new Promise((resolve, reject) => {
      worker.once('message', (answer: { ok: boolean; error?: string }) =>
        answer.ok ? resolve() : reject(new Error(`engine switch ${command}: ${answer.error ?? '?'}`)),
      );
      worker.postMessage(command);
    });
  }
}
