/**
 * One cluster, reached through a kubeconfig file and context: discovery, get,
 * list, watch (informers), server-side apply, patch, delete, logs, exec and
 * port-forward.
 * Objects are the API's JSON as sent, never converted into model classes.
 * It never imports `vscode`, so tests use it in plain Node.
 */
import { request, type RequestOptions as HttpsOptions } from 'node:https';
import { request as httpRequest, type IncomingMessage } from 'node:http';
import type { Socket } from 'node:net';
import { Writable, type Readable } from 'node:stream';
import type { WebSocket } from 'ws';
import { clientNode, type K8s } from './client-node.js';
import { ClusterError, errorFromNetwork, errorFromReply } from './cluster-error.js';
import { describeRef, refOf, type ObjectRef } from './object-ref.js';

export interface KubeObject {
  apiVersion?: string;
  kind?: string;
  metadata?: { name?: string; namespace?: string; resourceVersion?: string; [key: string]: unknown };
  [key: string]: unknown;
}

export interface ResourceInfo {
  /** `/api/v1` or `/apis/apps/v1`. */
  base: string;
  plural: string;
  namespaced: boolean;
  kind: string;
}

export type PatchType = 'merge' | 'strategic' | 'json';
const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export const FIELD_MANAGER = 'kube-workbench';

interface RequestOptions {
  body?: unknown;
  contentType?: string;
  query?: Record<string, string | undefined>;
}

export class ClusterConnection {
  private readonly discovery = new Map<string, Promise<Map<string, ResourceInfo>>>();

  private constructor(
    readonly kubeConfig: K8s.KubeConfig,
    private readonly k8s: typeof K8s,
    readonly contextName: string,
    readonly server: string,
    readonly defaultNamespace: string,
  ) {}

  /** Connects through `context` of a kubeconfig file (its current context when omitted). */
  static async fromKubeconfig(file: string, context?: string): Promise<ClusterConnection> {
    const k8s = await clientNode();
    const kc = new k8s.KubeConfig();
    kc.loadFromFile(file);
    return ClusterConnection.fromKubeConfig(kc, k8s, context);
  }

