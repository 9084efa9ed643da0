import { idOf, isObject, metadataOf, setOrigin, type Resource } from './resource';
import type { SourceSpan } from './index';

/** Kinds kustomize never renames with a prefix or suffix. */
const KEEP_NAME = new Set(['CustomResourceDefinition', 'Namespace']);

/** `namePrefix` and `nameSuffix` on every resource's metadata.name (references are fixed at the end). */
export function addNameAffixes(resources: readonly Resource[], prefix: string, suffix: string, span: SourceSpan): void {
  if (prefix === '' && suffix === '') return;
  for (const resource of resources) {
    const id = idOf(resource.object);
    if (KEEP_NAME.has(id.kind)) continue;
    const meta = metadataOf(resource.object);
    if (!isObject(resource.object['metadata'])) resource.object['metadata'] = meta;
    resource.previous.push(id);
    meta['name'] = `${prefix}${id.name}${suffix}`;
    setOrigin(resource, ['metadata', 'name'], span);
  }
}
