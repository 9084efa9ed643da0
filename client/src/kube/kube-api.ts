/**
 * The HTTP side of a cluster connection: one request with the kubeconfig's
 * credentials, discovery (where the API serves a kind), object and collection
 * paths, and the server's version. The concern clients (ObjectReader,
 * ObjectWriter, PodIo) build on it. It never imports `vscode`.
 */
import { request, type RequestOptions as HttpsOptions } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { K8s } from './client-node.js';
import { ClusterError, errorFromNetwork, errorFromReply } from './cluster-error.js';
import type { ObjectRef } from './object-ref.js';

export interface ResourceInfo {
  /** `/api/v1` or `/apis/apps/v1`. */
  base: string;
  plural: string;
  namespaced: boolean;
  kind: string;
}

export interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | undefined>;
}

export class KubeApi {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

  constructor(
    readonly kubeConfig: K8s.KubeConfig,
    /** The loaded client-node module (its Watch, Log, Exec, PortForward and informers). */
    readonly k8s: typeof K8s,
    readonly server: string,
    readonly defaultNamespace: string,
  ) {}

  /** One HTTP request; the parsed JSON answer, or a ClusterError. */
  async request<T = unknown>(method: string, path: string, options: RequestOptions = {}): Promise<T> {
    const url = new URL(this.server + path);
    for (const [k, v] of Object.entries(options.query ?? {})) if (v !== undefined) url.searchParams.set(k, v);
    const opts: HttpsOptions = { method, headers: { Accept: 'application/json' } };
    await this.kubeConfig.applyToHTTPSOptions(opts);
    const body = options.body === undefined ? undefined : JSON.stringify(options.body);
    const headers = opts.headers as Record<string, string>;
    if (body !== undefined) headers['Content-Type'] = options.contentType ?? 'application/json';
    const send = url.protocol === 'http:' ? httpRequest : request;
    const what = `${method} ${url.pathname}`;
    return new Promise<T>((resolve, reject) => {
      const req = send(url, opts, (res: IncomingMessage) => {
        const chunks: Buffer[] = [];
        res.on('data', (c: Buffer) => chunks.push(c));
        res.on('error', (e) => reject(errorFromNetwork(e, this.server)));
        res.on('end', () => {
          const text = Buffer.concat(chunks).toString('utf8');
          const status = res.statusCode ?? 0;
          if (status < 200 || status > 299) return reject(errorFromReply(status, text, what));
          try {
            resolve((text === '' ? {} : JSON.parse(text)) as T);
          } catch {
            reject(new ClusterError(`${what}: the answer is not JSON`, status, 'BadResponse'));
          }
        });
      });
      req.on('error', (e) => reject(errorFromNetwork(e, this.server)));
      req.setTimeout(30_000, () => req.destroy(Object.assign(new Error('no answer in 30 s'), { code: 'ETIMEDOUT' })));
      req.end(body);
    });
  }

  /** Where the API serves a kind (discovery, cached per group/version). */
  async resource(apiVersion: string, kind: string): Promise<ResourceInfo> {
    const base = apiVersion.includes('/') ? `/apis/${apiVersion}` : `/api/${apiVersion}`;
    let kinds = this.discovery.get(base);
    if (!kinds) {
      kinds = this.request<{ resources?: { name: string; kind: string; namespaced: boolean }[] }>('GET', base).then(
        (list) => {
          const map = new Map<string, ResourceInfo>();
          for (const r of list.resources ?? [])
            if (!r.name.includes('/'))
              map.set(r.kind, { base, plural: r.name, namespaced: r.namespaced, kind: r.kind });
          return map;
        },
      );
      kinds.catch(() => this.discovery.delete(base));
      this.discovery.set(base, kinds);
    }
    let info: ResourceInfo | undefined;
    try {
      info = (await kinds).get(kind);
    } catch (error) {
      if (error instanceof ClusterError && error.notFound) info = undefined;
      else throw error;
    }
    if (!info) throw new ClusterError(`the cluster does not serve ${kind} in ${apiVersion}`, 404, 'NotFound');
    return info;
  }

  /** The collection path of a kind (in a namespace when namespaced and given). */
  async collectionPath(apiVersion: string, kind: string, namespace?: string): Promise<string> {
    const r = await this.resource(apiVersion, kind);
    return r.namespaced && namespace ? `${r.base}/namespaces/${namespace}/${r.plural}` : `${r.base}/${r.plural}`;
  }

  /** The object's path; a namespaced object without a namespace goes to the default namespace. */
  async objectPath(ref: ObjectRef): Promise<string> {
    const r = await this.resource(ref.apiVersion, ref.kind);
    const ns = r.namespaced ? `/namespaces/${ref.namespace ?? this.defaultNamespace}` : '';
    return `${r.base}${ns}/${r.plural}/${encodeURIComponent(ref.name)}`;
  }

  /** The server's version (`v1.32.0`), or a ClusterError when it does not answer. */
  async version(): Promise<string> {
    const v = await this.request<{ gitVersion?: string }>('GET', '/version');
    return v.gitVersion ?? 'unknown';
  }
}
