/**
 * One cluster, reached through a kubeconfig file and context. The connection
 * itself (requests, discovery, paths, version) is its KubeApi; each concern
 * has its own client: `reader` (get, list, watch, informers), `writer`
 * (server-side apply, create, replace, patch, delete) and `pods` (logs, exec,
 * port-forward). Objects are the API's JSON as sent, never converted into
 * model classes. It never imports `vscode`, so tests use it in plain Node.
 */
import { clientNode, type K8s } from './client-node.js';
import { ClusterError } from './cluster-error.js';
import { KubeApi } from './kube-api.js';
import { ObjectReader } from './object-reader.js';
import { ObjectWriter } from './object-writer.js';
import { PodIo } from './pod-io.js';

export class ClusterConnection extends KubeApi {
  /** Get, list, watch and informers. */
  readonly reader = new ObjectReader(this);
  /** Server-side apply, create, replace, patch and delete. */
  readonly writer = new ObjectWriter(this);
  /** Logs, exec and port-forward. */
  readonly pods = new PodIo(this);

  private constructor(
    kubeConfig: K8s.KubeConfig,
    k8s: typeof K8s,
    readonly contextName: string,
    server: string,
    defaultNamespace: string,
  ) {
    super(kubeConfig, k8s, server, defaultNamespace);
  }

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
}
