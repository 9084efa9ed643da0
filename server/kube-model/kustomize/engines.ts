/**
 * The patch, selector and hash engines (kz-patches' files), behind the one
 * seam the renderer calls.
 */
import { applyJson6902 } from './json6902';
import { isObject, type JsonObject } from './resource';
import { applyStrategicMergePatch } from './strategic-merge';
import { compileTargetSelector, type TargetSelector } from './target-selector';

export { nameSuffixHash } from './hash';
export { readTargetSelector, SelectorError, type TargetSelector } from './target-selector';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** Strategic merge as kustomize does it; undefined when the patch deletes the resource. Throws PatchError. */
export function strategicMerge(target: JsonObject, patch: JsonObject, gvk: Gvk): JsonObject | undefined {
  const apiVersion = gvk.group === '' ? gvk.version : `${gvk.group}/${gvk.version}`;
  const out = applyStrategicMergePatch(target, patch, { apiVersion, kind: gvk.kind }) as JsonObject | undefined;
  if (out === undefined) return undefined;
  // As kustomize does after a patch: the resource keeps its kind, name and namespace.
  const before = isObject(target['metadata']) ? target['metadata'] : {};
  const meta: JsonObject = isObject(out['metadata']) ? { ...out['metadata'] } : {};
  for (const key of ['name', 'namespace']) {
    const kept = before[key];
    if (kept === undefined) delete meta[key];
    else meta[key] = kept;
  }
  const result: JsonObject = { ...out, metadata: meta };
  if (target['kind'] !== undefined) result['kind'] = target['kind'];
  return result;
}

/** RFC 6902 (json-patch v4's leniency) over a copy; throws PatchError naming the op's index. */
export function json6902(target: JsonObject, ops: unknown): JsonObject {
  return applyJson6902(target, ops) as JsonObject;
}

/** One resource as a selector sees it: its object and the name and namespace it was read with. */
export interface Selectable {
  object: JsonObject;
  original: { name: string; namespace: string };
}

/** The indexes of the resources a patch `target` selects. Throws SelectorError for a bad pattern. */
export function selectTargets(resources: readonly Selectable[], selector: TargetSelector): number[] {
  const matches = compileTargetSelector(selector);
  const out: number[] = [];
  resources.forEach((r, i) => {
    if (matches({ object: r.object, originalName: r.original.name, originalNamespace: r.original.namespace }))
      out.push(i);
  });
  return out;
}
