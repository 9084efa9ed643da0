/**
 * The patch, selector and generator engines, behind one seam: the renderer calls only these. They are
 * kz-patches' engines (strategic-merge.ts, json6902.ts, target-selector.ts, hash.ts) in the renderer's types.
 */
import { applyJson6902 } from './json6902';
import { nameSuffixHash as kustomizeHash } from './hash';
import { applyStrategicMergePatch } from './strategic-merge';
import { compileTargetSelector, SelectorError, type TargetSelector } from './target-selector';
import { isObject, type JsonObject } from './resource';

export type { TargetSelector } from './target-selector';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/**
 * kustomize's strategic merge (strategic-merge.ts) for a resource of type `gvk`. A patch that deletes the
 * whole resource (`$patch: delete`) gives `{}`; throws PatchError for a bad patch.
 */
export function strategicMerge(target: JsonObject, patch: JsonObject, gvk: Gvk): JsonObject {
  const apiVersion = gvk.group ? `${gvk.group}/${gvk.version}` : gvk.version;
  const out = applyStrategicMergePatch(target, patch, { apiVersion, kind: gvk.kind });
  if (out === undefined) return {};
  // As kustomize does after a patch: the resource keeps its kind, name and namespace.
  const before = isObject(target['metadata']) ? target['metadata'] : {};
  const meta: JsonObject = isObject(out['metadata']) ? { ...out['metadata'] } : {};
  for (const key of ['name', 'namespace']) {
    const kept = before[key];
    if (kept === undefined) delete meta[key];
    else meta[key] = kept;
  }
  const result = { ...out, metadata: meta } as JsonObject;
  if (target['kind'] !== undefined) result['kind'] = target['kind'];
  return result;
}

/** RFC 6902 over a copy, with kustomize's json-patch v4 rules; throws PatchError naming the op's index. */
export function json6902(target: JsonObject, ops: unknown): JsonObject {
  return applyJson6902(target, ops) as JsonObject;
}

/** kustomize's content hash suffix of a generated ConfigMap or Secret. */
export function nameSuffixHash(object: JsonObject): string {
  return kustomizeHash(object);
}

/** One resource as a selector sees it: its current identity and the one it was read with. */
export interface Selectable {
  object: JsonObject;
  original: { name: string; namespace: string };
}

/**
 * The indexes of the resources a patch `target` selects (kustomize's Select, patterns anchored). A pattern
 * or selector string that is wrong selects nothing; `selectorProblem` says why.
 */
export function selectTargets(
  resources: readonly Selectable[],
  selector: TargetSelector,
  namespaced: (kind: string) => boolean,
): number[] {
  void namespaced; // target-selector.ts knows the cluster-scoped kinds (kube-model/kinds.ts)
  let match: ReturnType<typeof compileTargetSelector>;
  try {
    match = compileTargetSelector(selector);
  } catch (e) {
    if (e instanceof SelectorError) return [];
    throw e;
  }
  const out: number[] = [];
  resources.forEach((r, i) => {
    if (match({ object: r.object, originalName: r.original.name, originalNamespace: r.original.namespace }))
      out.push(i);
  });
  return out;
}

/** Why a `target` cannot select (a bad pattern or label selector), or undefined. */
export function selectorProblem(selector: TargetSelector): string | undefined {
  try {
    compileTargetSelector(selector);
    return undefined;
  } catch (e) {
    if (e instanceof SelectorError) return e.message;
    throw e;
  }
}
