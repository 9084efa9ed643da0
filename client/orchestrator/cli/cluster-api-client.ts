/**
 * A small authenticated client of a running cluster, for the command line
 * (`kube-workbench node ...`): it finds the cluster through its data
 * directory's ready record (protocol/ready-record.ts), reads the kubeconfig
 * the record names (its server, CA and bearer token: ours, but read as
 * untrusted input), and speaks HTTPS to the API as kubectl would.
 */
import { request } from 'node:https';
import { processAlive } from '../protocol/liveness';
import { readReadyRecord } from '../protocol/ready-record';
import { readUntrustedFile } from '../protocol/untrusted-file';

/** The cluster cannot be reached, or answered with an error: the message is for the user. */
export class ClusterApiError extends Error {
  constructor(
    message: string,
    /** The HTTP status, when the API answered. */
    readonly status?: number,
  ) {
    super(message);
  }
}

export interface ApiAnswer {
  status: number;
  body: unknown;
}

const KUBECONFIG_MAX_BYTES = 64 * 1024;
const ANSWER_MAX_BYTES = 16 * 1024 * 1024;

/** server, CA and token from the kubeconfig `cluster start` writes (one cluster, one user). */
export function parseKubeconfig(text: string): { server: string; ca: string; token: string } {
  const field = (name: string) => new RegExp(`^\\s*${name}:\\s*(\\S+)\\s*$`, 'm').exec(text)?.[1];
  const server = field('server');
  const ca = field('certificate-authority-data');
  const token = field('token');
  if (!server || !ca || !token) throw new Error('it has no server, certificate-authority-data or token');
  return { server, ca: Buffer.from(ca, 'base64').toString('utf8'), token };
}

export class ClusterApiClient {
  private constructor(
    private readonly server: URL,
    private readonly ca: string,
    private readonly token: string,
    private readonly timeoutMs: number,
  ) {}

  /** The client of the cluster serving from `dataDir`; a ClusterApiError says why there is none. */
  static async forDataDir(dataDir: string, timeoutMs = 30_000): Promise<ClusterApiClient> {
    let record;
    try {
      record = await readReadyRecord(dataDir);
    } catch (error) {
      throw new ClusterApiError((error as Error).message);
    }
    if (!record || !processAlive(record.pid))
      throw new ClusterApiError(
        `no cluster is running from ${dataDir}: start one with 'kube-workbench cluster start' (or name its --data-dir)`,
      );
    let config;
    try {
      const text = await readUntrustedFile(record.kubeconfig, KUBECONFIG_MAX_BYTES);
      if (text === undefined) throw new Error('it does not exist');
      config = parseKubeconfig(text);
    } catch (error) {
      throw new ClusterApiError(`the kubeconfig ${record.kubeconfig} is not usable: ${(error as Error).message}`);
    }
    let url: URL;
    try {
      url = new URL(record.api);
    } catch {
      throw new ClusterApiError(`the ready record's API address '${record.api}' is not a URL`);
    }
    return new ClusterApiClient(url, config.ca, config.token, timeoutMs);
  }

  get(path: string): Promise<ApiAnswer> {
    return this.call('GET', path);
  }

  /** A create (or a subresource's POST, such as an eviction), as JSON. */
  post(path: string, body: unknown): Promise<ApiAnswer> {
    return this.call('POST', path, JSON.stringify(body), 'application/json');
  }

  delete(path: string): Promise<ApiAnswer> {
    return this.call('DELETE', path);
  }

  /** A merge patch (`application/merge-patch+json`). */
  mergePatch(path: string, patch: unknown): Promise<ApiAnswer> {
    return this.call('PATCH', path, JSON.stringify(patch), 'application/merge-patch+json');
  }

  private call(method: string, path: string, body?: string, contentType?: string): Promise<ApiAnswer> {
    return new Promise((resolve, reject) => {
      const req = request(
        new URL(path, this.server),
        {
          method,
          ca: this.ca,
          headers: {
            authorization: `Bearer ${this.token}`,
            accept: 'application/json',
            'user-agent': 'kube-workbench',
            ...(body !== undefined
              ? { 'content-type': contentType ?? 'application/json', 'content-length': Buffer.byteLength(body) }
              : {}),
          },
          timeout: this.timeoutMs,
        },
        (res) => {
          const chunks: Buffer[] = [];
          let size = 0;
          res.on('data', (c: Buffer) => {
            size += c.length;
            if (size > ANSWER_MAX_BYTES) req.destroy(new Error(`the answer is larger than ${ANSWER_MAX_BYTES} bytes`));
            else chunks.push(c);
          });
          res.on('end', () => {
            const text = Buffer.concat(chunks).toString('utf8');
            let parsed: unknown = text;
            try {
              parsed = JSON.parse(text);
            } catch {
              // not JSON: kept as text
            }
            resolve({ status: res.statusCode ?? 0, body: parsed });
          });
          res.on('error', reject);
        },
      );
      req.on('timeout', () => req.destroy(new Error(`the API did not answer within ${this.timeoutMs / 1000} s`)));
      req.on('error', (error) => reject(new ClusterApiError(`cannot reach the cluster's API: ${error.message}`)));
      req.end(body);
    });
  }
}

/** The message of a Kubernetes Status body, or the body itself. */
export function statusMessage(answer: ApiAnswer): string {
  const body = answer.body;
  if (body && typeof body === 'object' && typeof (body as { message?: unknown }).message === 'string')
    return (body as { message: string }).message;
  return typeof body === 'string' && body !== '' ? body : `HTTP ${answer.status}`;
}
