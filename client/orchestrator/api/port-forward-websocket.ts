/**
 * `pods/portforward` over WebSocket, as the kubelet serves it to clients that
 * do not speak SPDY (client-node's `PortForward`, client-go's WebSocket
 * port-forward): `?ports=8080[,9090]`, subprotocol `v4.channel.k8s.io` (or
 * none). Port i has two channels, 2i data (both ways) and 2i+1 errors (to
 * the client); the first message on each channel is the port number as two
 * little-endian bytes. Every WebSocket is one TCP connection per port into
 * the pod's network namespace; it closes when either side does.
 */
import type { IncomingMessage } from 'node:http';
import type { Duplex } from 'node:stream';
import { WebSocketServer, type RawData, type WebSocket } from 'ws';
import type { ApiContext } from './api-context';
import { splitRequestTarget, type PodTarget } from './request-info';

const PROTOCOLS = ['v4.channel.k8s.io', 'channel.k8s.io'];
export const PORT_FORWARD_PATH = /^\/api\/v1\/namespaces\/([^/]+)\/pods\/([^/]+)\/portforward$/;

export interface PortForwardUpgradeOptions {
  ctx: ApiContext;
}

/** Handles an authorized WebSocket upgrade (channel protocol) whose path matched `PORT_FORWARD_PATH`. */
export function channelPortForwardHandler(
  o: PortForwardUpgradeOptions,
): (req: IncomingMessage, socket: Duplex, head: Buffer, target: PodTarget) => void {
  const wss = new WebSocketServer({
    noServer: true,
    handleProtocols: (offered) => PROTOCOLS.find((p) => offered.has(p)) ?? false,
  });
  return (req, socket, head, target) => {
    const ports = splitRequestTarget(req.url)
      .query.getAll('ports')
      .flatMap((p) => p.split(','))
      .map((p) => p.trim())
      .filter((p) => p !== '')
      .map(Number);
    if (ports.length === 0 || ports.some((p) => !Number.isInteger(p) || p < 1 || p > 65535)) {
      const text = 'query parameter "ports" must name ports from 1 to 65535';
      socket.end(
        `HTTP/1.1 400 Bad Request\r\nContent-Type: text/plain\r\nContent-Length: ${text.length}\r\n\r\n${text}`,
      );
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      void forward(o.ctx, ws, target.namespace, target.name, ports);
    });
  };
}

function portPrefix(channel: number, port: number): Buffer {
  const b = Buffer.alloc(3);
  b[0] = channel;
  b.writeUInt16LE(port, 1);
  return b;
}

async function forward(ctx: ApiContext, ws: WebSocket, namespace: string, name: string, ports: number[]) {
  const send = (channel: number, data: Buffer | string) => {
    if (ws.readyState === ws.OPEN) ws.send(Buffer.concat([Buffer.from([channel]), Buffer.from(data)]));
  };
  // Data from the client before the connections exist waits here.
  const early: Buffer[] = [];
  const inbox: { deliver?: (m: Buffer) => void } = {};
  ws.on('message', (data: RawData) => {
    const buf = Array.isArray(data) ? Buffer.concat(data) : Buffer.from(data as Buffer);
    if (inbox.deliver) inbox.deliver(buf);
    else early.push(buf);
  });
  ports.forEach((port, i) => {
    ws.send(portPrefix(2 * i, port));
    ws.send(portPrefix(2 * i + 1, port));
  });
  const fail = (i: number, message: string) => {
    send(2 * i + 1, message);
    ws.close(1011, 'port-forward failed');
  };
  await ctx.store.settled();
  const pod = ctx.store.get('/pods', namespace, name);
  if (!pod) return fail(0, `pods "${name}" not found`);
  if (!ctx.pods) return fail(0, 'this cluster runs no containers');
  const conns: Duplex[] = [];
  for (const [i, port] of ports.entries()) {
    try {
      conns.push(await ctx.pods.portForward(pod, port));
    } catch (error) {
      for (const c of conns) c.destroy();
      return fail(
        i,
        `error forwarding port ${port} to pod ${name}: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
  }
  const closeAll = () => {
    for (const c of conns) c.destroy();
    if (ws.readyState === ws.OPEN) ws.close(1000);
  };
  conns.forEach((c, i) => {
    c.on('data', (chunk: Buffer) => send(2 * i, chunk));
    c.on('error', (error) => send(2 * i + 1, error.message));
    c.on('close', closeAll);
  });
  ws.on('close', () => {
    for (const c of conns) c.destroy();
  });
  const deliver = (m: Buffer) => {
    if (m.length === 0) return;
    const channel = m[0]!;
    if (channel % 2 === 0 && conns[channel / 2] && m.length > 1) conns[channel / 2]!.write(m.subarray(1));
  };
  for (const m of early.splice(0)) deliver(m);
  inbox.deliver = deliver;
}
