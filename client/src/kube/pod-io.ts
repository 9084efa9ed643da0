/**
 * A pod's I/O through the API: container logs, exec and attach (over their WebSocket) and
 * port-forward, with client-node's Log, Exec, Attach and PortForward.
 */
import type { Socket } from 'node:net';
import { Writable, type Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import type { K8s } from './client-node.js';
import { ClusterError } from './cluster-error.js';
import type { KubeApi } from './kube-api.js';

export class PodIo {
  constructor(private readonly api: KubeApi) {}

  /** Streams a container's log into `out`; `follow` keeps it open until the controller aborts. */
  async logs(
    namespace: string,
    pod: string,
    container: string,
    out: Writable,
    options: { follow?: boolean; tailLines?: number } = {},
  ): Promise<AbortController> {
    const log = new this.api.k8s.Log(this.api.kubeConfig);
    const opts: K8s.LogOptions = { follow: options.follow ?? false };
    if (options.tailLines !== undefined) opts.tailLines = options.tailLines;
    try {
      return await log.log(namespace, pod, container, out, opts);
    } catch (error) {
      throw new ClusterError(`logs of ${namespace}/${pod} (${container}): ${readableLogError(error)}`, 0, 'LogFailed');
    }
  }

  /** Runs a command in a container over the exec WebSocket; resolves with the socket. */
  async exec(
    target: { namespace: string; pod: string; container: string },
    command: string[],
    io: { stdout: Writable | null; stderr: Writable | null; stdin: Readable | null; tty: boolean },
    onStatus: (status: K8s.V1Status) => void,
  ): Promise<{ close(): void }> {
    const exec = new this.api.k8s.Exec(this.api.kubeConfig);
    const ws = await exec.exec(
      target.namespace,
      target.pod,
      target.container,
      command,
      io.stdout,
      io.stderr,
      io.stdin,
      io.tty,
      onStatus,
    );
    return { close: () => ws.close() };
  }

  /** Attaches to a container's own process (`pods/attach`); `onEnd` runs once the WebSocket closes. */
  async attach(
    target: { namespace: string; pod: string; container: string },
    io: { stdout: Writable; stdin: Readable; tty: boolean },
    onEnd: () => void,
  ): Promise<{ close(): void }> {
    const attach = new this.api.k8s.Attach(this.api.kubeConfig);
    const ws = await attach.attach(
      target.namespace,
      target.pod,
      target.container,
      io.stdout,
      io.stdout,
      io.stdin,
      io.tty,
    );
    ws.on('close', onEnd);
    return { close: () => ws.close() };
  }

  /**
   * Pipes one TCP connection to a pod's port through the API's port-forward
   * WebSocket (client-node's PortForward). Resolves once the WebSocket is open;
   * the socket ends when the WebSocket closes, the WebSocket closes when the
   * socket does; an error the pod side reports (nothing listens on the port)
   * goes to `onError` and destroys the socket.
   */
  async portForward(
    namespace: string,
    pod: string,
    port: number,
    socket: Socket,
    onError: (error: Error) => void = () => undefined,
  ): Promise<void> {
    const forward = new this.api.k8s.PortForward(this.api.kubeConfig);
    let reported = '';
    const errors = new Writable({
      write(chunk: Buffer, _encoding, done) {
        reported += chunk.toString('utf8');
        done();
      },
    });
    socket.on('error', () => undefined);
    let ws: WebSocket;
    try {
      ws = (await forward.portForward(namespace, pod, [port], socket, errors, socket)) as WebSocket;
    } catch (error) {
      socket.destroy();
      throw new ClusterError(
        `port-forward to ${namespace}/${pod}:${port}: ${error instanceof Error ? error.message : String(error)}`,
        0,
        'PortForwardFailed',
      );
    }
    ws.on('close', () => {
      if (reported === '') return void socket.end();
      onError(new ClusterError(`port-forward to ${namespace}/${pod}:${port}: ${reported}`, 0, 'PortForwardFailed'));
      socket.destroy();
    });
    socket.on('close', () => ws.close());
  }
}

function readableLogError(error: unknown): string {
  const body = (error as { body?: unknown }).body;
  if (typeof body === 'string') {
    try {
      return (JSON.parse(body) as { message?: string }).message ?? body;
    } catch {
      return body;
    }
  }
  return error instanceof Error ? error.message : String(error);
}