  static fromKubeConfig(kc: K8s.KubeConfig, k8s: typeof K8s, context?: string): ClusterConnection {
    if (context !== undefined) {
      if (!kc.getContextObject(context))
        throw new ClusterError(`the kubeconfig has no context '${context}'`, 0, 'NoContext');
      kc.setCurrentContext(context);
    }
    const cluster = kc.getCurrentCluster();
    if (!cluster)
      throw new ClusterError(`the kubeconfig's context '${kc.getCurrentContext()}' names no cluster`, 0, 'NoCluster');
    const namespace = kc.getContextObject(kc.getCurrentContext())?.namespace ?? 'default';
    return new ClusterConnection(kc, k8s, kc.getCurrentContext(), cluster.server.replace(/\/$/, ''), namespace);
  }

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

  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.request<T>('GET', await this.objectPath(ref));
    } catch (error) {
      if (error instanceof ClusterError && error.notFound && error.reason === 'NotFound') return undefined;
      throw error;
    }
  }

  /** Every object of a kind (items carry apiVersion and kind, unlike the API's lists). */
  async list<T extends KubeObject = KubeObject>(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string; fieldSelector?: string } = {},
  ): Promise<{ items: T[]; resourceVersion: string }> {
    const path = await this.collectionPath(apiVersion, kind, options.namespace);
    const list = await this.request<{ items?: T[]; metadata?: { resourceVersion?: string } }>('GET', path, {
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
    });
    const items = (list.items ?? []).map((item) => ({ apiVersion, kind, ...item }));
    return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
  }

  /** Server-side apply (force, field manager kube-workbench); `dryRun` validates without storing. */
  async apply<T extends KubeObject = KubeObject>(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<T> {
    const path = await this.objectPath(refOf(object));
    return this.request<T>('PATCH', path, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: 'true', dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  async create<T extends KubeObject = KubeObject>(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<T> {
    const ref = refOf(object);
    const path = await this.collectionPath(ref.apiVersion, ref.kind, ref.namespace ?? this.defaultNamespace);
    return this.request<T>('POST', path, {
      body: object,
      query: { fieldManager: FIELD_MANAGER, dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  async replace<T extends KubeObject = KubeObject>(ref: ObjectRef, object: KubeObject): Promise<T> {
    return this.request<T>('PUT', await this.objectPath(ref), { body: object, query: { fieldManager: FIELD_MANAGER } });
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: unknown,
    type: PatchType = 'merge',
    subresource?: string,
  ): Promise<T> {
    const path = (await this.objectPath(ref)) + (subresource ? `/${subresource}` : '');
    return this.request<T>('PATCH', path, {
      body: patch,
      contentType: PATCH_TYPES[type],
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  /** Deletes an object; false when it was already gone. */
  async delete(
    ref: ObjectRef,
    options: { propagationPolicy?: 'Background' | 'Foreground' | 'Orphan'; dryRun?: boolean } = {},
  ): Promise<boolean> {
    try {
      await this.request('DELETE', await this.objectPath(ref), {
        query: {
          propagationPolicy: options.propagationPolicy ?? 'Background',
          dryRun: options.dryRun ? 'All' : undefined,
        },
      });
      return true;
    } catch (error) {
      if (error instanceof ClusterError && error.notFound && error.reason === 'NotFound') return false;
      throw new ClusterError(
        `deleting ${describeRef(ref)}: ${(error as Error).message}`,
        (error as ClusterError).status ?? 0,
        (error as ClusterError).reason ?? '',
      );
    }
  }

  /**
   * Watches a kind (ADDED for every current object first, then changes) until
   * the returned function is called; `onError` hears about a broken stream.
   */
  async watch(
    apiVersion: string,
    kind: string,
    options: { namespace?: string; labelSelector?: string; fieldSelector?: string },
    onEvent: (type: 'ADDED' | 'MODIFIED' | 'DELETED', object: KubeObject) => void,
    onError: (error: unknown) => void = () => undefined,
  ): Promise<() => void> {
    const path = await this.collectionPath(apiVersion, kind, options.namespace);
    const watch = new this.k8s.Watch(this.kubeConfig);
    const query: Record<string, string> = {};
    if (options.labelSelector) query.labelSelector = options.labelSelector;
    if (options.fieldSelector) query.fieldSelector = options.fieldSelector;
    let stopped = false;
    const controller = await watch.watch(
      path,
      query,
      (phase, object: KubeObject) => {
        if (phase === 'ADDED' || phase === 'MODIFIED' || phase === 'DELETED')
          onEvent(phase, { apiVersion, kind, ...object });
      },
      (error: unknown) => {
        if (!stopped) onError(error ?? new ClusterError(`the watch of ${kind} ended`, 0, 'WatchEnded'));
      },
    );
    return () => {
      stopped = true;
      controller.abort();
    };
  }

  /** A client-node informer: list once, then a watch stream, re-listing on 410 Gone. */
  async informer<T extends KubeObject & K8s.KubernetesObject>(
    apiVersion: string,
    kind: string,
    namespace?: string,
  ): Promise<K8s.Informer<T> & K8s.ObjectCache<T>> {
    const path = await this.collectionPath(apiVersion, kind, namespace);
    const list = async () => {
      const { items, resourceVersion } = await this.list<T>(
        apiVersion,
        kind,
        namespace === undefined ? {} : { namespace },
      );
      return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items };
    };
    return this.k8s.makeInformer<T>(this.kubeConfig, path, list);
  }

  /** Streams a container's log into `out`; `follow` keeps it open until the controller aborts. */
  async logs(
    namespace: string,
    pod: string,
    container: string,
    out: Writable,
    options: { follow?: boolean; tailLines?: number } = {},
  ): Promise<AbortController> {
    const log = new this.k8s.Log(this.kubeConfig);
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
    const exec = new this.k8s.Exec(this.kubeConfig);
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
    const forward = new this.k8s.PortForward(this.kubeConfig);
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

  /** The server's version (`v1.32.0`), or a ClusterError when it does not answer. */
  async version(): Promise<string> {
    const v = await this.request<{ gitVersion?: string }>('GET', '/version');
    return v.gitVersion ?? 'unknown';
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
