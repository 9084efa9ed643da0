/**
 * A local port on 127.0.0.1 forwarded to a pod: every accepted connection gets
 * its own port-forward WebSocket through the cluster connection, so one that
 * fails (the pod restarted, nothing listens on the port yet) closes alone and
 * the listener keeps accepting. No `vscode` here.
 */
import { createServer, type AddressInfo, type Server, type Socket } from 'node:net';
import type { ClusterConnection } from '../kube/cluster-connection.js';

/** Where a connection goes: a pod's port (resolved anew for each connection). */
export interface ForwardTarget {
  namespace: string;
  pod: string;
  port: number;
}

export interface PortForwardOptions {
  /** The pod and port for the next connection (a Service resolves to a ready pod each time). */
  target: () => Promise<ForwardTarget>;
  /** Local port; 0 (the default) picks a free one. */
  localPort?: number;
  /** Hears about a connection that could not be forwarded. */
  onError?: (error: Error) => void;
}

export class PortForwardListener {
  private readonly sockets = new Set<Socket>();

  private constructor(
    private readonly server: Server,
    readonly localPort: number,
  ) {}

  /** Starts listening on 127.0.0.1; rejects when the local port is taken. */
  static async listen(conn: ClusterConnection, options: PortForwardOptions): Promise<PortForwardListener> {
    const server = createServer();
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(options.localPort ?? 0, '127.0.0.1', () => {
        server.off('error', reject);
        resolve();
      });
    });
    const listener = new PortForwardListener(server, (server.address() as AddressInfo).port);
    server.on('connection', (socket) => listener.accept(conn, options, socket));
    return listener;
  }

  get url(): string {
    return `http://127.0.0.1:${this.localPort}`;
  }

  /** Connections open right now. */
  get connections(): number {
    return this.sockets.size;
  }

  private accept(conn: ClusterConnection, options: PortForwardOptions, socket: Socket): void {
    this.sockets.add(socket);
    socket.on('close', () => this.sockets.delete(socket));
    socket.on('error', () => undefined);
    // Nothing reads the socket until the WebSocket is open, so what the client sends first waits in it.
    const report = (error: unknown) => options.onError?.(error instanceof Error ? error : new Error(String(error)));
    void options
      .target()
      .then((t) => conn.pods.portForward(t.namespace, t.pod, t.port, socket, report))
      .catch((error: unknown) => {
        socket.destroy();
        report(error);
      });
  }

  /** Stops listening and closes every open connection. */
  close(): Promise<void> {
    for (const s of this.sockets) s.destroy();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
