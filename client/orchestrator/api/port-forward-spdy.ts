/**
 * `pods/portforward` over SPDY, as kubectl port-forward speaks it (protocol
 * `portforward.k8s.io`, plain or tunnelled in a WebSocket): for every local
 * connection the client opens two streams with the headers `streamtype`
 * (`error` or `data`), `port` and `requestid`. The TCP connection to that
 * port of the pod (`PodIo.portForward`) is started with the request's first
 * stream, so it is made while kubectl waits for that stream's SYN_REPLY and
 * sends the second; once both streams are there, the data stream is piped to
 * it. When the pod closes the connection both streams are closed. A connection that cannot be made is reported as text
 * on the error stream, which is then closed — kubectl prints it. A stream
 * with a missing or bad header is reset; a request whose second stream does
 * not come within 30 s is told so on its error stream.
 */
import { Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import type { ApiContext } from './api-context';
import type { Timer } from '../clock';
import { RST } from './spdy/frames';
import { headerValue } from './spdy/header-codec';
import type { SpdySession } from './spdy/spdy-session';
import type { SpdyStream } from './spdy/spdy-stream';

export const STREAM_CREATION_TIMEOUT_MS = 30_000;

interface Pair {
  id: string;
  data?: SpdyStream;
  error?: SpdyStream;
  timer: Timer;
  /** The connection into the pod, started with the request's first stream (to the port that stream named). */
  dial: { port: number; conn: Promise<Duplex> };
}

export interface SpdyPortForwardOptions {
  ctx: ApiContext;
  namespace: string;
  name: string;
}

/** What is wrong with a stream's headers, or undefined. */
export function streamHeaderProblem(stream: SpdyStream): string | undefined {
  const port = headerValue(stream.headers, 'port');
  if (!port) return '"port" header is required';
  if (!/^\d+$/.test(port) || Number(port) < 1 || Number(port) > 65535)
    return `unable to parse ${JSON.stringify(port)} as a port`;
  const type = headerValue(stream.headers, 'streamtype');
  if (!type) return '"streamtype" header is required';
  if (type !== 'error' && type !== 'data') return `invalid stream type ${JSON.stringify(type)}`;
  return undefined;
}

/** The request a stream belongs to; clients without `requestid` get ids from the stream ids (error n, data n+2). */
function requestIdOf(stream: SpdyStream): string {
  const given = headerValue(stream.headers, 'requestid');
  if (given) return given;
  return String(headerValue(stream.headers, 'streamtype') === 'error' ? stream.id : stream.id - 2);
}

/** Serves port-forward requests on a server-side SPDY session until it closes. */
export function servePortForward(session: SpdySession, o: SpdyPortForwardOptions): void {
  const { clock } = o.ctx;
  const pairs = new Map<string, Pair>();
  session.on('stream', (stream) => {
    if (streamHeaderProblem(stream)) return stream.reset(RST.PROTOCOL_ERROR);
    stream.reply();
    const id = requestIdOf(stream);
    let pair = pairs.get(id);
    if (!pair) {
      const created: Pair = {
        id,
        timer: clock.setTimeout(() => {
          pairs.delete(id);
          drop(created.dial.conn);
          created.error?.end(`timed out waiting for streams of request ${id}`);
          created.data?.reset();
        }, STREAM_CREATION_TIMEOUT_MS),
        dial: dialPod(o, Number(headerValue(stream.headers, 'port'))),
      };
      pair = created;
      pairs.set(id, pair);
    }
    const type = headerValue(stream.headers, 'streamtype') === 'error' ? 'error' : 'data';
    if (pair[type]) {
      pair.error?.write(`error processing stream for request ${id}: ${type} stream already assigned`);
      return stream.reset(RST.PROTOCOL_ERROR);
    }
    pair[type] = stream;
    const { data, error } = pair;
    if (data && error) {
      clock.clearTimeout(pair.timer);
      pairs.delete(id);
      void forward(o, data, error, pair.dial);
    }
  });
  session.on('close', () => {
    for (const p of pairs.values()) {
      clock.clearTimeout(p.timer);
      drop(p.dial.conn);
    }
    pairs.clear();
  });
}

/** A connection to `port` of the pod; its error says which port of which pod could not be reached. */
function dialPod(o: SpdyPortForwardOptions, port: number): { port: number; conn: Promise<Duplex> } {
  const conn = (async () => {
    let uid = '';
    try {
      await o.ctx.store.settled();
      const pod = o.ctx.store.get('/pods', o.namespace, o.name);
      if (!pod) throw new Error(`pod not found ("${o.name}_${o.namespace}")`);
      uid = pod.metadata.uid ?? '';
      if (!o.ctx.pods) throw new Error('this cluster runs no containers');
      const socket = await o.ctx.pods.portForward(pod, port);
      // Small writes (a request's headers, then its body) must not wait for the pod's ACK.
      if (socket instanceof Socket) socket.setNoDelay(true);
      return socket;
    } catch (e) {
      const message = e instanceof Error ? e.message : String(e);
      throw new Error(`error forwarding port ${port} to pod ${o.name}, uid ${uid}: ${message}`);
    }
  })();
  conn.catch(() => undefined); // reported when the pair is complete, or dropped with it
  return { port, conn };
}

/** Closes a connection made for a request that will not use it. */
function drop(conn: Promise<Duplex>): void {
  conn.then(
    (c) => c.destroy(),
    () => undefined,
  );
}

async function forward(
  o: SpdyPortForwardOptions,
  data: SpdyStream,
  error: SpdyStream,
  early: { port: number; conn: Promise<Duplex> },
): Promise<void> {
  const port = Number(headerValue(data.headers, 'port'));
  // The client writes nothing on the error stream; read its FIN so the stream can finish.
  error.resume();
  let conn: Duplex;
  try {
    // The data stream names the port (as the kubelet reads it); an error stream that named another was dialled for nothing.
    if (early.port === port) conn = await early.conn;
    else {
      drop(early.conn);
      conn = await dialPod(o, port).conn;
    }
  } catch (e) {
    error.end(e instanceof Error ? e.message : String(e));
    data.resume();
    data.end();
    return;
  }
  if (data.destroyed) {
    conn.destroy();
    error.end();
    return;
  }
  pipe(conn, data, error);
}

/** Pod connection <-> data stream, with back-pressure both ways; the pod closing closes both streams. */
function pipe(conn: Duplex, data: SpdyStream, error: SpdyStream): void {
  let done = false;
  const finish = (reset: boolean) => {
    if (done) return;
    done = true;
    // The pod closed its side and nothing waits to be written to it: close the socket now, without the
    // shutdown call and its callback that end() would make first.
    if (reset || conn.writableLength === 0) conn.destroy();
    else conn.end();
    error.end();
    data.end();
  };
  conn.on('data', (chunk: Buffer) => {
    if (!data.write(chunk)) conn.pause();
  });
  data.on('drain', () => conn.resume());
  data.on('data', (chunk: Buffer) => {
    if (!conn.write(chunk)) data.pause();
  });
  conn.on('drain', () => data.resume());
  // The client is done sending: half-close toward the pod, keep reading its answer.
  data.on('end', () => conn.end());
  conn.on('end', () => finish(false));
  conn.on('error', () => finish(true));
  conn.on('close', () => finish(true));
  // Reset by the client (or its session gone): drop the pod connection.
  data.on('close', () => finish(true));
}
