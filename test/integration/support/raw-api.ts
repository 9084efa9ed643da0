/**
 * Raw HTTPS requests to a started cluster, with the data directory's token and CA: the path is sent
 * exactly as given (no URL normalisation on our side, so `%2e%2e` reaches the server as written).
 */
import { readFileSync } from 'node:fs';
import type { IncomingMessage } from 'node:http';
import { Agent as HttpsAgent, request, type Agent, type RequestOptions } from 'node:https';
import { join } from 'node:path';
import { connect, type TLSSocket } from 'node:tls';
import type { ClusterProcess } from './cluster-process';

export interface RawResponse {
  status: number;
  headers: IncomingMessage['headers'];
  body: string;
}

export interface RawOptions {
  /** A string or Buffer as is; anything else as JSON. */
  body?: unknown;
  contentType?: string;
  /** A keep-alive agent for many requests; default: a connection per request. */
  agent?: Agent;
}

/** Where and as whom to send: the API's address, the data directory's bearer token and CA. */
interface Target {
  url: URL;
  token: string;
  ca: Buffer;
}

function targetOf(api: string, dataDir: string): Target {
  return {
    url: new URL(api),
    token: readFileSync(join(dataDir, 'token'), 'utf8').trim(),
    ca: readFileSync(join(dataDir, 'apiserver.crt')),
  };
}

function options(
  target: Target,
  method: string,
  path: string,
  headers: Record<string, string>,
  agent?: Agent,
): RequestOptions {
  return {
    method,
    hostname: target.url.hostname,
    port: target.url.port,
    path,
    ca: target.ca,
    agent: agent ?? false,
    headers: { Authorization: `Bearer ${target.token}`, ...headers },
  };
}

/** One request, its whole answer; rejects when no HTTP answer comes. */
function send(
  target: Target,
  method: string,
  path: string,
  o: {
    payload?: string | Buffer;
    contentType?: string;
    agent?: Agent;
    headers?: Record<string, string>;
    timeoutMs?: number;
  },
): Promise<RawResponse> {
  const headers: Record<string, string> = { ...o.headers };
  if (o.contentType !== undefined) headers['Content-Type'] = o.contentType;
  // Node frames a body of DELETE (and GET) by neither length nor chunks unless told its length.
  if (o.payload !== undefined) headers['Content-Length'] = String(Buffer.byteLength(o.payload));
  return new Promise((resolve, reject) => {
    const req = request(options(target, method, path, headers, o.agent), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    const timeoutMs = o.timeoutMs;
    if (timeoutMs !== undefined)
      req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
    req.on('error', reject);
    req.end(o.payload);
  });
}

export function rawRequest(
  cluster: ClusterProcess,
  method: string,
  path: string,
  o: RawOptions = {},
): Promise<RawResponse> {
  const payload =
    o.body === undefined
      ? undefined
      : typeof o.body === 'string' || Buffer.isBuffer(o.body)
        ? o.body
        : JSON.stringify(o.body);
  const contentType = o.contentType ?? (payload !== undefined ? 'application/json' : undefined);
  return send(targetOf(cluster.api, cluster.dataDir), method, path, {
    ...(payload !== undefined ? { payload } : {}),
    ...(contentType !== undefined ? { contentType } : {}),
    ...(o.agent !== undefined ? { agent: o.agent } : {}),
  });
}

/** A GET whose response is handed over unread (a watch); the caller reads, pauses or destroys it. */
export function rawStream(cluster: ClusterProcess, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(options(targetOf(cluster.api, cluster.dataDir), 'GET', path, {}), resolve);
    req.on('error', reject);
    req.end();
  });
}

/** The `message` of a Status body. */
export function statusMessage(body: string): string {
  return (JSON.parse(body) as { message?: string }).message ?? '';
}

/**
 * A watch whose client never reads: a TLS connection that sends the request and then stops reading
 * (paused, so the kernel's buffers fill and the server's writes back up). Resume it to drain it.
 */
export function stalledRequest(cluster: ClusterProcess, path: string): Promise<TLSSocket> {
  const { url, token, ca } = targetOf(cluster.api, cluster.dataDir);
  return new Promise((resolve, reject) => {
    const socket = connect({ host: url.hostname, port: Number(url.port), ca }, () => {
      socket.write(`GET ${path} HTTP/1.1\r\nHost: ${url.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
      socket.once('data', () => {
        socket.pause();
        resolve(socket);
      });
    });
    socket.on('error', reject);
  });
}

/* A keep-alive session for many requests (the fuzz test): failures are values, not throws. */

/** A request that got no HTTP answer: a reset, a refused connection, a timeout. */
export interface RawFailure {
  error: string;
}

export interface RawRequest {
  method: string;
  path: string;
  body?: string | Buffer;
  contentType?: string;
  timeoutMs?: number;
}

export interface RawApi {
  send(req: RawRequest): Promise<RawResponse | RawFailure>;
  close(): void;
}

export function rawApi(api: string, dataDir: string): RawApi {
  const target = targetOf(api, dataDir);
  const agent = new HttpsAgent({ keepAlive: true, maxSockets: 8, ca: target.ca });
  return {
    send: ({ method, path, body, contentType, timeoutMs = 15_000 }) =>
      send(target, method, path, {
        ...(body !== undefined ? { payload: body, contentType: contentType ?? 'application/json' } : {}),
        agent,
        headers: { Accept: 'application/json' },
        timeoutMs,
      }).catch((e: NodeJS.ErrnoException) => ({ error: e.code ?? `${e.name}: ${e.message}` })),
    close: () => agent.destroy(),
  };
}

export function failed(r: RawResponse | RawFailure): r is RawFailure {
  return 'error' in r;
}
