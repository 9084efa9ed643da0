/**
 * A unix socket that forwards every connection to the machine's Docker
 * engine and can be turned off and on again: off, the socket file is gone
 * and open connections are cut, so a client pointed at it (`DOCKER_HOST`)
 * sees what it sees when dockerd is stopped (ENOENT, reset connections),
 * while the real engine, which other tests share, keeps running.
 */
import { rmSync } from 'node:fs';
import { connect, createServer, type Server, type Socket } from 'node:net';

export class EngineSwitch {
  private server: Server | undefined;
  private readonly sockets = new Set<Socket>();

  constructor(
    readonly path: string,
    private readonly target = '/var/run/docker.sock',
  ) {}

  get dockerHost(): string {
    return `unix://${this.path}`;
  }

  async on(): Promise<void> {
    if (this.server) return;
    const server = createServer({ allowHalfOpen: true }, (client) => {
      const upstream = connect({ path: this.target, allowHalfOpen: true });
      const drop = () => {
        client.destroy();
        upstream.destroy();
        this.sockets.delete(client);
        this.sockets.delete(upstream);
      };
      for (const s of [client, upstream]) {
        this.sockets.add(s);
        s.on('error', drop);
        s.on('close', drop);
      }
      client.pipe(upstream);
      upstream.pipe(client);
    });
    rmSync(this.path, { force: true });
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(this.path, () => resolve());
    });
    this.server = server;
  }

  /** The engine "stops": no new connections (the socket file is removed), open ones cut. */
  async off(): Promise<void> {
    const server = this.server;
    this.server = undefined;
    if (!server) return;
    const closed = new Promise<void>((resolve) => server.close(() => resolve()));
    for (const s of this.sockets) s.destroy();
    this.sockets.clear();
    await closed;
    rmSync(this.path, { force: true });
  }
}
