/**
 * Namespace admission: a `default` ServiceAccount in every namespace, the
 * system namespaces kept, nothing new in a namespace that is missing or
 * terminating. Deleting a namespace's contents is the namespace controller's job.
 */
import { StatusError } from '../store/errors';
import type { ObjectStore } from '../store/object-store';

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
  const ns = store.get('/namespaces', '', namespace);
  if (!ns) {
    throw new StatusError('NotFound', `namespaces "${namespace}" not found`, { name: namespace, kind: 'namespaces' });
  }
  if (ns.metadata.deletionTimestamp) {
    throw new StatusError(
      'Forbidden',
      `unable to create new content in namespace ${namespace} because it is being terminated`,
      { name: namespace, kind: 'namespaces' },
    );
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
