import type { Location } from 'vscode-languageserver-types';
import type { IndexedResource, ReferencedKind } from './indexed-resource.js';
import type { Referrer, WorkspaceIndex } from './workspace-index.js';

const REFERENCED_KINDS: ReadonlySet<string> = new Set([
  'ConfigMap',
  'Secret',
  'PersistentVolumeClaim',
  'ServiceAccount',
]);

/**
 * The resources in the workspace that reference this one, each with where
 * the reference is written: pods naming a ConfigMap/Secret/PVC (at the name),
 * Ingresses naming a Service (at the backend's service name), Services
 * selecting a Pod or workload template (at their `selector`).
 */
export function referrersOf(index: WorkspaceIndex, resource: IndexedResource): Referrer[] {
  const out: Referrer[] = [];
  const { name, namespace } = resource;
  if (name !== undefined && REFERENCED_KINDS.has(resource.kind)) {
    for (const { resource: from, reference } of index.referencesTo(resource.kind as ReferencedKind, namespace, name))
      out.push({ resource: from, range: reference.nameRange });
  }
  if (name !== undefined && resource.kind === 'Service') out.push(...index.backendsTo(namespace, name));
  if (resource.pod) {
    for (const service of index.selectingServices(resource)) {
      const range = service.service?.selectorRange;
      if (range) out.push({ resource: service, range });
    }
  }
  return out;
}

/** Where pods read one key of a ConfigMap or Secret. */
export function keyReferrers(index: WorkspaceIndex, resource: IndexedResource, key: string): Referrer[] {
  if (resource.name === undefined || (resource.kind !== 'ConfigMap' && resource.kind !== 'Secret')) return [];
  const out: Referrer[] = [];
  for (const { resource: from, reference } of index.referencesTo(resource.kind, resource.namespace, resource.name))
    for (const k of reference.keys) if (k.key === key) out.push({ resource: from, range: k.range });
  return out;
}

export function toLocation(referrer: Referrer): Location {
  return { uri: referrer.resource.uri, range: referrer.range };
}

/** How many distinct resources the referrers are. */
export function distinctResources(referrers: readonly Referrer[]): number {
  return new Set(referrers.map((r) => r.resource)).size;
}
