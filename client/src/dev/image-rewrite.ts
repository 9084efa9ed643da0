/**
 * Points the image references of manifests at the images just built: every
 * `containers`, `initContainers` and `ephemeralContainers` entry, in every pod
 * and pod template at any depth (Pods, workloads, CronJobs' job templates,
 * custom resources that embed pod specs), whose image names a built image
 * with any tag or digest (`web`, `web:1.2`, `docker.io/library/web`) gets the
 * content-hash reference instead. Objects are copied; the manifests on disk
 * and the objects passed in are never changed.
 */
import { imageRepository } from '../../../server/kube-model/image-reference.js';
import type { ManifestObject } from '../run/manifest-documents.js';

export { imageRepository };

export interface ImageRewrite {
  kind: string;
  name: string;
  container: string;
  from: string;
  to: string;
}

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);
const MAX_DEPTH = 64;

const isRecord = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);

/** Copies of `objects` with built images put in; `images` maps an image name to its built reference. */
export function rewriteImages(
  objects: readonly ManifestObject[],
  images: Readonly<Record<string, string>>,
): { objects: ManifestObject[]; rewrites: ImageRewrite[] } {
  const byName = new Map<string, string>();
  for (const [name, ref] of Object.entries(images)) byName.set(imageRepository(name), ref);
  const rewrites: ImageRewrite[] = [];
  const out = objects.map((object) => {
    const copy = structuredClone(object);
    const visit = (value: unknown, depth: number): void => {
      if (depth > MAX_DEPTH) return;
      if (Array.isArray(value)) {
        for (const item of value) visit(item, depth + 1);
        return;
      }
      if (!isRecord(value)) return;
      for (const [key, child] of Object.entries(value)) {
        if (CONTAINER_LISTS.has(key) && Array.isArray(child)) {
          for (const container of child) {
            if (!isRecord(container) || typeof container.image !== 'string') continue;
            const to = byName.get(imageRepository(container.image));
            if (to === undefined || to === container.image) continue;
            rewrites.push({
              kind: copy.kind,
              name: String(copy.metadata.name ?? ''),
              container: typeof container.name === 'string' ? container.name : '',
              from: container.image,
              to,
            });
            container.image = to;
          }
        } else visit(child, depth + 1);
      }
    };
    visit(copy, 0);
    return copy;
  });
  return { objects: out, rewrites };
}

/** The built images that some container of the objects names (by repository). */
export function imagesUsed(objects: readonly ManifestObject[], names: readonly string[]): string[] {
  const wanted = new Set(names.map(imageRepository));
  const found = new Set<string>();
  const placeholder = Object.fromEntries([...wanted].map((n) => [n, `${n}:probe`]));
  for (const r of rewriteImages(objects, placeholder).rewrites) found.add(imageRepository(r.from));
  return names.filter((n) => found.has(imageRepository(n)));
}
