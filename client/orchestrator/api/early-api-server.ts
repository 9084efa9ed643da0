/**
 * The API's socket before the API is loaded: `cluster start` listens with this
 * first (a small bundle, cli/early-start.ts), answers `/version`, `/healthz` and
 * `/livez` at once, and parks every other request and upgrade, unanswered, until
 * the API server takes the socket over (`handOver`) and answers them in order of
 * arrival. kube-apiserver has no such stage: it answers nothing until its
 * handlers are installed; here a client sees the same answers, only sooner for
 * the three liveness paths and later (never wrong) for the rest.
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { createServer, type Server } from 'node:https';
import type { AddressInfo } from 'node:net';
import type { BoundPort } from './bound-port';
import type { Duplex } from 'node:stream';
import { authorized } from './bearer-token';
import { answerClientErrors } from './client-error';
import { serverTlsOptions } from './server-tls';
import { versionInfo } from './version-info';

export type RequestListener = (req: IncomingMessage, res: ServerResponse) => void;
export type UpgradeListener = (req: IncomingMessage, socket: Duplex, head: Buffer) => void;

export interface EarlyApiOptions {
  token: string;
  tls: { key: string; cert: string };
  port: number;
  host?: string;
  /**
   * The Kubernetes version asked for (`--kubernetes-version`): `/version` is then
   * parked too, since only the schemas say its patch number.
   */
  kubernetesVersion?: string;
  /** The port already bound (bound-port.ts): the https server listens on its handle instead. */
  bound?: BoundPort;
}

/** What the API server needs of an early socket (it may come from another bundle: no `instanceof`). */
export interface EarlyApi {
  readonly server: Server;
  readonly token: string;
  readonly tls: { key: string; cert: string };
  readonly host: string;
  readonly port: number;
  /** Gives the socket and every parked request and upgrade to the API's listeners. */
  handOver(onRequest: RequestListener, onUpgrade: UpgradeListener): void;
  close(): Promise<void>;
}

type Parked =
  | { kind: 'request'; req: IncomingMessage; res: ServerResponse }
  | { kind: 'upgrade'; req: IncomingMessage; socket: Duplex; head: Buffer };

const LIVENESS = new Set(['/healthz', '/livez']);

class EarlyApiServer implements EarlyApi {
  readonly server: Server;
  port = 0;
  private parked: Parked[] | undefined = [];
  private closed: Promise<void> | undefined;

  constructor(private readonly options: EarlyApiOptions) {
    this.server = createServer(serverTlsOptions(options.tls));
    this.server.keepAliveTimeout = 60_000;
    answerClientErrors(this.server);
    this.server.on('request', this.onRequest);
    this.server.on('upgrade', this.onUpgrade);
  }

  get token(): string {
    return this.options.token;
  }
  get tls(): { key: string; cert: string } {
    return this.options.tls;
  }
  get host(): string {
    return this.options.host ?? '127.0.0.1';
  }

  async listen(): Promise<this> {
    const bound = this.options.bound;
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      const listening = () => {
        this.server.off('error', reject);
        resolve();
      };
      if (bound) this.server.listen(bound.server, listening);
      else this.server.listen(this.options.port, this.host, listening);
    });
    // Connections the plain server took before the handover (paused, unread) start their TLS here.
    for (const socket of bound?.takeAccepted() ?? []) {
      this.server.emit('connection', socket);
      socket.resume();
    }
    this.port = (this.server.address() as AddressInfo).port;
    return this;
  }

  private readonly onRequest = (req: IncomingMessage, res: ServerResponse): void => {
    const path = (req.url ?? '').split('?')[0];
    if (req.method === 'GET' && authorized(req, this.options.token)) {
      if (path === '/version' && this.options.kubernetesVersion === undefined) {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify(versionInfo()));
        return;
      }
      if (LIVENESS.has(path!)) {
        res.writeHead(200, { 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('ok');
        return;
      }
    }
    this.parked?.push({ kind: 'request', req, res });
  };

  private readonly onUpgrade = (req: IncomingMessage, socket: Duplex, head: Buffer): void => {
    this.parked?.push({ kind: 'upgrade', req, socket, head });
  };

  handOver(onRequest: RequestListener, onUpgrade: UpgradeListener): void {
    const parked = this.parked ?? [];
    this.parked = undefined;
    this.server.off('request', this.onRequest);
    this.server.off('upgrade', this.onUpgrade);
    this.server.on('request', onRequest);
    this.server.on('upgrade', onUpgrade);
    for (const p of parked) {
      if (p.kind === 'request') onRequest(p.req, p.res);
      else onUpgrade(p.req, p.socket, p.head);
    }
  }

  close(): Promise<void> {
    return (this.closed ??= new Promise<void>((resolve) => {
      for (const p of this.parked ?? []) (p.kind === 'request' ? p.res : p.socket).destroy();
      this.parked = undefined;
      if (!this.server.listening) return resolve();
      this.server.close(() => resolve());
      this.server.closeAllConnections();
    }));
  }
}

/** Listens on the API's port (rejects when it is taken) and answers what it can until handed over. */
export function listenEarly(options: EarlyApiOptions): Promise<EarlyApi> {
  return new EarlyApiServer(options).listen();
}
