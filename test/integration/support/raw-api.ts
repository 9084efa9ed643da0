/**
 * Raw HTTPS requests to a started cluster's API, with its bearer token and CA
 * from the data directory: for tests that send what kubectl never would.
 */
import { readFileSync } from 'node:fs';
import { Agent, request } from 'node:https';
import { join } from 'node:path';

export interface RawResponse {
  status: number;
  body: string;
}

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
  const agent = new Agent({ keepAlive: true, maxSockets: 8, ca });
  return {
    send: ({ method, path, body, contentType, timeoutMs = 15_000 }) =>
      new Promise((resolve) => {
        const headers: Record<string, string> = { Authorization: `Bearer ${token}`, Accept: 'application/json' };
        if (body !== undefined) {
          headers['Content-Type'] = contentType ?? 'application/json';
          headers['Content-Length'] = String(Buffer.byteLength(body));
        }
        const req = request({ host: url.hostname, port: url.port, method, path, headers, agent }, (res) => {
          const chunks: Buffer[] = [];
          res.on('data', (c: Buffer) => chunks.push(c));
          res.on('end', () => resolve({ status: res.statusCode ?? 0, body: Buffer.concat(chunks).toString('utf8') }));
          res.on('error', (e) => resolve({ error: `${e.name}: ${e.message}` }));
        });
        req.setTimeout(timeoutMs, () => req.destroy(new Error(`no answer within ${timeoutMs} ms`)));
        req.on('error', (e: NodeJS.ErrnoException) => resolve({ error: e.code ?? e.message }));
        req.end(body);
      }),
    close: () => agent.destroy(),
  };
}

export function failed(r: RawResponse | RawFailure): r is RawFailure {
  return 'error' in r;
}
