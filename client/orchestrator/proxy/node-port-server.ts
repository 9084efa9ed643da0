/**
 * NodePort and LoadBalancer Services on 127.0.0.1, served in this process
 * when pod IPs are reachable from it (Docker on Linux: the cluster bridge is
 * a local interface): each node port listens here and every connection goes
 * straight to the next ready endpoint of its Service port, round robin, as
 * kube-proxy's userspace mode did. That saves the hops through Docker's port
 * publishing and the Service's proxy container. A connection to a Service
 * without ready endpoints is closed at once (kube-proxy rejects it too).
 * Listeners follow the Services; Endpoints are read per connection, so
 * membership follows readiness at once.
 */
import { createServer, connect, type Server, type Socket } from 'node:net';
import type { Informer } from '../machinery/informer';
import { isObject, type JsonObject } from '../store/object';
import { readyEndpoints, type ServiceTarget } from './ready-endpoints';
import type { CountedTarget, RequestMetrics } from './request-metrics';

export interface NodePortServerOptions {
  services: Informer;
  endpoints: Informer;
  /** A listener that could not open (a port taken by another program). */
  onError?: (message: string) => void;
  /** Where connections are counted per Service and pod (TCP: connections, not requests). */
  metrics?: RequestMetrics;
}

const RETRIES = 30;

interface Listener {
  server: Server;
  namespace: string;
  service: string;
  /** The Service port's name and number, to find it again in the current Service. */
  portName: string;
  port: number;
  turn: number;
}

export class NodePortServer {
  private readonly listeners = new Map<number, Listener>();
  private readonly sockets = new Set<Socket>();
  /** Node port -> failed attempts to listen on it. */
  private readonly failures = new Map<number, number>();
  private readonly unsubscribe: () => void;
  private stopped = false;

  constructor(private readonly o: NodePortServerOptions) {
    const sync = () => this.sync();
    this.unsubscribe = o.services.addHandlers({ onAdd: sync, onUpdate: sync, onDelete: sync });
    this.sync();
  }

  /** The node ports listened on now. */
  ports(): number[] {
    return [...this.listeners.keys()].sort((a, b) => a - b);
  }

  private wanted(): Map<number, Omit<Listener, 'server' | 'turn'>> {
    const out = new Map<number, Omit<Listener, 'server' | 'turn'>>();
    for (const svc of this.o.services.list()) {
      const spec = isObject(svc.spec) ? svc.spec : {};
      if (spec.type !== 'NodePort' && spec.type !== 'LoadBalancer') continue;
      for (const p of Array.isArray(spec.ports) ? spec.ports.filter(isObject) : []) {
        if (typeof p.nodePort !== 'number' || (p.protocol ?? 'TCP') !== 'TCP') continue;
        out.set(p.nodePort, {
          namespace: svc.metadata.namespace ?? 'default',
          service: svc.metadata.name ?? '',
          portName: typeof p.name === 'string' ? p.name : '',
          port: Number(p.port),
        });
      }
    }
    return out;
  }

  private sync(): void {
    if (this.stopped) return;
    const wanted = this.wanted();
    for (const [nodePort, l] of this.listeners) {
      const w = wanted.get(nodePort);
      if (!w || w.namespace !== l.namespace || w.service !== l.service) {
        this.listeners.delete(nodePort);
        l.server.close();
      } else Object.assign(l, w);
    }
    for (const [nodePort, w] of wanted) {
      if (this.listeners.has(nodePort)) continue;
      const listener: Listener = {
        ...w,
        turn: 0,
        server: createServer({ allowHalfOpen: true }, (c) => this.forward(listener, c)),
      };
      listener.server.on('error', (error: Error) => {
        if (this.listeners.get(nodePort) !== listener) return;
        this.listeners.delete(nodePort);
        // Taken, perhaps by a proxy container of an earlier run on its way out: try again for a while.
        const tries = (this.failures.get(nodePort) ?? 0) + 1;
        this.failures.set(nodePort, tries);
        const again = tries < RETRIES;
        if (tries === 1 || !again)
          this.o.onError?.(
            `Service ${w.namespace}/${w.service}: cannot listen on 127.0.0.1:${nodePort}: ${error.message}${again ? ' (trying again)' : ''}`,
          );
        if (again && !this.stopped) setTimeout(() => this.sync(), 1000).unref();
      });
      listener.server.on('listening', () => this.failures.delete(nodePort));
      listener.server.listen(nodePort, '127.0.0.1');
      this.listeners.set(nodePort, listener);
    }
  }

  private targets(l: Listener): ServiceTarget[] {
    const svc = this.o.services.get(l.namespace, l.service);
    const spec = svc && isObject(svc.spec) ? svc.spec : {};
    const ports = Array.isArray(spec.ports) ? spec.ports.filter(isObject) : [];
    const sp: JsonObject = ports.find((p) => p.port === l.port) ?? { name: l.portName };
    return readyEndpoints(this.o.endpoints.get(l.namespace, l.service), sp);
  }

  /** Connects to the next ready endpoint; one that refuses (a pod on its way out) passes the turn to the next. */
  private forward(l: Listener, client: Socket): void {
    client.on('error', () => client.destroy());
    const ready = this.targets(l);
    const first = l.turn++;
    const attempt = (i: number) => {
      const target = ready[(first + i) % ready.length];
      if (!target || i >= ready.length || client.destroyed) {
        client.destroy();
        return;
      }
      const upstream = connect({ host: target.host, port: target.port, allowHalfOpen: true });
      const refused = () => {
        upstream.destroy();
        attempt(i + 1);
      };
      upstream.once('error', refused);
      upstream.once('connect', () => {
        upstream.off('error', refused);
        client.setNoDelay(true);
        upstream.setNoDelay(true);
        this.sockets.add(client);
        const counted: CountedTarget[] = [{ kind: 'services', namespace: l.namespace, name: l.service }];
        if (target.pod !== undefined) counted.push({ kind: 'pods', namespace: l.namespace, name: target.pod });
        const ended = this.o.metrics?.begin(counted);
        const done = () => {
          ended?.();
          this.sockets.delete(client);
          client.destroy();
          upstream.destroy();
        };
        upstream.on('error', done);
        client.on('close', done);
        upstream.on('close', done);
        client.pipe(upstream).pipe(client);
      });
    };
    attempt(0);
  }

  close(): Promise<void> {
    this.stopped = true;
    this.unsubscribe();
    for (const s of this.sockets) s.destroy();
    const closing = [...this.listeners.values()].map(
      (l) => new Promise<void>((resolve) => l.server.close(() => resolve())),
    );
    this.listeners.clear();
    return Promise.all(closing).then(() => undefined);
  }
}
