/**
 * Reading a cluster's objects: get, list, watch streams and client-node
 * informers. Items carry apiVersion and kind, unlike the API's lists.
 */
import type { K8s } from './client-node.js';
import { ClusterError } from './cluster-error.js';
import type { KubeApi } from './kube-api.js';
import type { KubeObject } from './kube-object.js';
import type { ObjectRef } from './object-ref.js';

export class ObjectReader {
  constructor(private readonly api: KubeApi) {}

  async get<T extends KubeObject = KubeObject>(ref: ObjectRef): Promise<T | undefined> {
    try {
      return await this.api.request<T>('GET', await this.api.objectPath(ref));
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
    const path = await this.api.collectionPath(apiVersion, kind, options.namespace);
    const list = await this.api.request<{ items?: T[]; metadata?: { resourceVersion?: string } }>('GET', path, {
      query: { labelSelector: options.labelSelector, fieldSelector: options.fieldSelector },
    });
    const items = (list.items ?? []).map((item) => ({ apiVersion, kind, ...item }));
    return { items, resourceVersion: list.metadata?.resourceVersion ?? '' };
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
    const path = await this.api.collectionPath(apiVersion, kind, options.namespace);
    const watch = new this.api.k8s.Watch(this.api.kubeConfig);
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
    const path = await this.api.collectionPath(apiVersion, kind, namespace);
    const list = async () => {
      const { items, resourceVersion } = await this.list<T>(
        apiVersion,
        kind,
        namespace === undefined ? {} : { namespace },
      );
      return { apiVersion: 'v1', kind: 'List', metadata: { resourceVersion }, items };
    };
    return this.api.k8s.makeInformer<T>(this.api.kubeConfig, path, list);
  }
}
