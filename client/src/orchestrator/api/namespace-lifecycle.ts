/**
 * What Kubernetes' namespace machinery does, done inline: a `default`
 * ServiceAccount in every namespace, the system namespaces kept, and a
 * deleted namespace's objects deleted with it.
 */
import { StatusError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';
import type { Registry } from './registry';
import { storeKey } from './registry';

export const SYSTEM_NAMESPACES = ['default', 'kube-system', 'kube-public', 'kube-node-lease'];
const UNDELETABLE = ['default', 'kube-system', 'kube-public'];

export async function ensureDefaultServiceAccount(store: ObjectStore, namespace: string): Promise<void> {
  if (store.get('/serviceaccounts', namespace, 'default')) return;
  await store.create('/serviceaccounts', {
    apiVersion: 'v1',
    kind: 'ServiceAccount',
    metadata: { name: 'default', namespace },
  });
}

export function assertNamespaceExists(store: ObjectStore, namespace: string): void {
  if (!store.get('/namespaces', '', namespace)) {
    throw new StatusError('NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
  }
}

export function assertDeletable(namespace: string): void {
  if (UNDELETABLE.includes(namespace)) {
    throw new StatusError('Forbidden', `namespaces "${namespace}" is forbidden: this namespace may not be deleted`, {
      name: namespace,
      kind: 'namespaces',
    });
  }
}

/** Deletes every namespaced object in `namespace` (objects with finalizers are only marked). */
export async function deleteNamespaceContents(store: ObjectStore, registry: Registry, namespace: string): Promise<void> {
  for (const def of registry.resources) {
    if (!def.namespaced) continue;
    const key = storeKey(def);
    for (const obj of store.list(key, namespace).items) {
      if (obj.metadata.deletionTimestamp) continue;
      await store.delete(key, namespace, obj.metadata.name ?? '').catch(() => undefined);
    }
  }
}
