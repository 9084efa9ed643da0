/**
 * Changing a cluster's objects: server-side apply (field manager
 * kube-workbench), create, replace, patch and delete; `dryRun` validates
 * without storing.
 */
import { ClusterError } from './cluster-error.js';
import type { KubeApi } from './kube-api.js';
import type { KubeObject } from './kube-object.js';
import { describeRef, refOf, type ObjectRef } from './object-ref.js';

export type PatchType = 'merge' | 'strategic' | 'json';
const PATCH_TYPES: Record<PatchType, string> = {
  merge: 'application/merge-patch+json',
  strategic: 'application/strategic-merge-patch+json',
  json: 'application/json-patch+json',
};

export const FIELD_MANAGER = 'kube-workbench';

export class ObjectWriter {
  constructor(private readonly api: KubeApi) {}

  /** Server-side apply (force, field manager kube-workbench); `dryRun` validates without storing. */
  async apply<T extends KubeObject = KubeObject>(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<T> {
    const path = await this.api.objectPath(refOf(object));
    return this.api.request<T>('PATCH', path, {
      body: object,
      contentType: 'application/apply-patch+yaml',
      query: { fieldManager: FIELD_MANAGER, force: 'true', dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  async create<T extends KubeObject = KubeObject>(object: KubeObject, options: { dryRun?: boolean } = {}): Promise<T> {
    const ref = refOf(object);
    const path = await this.api.collectionPath(ref.apiVersion, ref.kind, ref.namespace ?? this.api.defaultNamespace);
    return this.api.request<T>('POST', path, {
      body: object,
      query: { fieldManager: FIELD_MANAGER, dryRun: options.dryRun ? 'All' : undefined },
    });
  }

  async replace<T extends KubeObject = KubeObject>(ref: ObjectRef, object: KubeObject): Promise<T> {
    return this.api.request<T>('PUT', await this.api.objectPath(ref), {
      body: object,
      query: { fieldManager: FIELD_MANAGER },
    });
  }

  async patch<T extends KubeObject = KubeObject>(
    ref: ObjectRef,
    patch: unknown,
    type: PatchType = 'merge',
    subresource?: string,
  ): Promise<T> {
    const path = (await this.api.objectPath(ref)) + (subresource ? `/${subresource}` : '');
    return this.api.request<T>('PATCH', path, {
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
      await this.api.request('DELETE', await this.api.objectPath(ref), {
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
}
