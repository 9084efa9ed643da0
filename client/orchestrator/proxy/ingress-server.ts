/**
 * The cluster's one HTTP entry on 127.0.0.1: routes each request by host and
 * path (`ingress-routes.ts`) to a Service port, checks that the Service has
 * ready endpoints, and forwards to the Service's proxy (the address the
 * runtime gives: on Docker the proxy container on the cluster network).
 * Answers 404 when no rule matches and 503 when the Service, its port or its
 * ready endpoints are missing, saying which. WebSocket (and any other)
 * upgrades are piped through as raw sockets. Ingresses, Services and
 * Endpoints come from informers, so routing follows changes at once.
 */
import { Agent, createServer, request, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { connect, type AddressInfo, type Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { Informer } from '../machinery/informer';
import { isObject } from '../store/object';
import { readyEndpoints, type ServiceTarget } from './ready-endpoints';
import type { CountedTarget, RequestMetrics } from './request-metrics';
import { buildRouteTable, hostOf, route, type IngressBackend, type IngressRouteTable } from './ingress-routes';
import { upstreamHeaders } from './upstream-headers';

export interface IngressServerOptions {
  ingresses: Informer;
  services: Informer;
  endpoints: Informer;
  /** Where a Service port is served; undefined when nothing runs the Service (the fake runtime). */
  serviceAddress(namespace: string, service: string, port: number): Promise<ServiceTarget | undefined>;
  /** Called when a target refused a connection (a cached address may be stale). */
  targetFailed?(namespace: string, service: string): void;
  /** 0 (or unset): a free port. */
  port?: number;
  /**
   * Whether pod IPs are reachable from this process (Docker on Linux: the cluster
   * bridge is a local interface). Then requests go straight to a ready endpoint,
   * round robin, saving the hop through the Service proxy.
   */
  podIpsReachable?: boolean;
  /** Where requests are counted per Ingress, Service and pod (the pod only when forwarded to it directly). */
  metrics?: RequestMetrics;
}

export interface RunningIngressServer {
  port: number;
  url: string;
  close(): Promise<void>;
}

type Resolved =
  { ok: true; target: ServiceTarget; backend: IngressBackend } | { ok: false; code: number; text: string };

export class IngressServer {
  private readonly server: Server;
  private readonly agent = new Agent({ keepAlive: true, maxSockets: 256 });
  private table: IngressRouteTable | undefined;
  private readonly upgraded = new Set<Duplex>();
  private readonly unsubscribe: (() => void)[] = [];
  private turn = 0;

  constructor(private readonly o: IngressServerOptions) {
    const dirty = () => (this.table = undefined);
    this.unsubscribe.push(o.ingresses.addHandlers({ onAdd: dirty, onUpdate: dirty, onDelete: dirty }));
    this.server = createServer((req, res) => void this.handle(req, res));
    this.server.keepAliveTimeout = 60_000;
    this.server.on('upgrade', (req: IncomingMessage, socket: Duplex, head: Buffer) => {
      void this.upgrade(req, socket, head);
    });
  }

  async listen(): Promise<RunningIngressServer> {
    await new Promise<void>((resolve, reject) => {
      this.server.once('error', reject);
      this.server.listen(this.o.port ?? 0, '127.0.0.1', () => resolve());
    });
    const { port } = this.server.address() as AddressInfo;
    return {
      port,
      url: `http://127.0.0.1:${port}`,
      close: () =>
        new Promise<void>((resolve) => {
          for (const u of this.unsubscribe.splice(0)) u();
          for (const s of this.upgraded) s.destroy();
          this.agent.destroy();
          this.server.close(() => resolve());
          this.server.closeAllConnections();
        }),
    };
  }

  /** Which Service address a request goes to, or the status and text that say what is missing. */
  private async resolve(req: IncomingMessage): Promise<Resolved> {
    this.table ??= buildRouteTable(this.o.ingresses.list());
    const host = hostOf(req.headers.host);
    const path = new URL(req.url ?? '/', 'http://x').pathname;
    const hit = route(this.table, host, path);
    if (!hit) return { ok: false, code: 404, text: `no Ingress rule matches host ${host} path ${path}` };
    const b = hit.backend;
    const name = `${b.namespace}/${b.service}`;
    const svc = this.o.services.get(b.namespace, b.service);
    if (!svc) return { ok: false, code: 503, text: `Service ${name} (from Ingress ${b.ingress}) does not exist` };
    const spec = isObject(svc.spec) ? svc.spec : {};
    const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
    const sp = ports.find((p) => (typeof b.port === 'number' ? p.port === b.port : p.name === b.port));
    if (!sp) return { ok: false, code: 503, text: `Service ${name} has no port ${String(b.port)}` };
    const ready = readyEndpoints(this.o.endpoints.get(b.namespace, b.service), sp);
    if (ready.length === 0) return { ok: false, code: 503, text: `Service ${name} has no ready endpoints` };
    if (this.o.podIpsReachable) {
      const direct = ready[this.turn++ % ready.length];
      if (direct) return { ok: true, target: direct, backend: b };
    }
    const target = await this.o.serviceAddress(b.namespace, b.service, Number(sp.port));
    if (!target)
      return {
        ok: false,
        code: 503,
        text: `Service ${name} has ready endpoints but no proxy to forward to (is the runtime running containers?)`,
      };
    return { ok: true, target, backend: b };
  }

  private async handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const r = await this.resolve(req).catch((error: unknown): Resolved => ({
      ok: false,
      code: 502,
      text: `ingress: ${errorText(error)}`,
    }));
    if (!r.ok) return plain(res, r.code, r.text);
    res.once('close', this.count(r));
    const headers = { ...req.headers, ...forwarded(req) };
    delete headers.connection;
    delete headers['keep-alive'];
    const service = `Service ${r.backend.namespace}/${r.backend.service}`;
    // Lenient as nginx is (header lines ending in a bare LF); upstreamHeaders refuses what nginx refuses.
    const upstream = request(
      {
        host: r.target.host,
        port: r.target.port,
        method: req.method,
        path: req.url,
        headers,
        agent: this.agent,
        insecureHTTPParser: true,
      },
      (up) => {
        const checked = upstreamHeaders(up.rawHeaders);
        if (!checked.ok) {
          up.destroy();
          upstream.destroy();
          return plain(res, 502, `${service}: ${checked.reason}`);
        }
        try {
          res.writeHead(up.statusCode ?? 502, up.statusMessage, checked.rawHeaders);
        } catch (error) {
          // A status line Node cannot write again (a control character in its reason phrase).
          up.destroy();
          return plain(res, 502, `${service}: upstream sent an invalid status line: ${errorText(error)}`);
        }
        up.pipe(res);
      },
    );
    upstream.on('error', (error) => {
      this.o.targetFailed?.(r.backend.namespace, r.backend.service);
      if (!res.headersSent) plain(res, 502, `${service}: ${errorText(error)}`);
      else res.destroy();
    });
    req.pipe(upstream);
  }

  /** Counts a routed request; the returned function ends it. */
  private count(r: { target: ServiceTarget; backend: IngressBackend }): () => void {
    if (!this.o.metrics) return () => undefined;
    const { namespace } = r.backend;
    const targets: CountedTarget[] = [
      { kind: 'ingresses', namespace, name: r.backend.ingress },
      { kind: 'services', namespace, name: r.backend.service },
    ];
    if (r.target.pod !== undefined) targets.push({ kind: 'pods', namespace, name: r.target.pod });
    return this.o.metrics.begin(targets);
  }

  private async upgrade(req: IncomingMessage, socket: Duplex, head: Buffer): Promise<void> {
    socket.on('error', () => socket.destroy());
    const r = await this.resolve(req).catch((error: unknown): Resolved => ({
      ok: false,
      code: 502,
      text: `ingress: ${errorText(error)}`,
    }));
    if (!r.ok) {
      socket.end(
        `HTTP/1.1 ${r.code} ${r.code === 404 ? 'Not Found' : 'Service Unavailable'}\r\n` +
          `Content-Type: text/plain; charset=utf-8\r\nContent-Length: ${Buffer.byteLength(r.text) + 1}\r\n` +
          `Connection: close\r\n\r\n${r.text}\n`,
      );
      return;
    }
    const upstream: Socket = connect({ host: r.target.host, port: r.target.port });
    this.upgraded.add(socket);
    const ended = this.count(r);
    const done = () => {
      ended();
      this.upgraded.delete(socket);
      socket.destroy();
      upstream.destroy();
    };
    upstream.on('error', done);
    upstream.on('close', done);
    socket.on('close', done);
    upstream.on('connect', () => {
      const lines = [`${req.method ?? 'GET'} ${req.url ?? '/'} HTTP/${req.httpVersion}`];
      for (let i = 0; i < req.rawHeaders.length; i += 2) lines.push(`${req.rawHeaders[i]}: ${req.rawHeaders[i + 1]}`);
      for (const [k, v] of Object.entries(forwarded(req))) lines.push(`${k}: ${v}`);
      upstream.write(`${lines.join('\r\n')}\r\n\r\n`);
      if (head.length > 0) upstream.write(head);
      socket.pipe(upstream).pipe(socket);
    });
  }
}

function forwarded(req: IncomingMessage): Record<string, string> {
  return {
    'x-forwarded-for': req.socket.remoteAddress ?? '127.0.0.1',
    'x-forwarded-host': req.headers.host ?? '',
    'x-forwarded-proto': 'http',
  };
}

function plain(res: ServerResponse, code: number, text: string): void {
  res.writeHead(code, { 'content-type': 'text/plain; charset=utf-8' });
  res.end(`${text}\n`);
}

function errorText(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}
