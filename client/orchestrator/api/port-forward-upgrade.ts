/**
 * The upgrade of `pods/NAME/portforward`, in the three ways clients ask:
 * - `Upgrade: SPDY/3.1` with `X-Stream-Protocol-Version: portforward.k8s.io`
 *   (kubectl before 1.31, or with KUBECTL_PORT_FORWARD_WEBSOCKETS=false):
 *   101 Switching Protocols, then SPDY on the socket itself;
 * - WebSocket with subprotocol `SPDY/3.1+portforward.k8s.io` (kubectl 1.31+
 *   tries this first): the same SPDY carried in binary messages;
 * - WebSocket with `v4.channel.k8s.io` (client-node): `port-forward-websocket.ts`.
 * The two SPDY ways are served by `port-forward-spdy.ts`.
 *
 * kubectl's tunnel is refused (400, before any WebSocket handshake): every
 * kubectl that tunnels falls back to plain SPDY on a refused upgrade, once
 * per `kubectl port-forward`, and plain SPDY costs both kubectl and this
 * process less CPU per forwarded connection (no WebSocket message and
 * masking per SPDY field kubectl writes). Other clients asking for the
 * tunnel get it; `KW_PORT_FORWARD_TUNNEL=serve` serves it to kubectl too.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { createWebSocketStream, WebSocketServer } from 'ws';
import type { ApiContext } from './api-context';
import { servePortForward } from './port-forward-spdy';
import { channelPortForwardHandler } from './port-forward-websocket';
import { SpdySession } from './spdy/spdy-session';
import type { PodTarget } from './request-info';

export { PORT_FORWARD_PATH } from './port-forward-websocket';

export const PORT_FORWARD_PROTOCOL = 'portforward.k8s.io';
export const SPDY_TUNNEL_PROTOCOL = `SPDY/3.1+${PORT_FORWARD_PROTOCOL}`;
const CHANNEL_PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];

function listHeader(value: string | string[] | undefined): string[] {
  return (Array.isArray(value) ? value.join(',') : (value ?? ''))
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '');
}

/** Answers the upgrade request with a Kubernetes Status instead of switching protocols. */
export function refuse(socket: Duplex, code: number, reason: string, message: string): void {
  const body = JSON.stringify({
    kind: 'Status',
    apiVersion: 'v1',
    metadata: {},
    status: 'Failure',
    message,
    reason,
    code,
  });
  const phrase = { 400: 'Bad Request', 401: 'Unauthorized', 403: 'Forbidden', 404: 'Not Found' }[code] ?? 'Error';
  socket.end(
    `HTTP/1.1 ${code} ${phrase}\r\nContent-Type: application/json\r\nContent-Length: ${Buffer.byteLength(body)}\r\n` +
      `Connection: close\r\n\r\n${body}`,
  );
}

export interface PortForwardHandlerOptions {
  ctx: ApiContext;
  /** Serve kubectl's SPDY-in-WebSocket tunnel instead of refusing it (default: `KW_PORT_FORWARD_TUNNEL=serve`). */
  tunnelForKubectl?: boolean;
}

/** kubectl (any version that tunnels) falls back to plain SPDY when its WebSocket upgrade is refused. */
export function fallsBackToSpdy(req: IncomingMessage): boolean {
  return /^kubectl\//.test(req.headers['user-agent'] ?? '');
}

/** Handles an authorized upgrade whose path matched `PORT_FORWARD_PATH`. */
export function portForwardUpgradeHandler(
  o: PortForwardHandlerOptions,
): (req: IncomingMessage, socket: Duplex, head: Buffer, target: PodTarget) => void {
  const channels = channelPortForwardHandler(o);
  const tunnelForKubectl = o.tunnelForKubectl ?? process.env['KW_PORT_FORWARD_TUNNEL'] === 'serve';
  // `ws` refuses the subprotocol's '/' (not a token character), so the header is taken off the request
  // before the handshake and the chosen protocol put back on the response.
  const tunnels = new WebSocketServer({ noServer: true });
  const tunnelled = new WeakSet<IncomingMessage>();
  tunnels.on('headers', (headers: string[], req: IncomingMessage) => {
    if (tunnelled.has(req)) headers.push(`Sec-WebSocket-Protocol: ${SPDY_TUNNEL_PROTOCOL}`);
  });
  return (req, socket, head, target) => {
    const upgrade = (req.headers.upgrade ?? '').toLowerCase();
    const offered = listHeader(req.headers['sec-websocket-protocol']);
    const spdy = upgrade === 'spdy/3.1';
    const tunnel = upgrade === 'websocket' && offered.includes(SPDY_TUNNEL_PROTOCOL);
    if (!spdy && !(tunnel && !offered.some((p) => CHANNEL_PROTOCOLS.includes(p))))
      return channels(req, socket, head, target);
    // Until the session takes the socket over: a client that goes away is no error of ours.
    socket.on('error', () => socket.destroy());
    const { namespace, name } = target;
    if (tunnel && !tunnelForKubectl && fallsBackToSpdy(req)) {
      return refuse(
        socket,
        400,
        'BadRequest',
        `unable to upgrade: ${PORT_FORWARD_PROTOCOL} is served to kubectl over plain SPDY/3.1 (Upgrade: SPDY/3.1), not in a WebSocket`,
      );
    }
    const versions = listHeader(req.headers['x-stream-protocol-version']);
    if (spdy && versions.length > 0 && !versions.includes(PORT_FORWARD_PROTOCOL)) {
      return refuse(
        socket,
        403,
        'Forbidden',
        `unable to upgrade: unable to negotiate protocol: client supports ${JSON.stringify(versions)}, server supports ["${PORT_FORWARD_PROTOCOL}"]`,
      );
    }
    void (async () => {
      await o.ctx.store.settled();
      if (!o.ctx.store.get('/pods', namespace, name))
        return refuse(socket, 404, 'NotFound', `pods "${name}" not found`);
      const serve = (transport: Duplex) =>
        servePortForward(new SpdySession(transport, 'server'), { ctx: o.ctx, namespace, name });
      if (tunnel) {
        delete req.headers['sec-websocket-protocol'];
        tunnelled.add(req);
        tunnels.handleUpgrade(req, socket, head, (ws) => serve(createWebSocketStream(ws)));
        return;
      }
      socket.write(
        'HTTP/1.1 101 Switching Protocols\r\nConnection: Upgrade\r\nUpgrade: SPDY/3.1\r\n' +
          `X-Stream-Protocol-Version: ${PORT_FORWARD_PROTOCOL}\r\n\r\n`,
      );
      if (head.length > 0) socket.unshift(head);
      serve(socket);
    })().catch(() => socket.destroy());
  };
}
