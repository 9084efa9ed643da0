/**
 * `pods/exec` and `pods/attach` (the container's own process) over WebSocket with the
 * Kubernetes channel protocol, as kubectl 1.32 speaks it first
 * (`v5.channel.k8s.io`, falling back to `v4`): every binary message starts
 * with its channel, 0 stdin, 1 stdout, 2 stderr, 3 the final Status (exit
 * code), 4 terminal resize; v5 adds 255 "close this channel" (end of stdin).
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import { isObject } from '../store/object';
import type { ApiContext } from './api-context';
import { refuse as refuseWithStatus } from './port-forward-upgrade';
import { podTarget, splitRequestTarget } from './request-info';
import { StatusError } from '../store/errors';

const PROTOCOLS = ['v5.channel.k8s.io', 'v4.channel.k8s.io'];
const PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/(exec|attach)$/;

/** Client messages that came before the process started, then the function that takes them. */
interface Inbox {
  buffered: Buffer[];
  deliver?: (message: Buffer) => void;
}

export interface ExecUpgradeOptions {
  ctx: ApiContext;
  authorized(req: IncomingMessage): boolean;
}

/** The `upgrade` listener of the API server's HTTPS server. */
export function execUpgradeHandler(
  o: ExecUpgradeOptions,
): (req: IncomingMessage, socket: Duplex, head: Buffer) => void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  return (req, socket, head) => {
    const { path, query } = splitRequestTarget(req.url);
    const refuse = (code: number, text: string) => {
      socket.end(
        `HTTP/1.1 ${code} ${text}\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
      );
    };
    if (!o.authorized(req)) return refuse(401, 'Unauthorized');
    let target;
    try {
      target = podTarget(PATH, path);
    } catch (error) {
      if (!(error instanceof StatusError)) throw error;
      return refuseWithStatus(socket, error.code, error.reason, error.message);
    }
    if (!target) return refuse(404, 'Not Found');
    const { namespace, name } = target;
    const attach = path.endsWith('/attach');
    wss.handleUpgrade(req, socket, head, (ws) => {
      // Messages (stdin) can arrive before the process exists: keep them until it does.
      const early: Inbox = { buffered: [] };
      ws.on('message', (data: RawData) => {
        const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
        if (early.deliver) early.deliver(buf);
        else early.buffered.push(buf);
      });
      void runExec(o.ctx, ws, early, { namespace, name, attach }, query).catch((error: unknown) =>
        finish(ws, failure(error instanceof Error ? error.message : String(error))),
      );
    });
  };
}

async function runExec(
  ctx: ApiContext,
  ws: WebSocket,
  early: Inbox,
  { namespace, name, attach }: { namespace: string; name: string; attach: boolean },
  q: URLSearchParams,
): Promise<void> {
  await ctx.store.settled();
  const pod = ctx.store.get('/pods', namespace, name);
  if (!pod) return finish(ws, failure(`pods "${name}" not found`, 'NotFound', 404));
  if (!ctx.pods) return finish(ws, failure('this cluster runs no containers (fake runtime)'));
  const spec = isObject(pod.spec) ? pod.spec : {};
  const containers = Array.isArray(spec.containers) ? spec.containers.filter(isObject).map((c) => String(c.name)) : [];
  const container =
    q.get('container') ?? pod.metadata.annotations?.['kubectl.kubernetes.io/default-container'] ?? containers[0] ?? '';
  const command = q.getAll('command');
  if (!attach && command.length === 0) return finish(ws, failure('you must specify at least 1 command'));
  const stdin = q.get('stdin') === 'true' || q.get('stdin') === '1';
  const tty = q.get('tty') === 'true' || q.get('tty') === '1';
  const v5 = ws.protocol === 'v5.channel.k8s.io';
  const session = attach
    ? await ctx.pods.attach(pod, container, { stdin, tty })
    : await ctx.pods.exec(pod, container, command, { stdin, tty });
  const onMessage = (buf: Buffer) => {
    if (buf.length === 0) return;
    const channel = buf[0];
    const body = buf.subarray(1);
    if (channel === 0 && body.length > 0) session.stdin?.write(body);
    else if (channel === 4) {
      try {
        const size = JSON.parse(body.toString('utf8')) as { Width?: number; Height?: number };
        if (size.Width && size.Height) session.resize?.(size.Width, size.Height);
      } catch {
        // not a size: ignore
      }
    } else if (channel === 255 && v5 && body[0] === 0) session.stdin?.end();
  };
  const send = (channel: number, chunk: Buffer) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), chunk]));
  };
  session.stdout.on('data', (c: Buffer) => send(1, c));
  session.stderr.on('data', (c: Buffer) => send(2, c));
  for (const m of early.buffered.splice(0)) onMessage(m);
  early.deliver = onMessage;
  ws.on('close', () => session.stdin?.end());
  const ended = (s: NodeJS.ReadableStream) =>
    new Promise<void>((resolve) => {
      s.once('end', resolve);
      s.once('close', resolve);
    });
  const code = await session.exitCode;
  await Promise.race([
    Promise.all([ended(session.stdout), ended(session.stderr)]),
    new Promise((r) => setTimeout(r, 1000)),
  ]);
  finish(
    ws,
    code === 0 || attach
      ? { metadata: {}, status: 'Success' }
      : {
          metadata: {},
          status: 'Failure',
          message: `command terminated with non-zero exit code: exit status ${code}`,
          reason: 'NonZeroExitCode',
          details: { causes: [{ reason: 'ExitCode', message: String(code) }] },
        },
  );
}

function failure(message: string, reason = 'InternalError', code = 500): Record<string, unknown> {
  return { metadata: {}, status: 'Failure', message, reason, code };
}

function finish(ws: WebSocket, status: Record<string, unknown>): void {
  if (ws.readyState !== ws.OPEN) return;
  ws.send(
    Buffer.concat([Buffer.from([3]), Buffer.from(JSON.stringify({ kind: 'Status', apiVersion: 'v1', ...status }))]),
  );
  ws.close(1000);
}
