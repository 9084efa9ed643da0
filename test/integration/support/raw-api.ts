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

function options(
  cluster: ClusterProcess,
  method: string,
  path: string,
  contentType?: string,
  agent?: Agent,
  length?: number,
): RequestOptions {
  const api = new URL(cluster.api);
  return {
    method,
    hostname: api.hostname,
    port: api.port,
    path,
    ca: readFileSync(join(cluster.dataDir, 'apiserver.crt')),
    agent: agent ?? false,
    headers: {
      Authorization: `Bearer ${readFileSync(join(cluster.dataDir, 'token'), 'utf8').trim()}`,
      ...(contentType !== undefined ? { 'Content-Type': contentType } : {}),
      // Node frames a body of DELETE (and GET) by neither length nor chunks unless told its length.
      ...(length !== undefined ? { 'Content-Length': String(length) } : {}),
    },
  };
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
  const type = o.contentType ?? (payload !== undefined ? 'application/json' : undefined);
  return new Promise((resolve, reject) => {
    const length = payload === undefined ? undefined : Buffer.byteLength(payload);
    const req = request(options(cluster, method, path, type, o.agent, length), (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () =>
        resolve({ status: res.statusCode ?? 0, headers: res.headers, body: Buffer.concat(chunks).toString('utf8') }),
      );
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end(payload);
  });
}

/** A GET whose response is handed over unread (a watch); the caller reads, pauses or destroys it. */
export function rawStream(cluster: ClusterProcess, path: string): Promise<IncomingMessage> {
  return new Promise((resolve, reject) => {
    const req = request(options(cluster, 'GET', path), resolve);
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
  const api = new URL(cluster.api);
  const token = readFileSync(join(cluster.dataDir, 'token'), 'utf8').trim();
  return new Promise((resolve, reject) => {
    const socket = connect(
      { host: api.hostname, port: Number(api.port), ca: readFileSync(join(cluster.dataDir, 'apiserver.crt')) },
      () => {
        socket.write(`GET ${path} HTTP/1.1\r\nHost: ${api.host}\r\nAuthorization: Bearer ${token}\r\n\r\n`);
        socket.once('data', () => {
          socket.pause();
          resolve(socket);
        });
      },
    );
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
  const token = readFileSync(join(dataDir, 'token'), 'utf8').trim();
  const ca = readFileSync(join(dataDir, 'apiserver.crt'), 'utf8');
  const url = new URL(api);
  const keepAlive = new HttpsAgent({ keepAlive: true, maxSockets: 8, ca });
  return {
    send: ({ method, path, body, contentType, timeoutMs = 15_000 }) =>
      new Promise((resolve) => {
        const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
        if (body !== undefined) {
          headers['Content-Type'] = contentType ?? 'application/json';
          headers['Content-Length'] = String(Buffer.byteLength(body));
        }
        const req = request({ host: url.hostname, port: url.port, method, path, headers, agent: keepAlive }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () =>
            resolve({
              status: res.statusCode ?? 0,
              headers: res.headers,
              body: Buffer.concat(chunks).toString('utf8'),
            }),
          );
          res.on('error', (e) => resolve({ error: `${e.name}: ${e.message}` }));
        });
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
        req.end(body);
      }),
    close: () => keepAlive.destroy(),
  };
}

export function failed(r: RawResponse | RawFailure): r is RawFailure {
  return 'error' in r;
}
