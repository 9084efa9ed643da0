import { isObject, setOrigin, str, type Json, type Resource } from './resource';
import type { SourceSpan } from './index';

export interface ImageEntry {
  name: string;
  newName?: string;
  newTag?: string;
  digest?: string;
  span: SourceSpan;
}

/** `nginx:1.2@sha256:..` -> ['nginx', ':1.2@sha256:..']; a port in the registry is not a tag. */
export function splitImage(image: string): [string, string] {
  const at = image.indexOf('@');
  const beforeDigest = at === -1 ? image : image.slice(0, at);
  const slash = beforeDigest.lastIndexOf('/');
  const colon = beforeDigest.indexOf(':', slash + 1);
  const end = colon !== -1 ? colon : at !== -1 ? at : image.length;
  return [image.slice(0, end), image.slice(end)];
}

function retag(image: string, entry: ImageEntry): string | undefined {
  const [name, tag] = splitImage(image);
  if (name !== entry.name) return undefined;
  const newName = entry.newName !== undefined && entry.newName !== '' ? entry.newName : name;
  let newTag = tag;
  const hasTag = entry.newTag !== undefined && entry.newTag !== '';
  const hasDigest = entry.digest !== undefined && entry.digest !== '';
  if (hasTag && hasDigest) newTag = `:${entry.newTag}@${entry.digest}`;
  else if (hasTag) newTag = `:${entry.newTag}`;
  else if (hasDigest) newTag = `@${entry.digest}`;
  return newName + newTag;
}

/** `images`: rewrites the image of every container and init container, wherever the pod spec sits. */
export function setImages(resources: readonly Resource[], entries: readonly ImageEntry[]): void {
  if (entries.length === 0) return;
  for (const resource of resources) walk(resource, resource.object, [], entries);
}

function walk(resource: Resource, node: Json, at: (string | number)[], entries: readonly ImageEntry[]): void {
  if (Array.isArray(node)) {
    node.forEach((item, i) => walk(resource, item, [...at, i], entries));
    return;
  }
  if (!isObject(node)) return;
  for (const [key, value] of Object.entries(node)) {
    if ((key === 'containers' || key === 'initContainers') && Array.isArray(value)) {
      value.forEach((container, i) => {
        if (!isObject(container) || typeof container['image'] !== 'string') return;
        for (const entry of entries) {
          const next = retag(str(container['image']), entry);
          if (next === undefined) continue;
          container['image'] = next;
          setOrigin(resource, [...at, key, i, 'image'], entry.span);
          break;
        }
      });
    } else {
      walk(resource, value, [...at, key], entries);
    }
  }
}
