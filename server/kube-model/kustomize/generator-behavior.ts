/**
 * A generated resource with behaviour `merge` or `replace` meets the resource of the same kind, name and
 * namespace made earlier (in a base): kustomize keeps the earlier one's name, namespace and place, merges
 * the labels and annotations (the new values win), and for `merge` also the `data` and `binaryData` maps
 * (the new values win). `create` with an existing resource, and `merge`/`replace` without one, are errors
 * the renderer reports (`kustomize-generator-clash`).
 */
import { getOwn, isObject, type JsonObject } from '../patch/json-value';
import type { GeneratedResource } from './generator';

const mapAt = (o: JsonObject, key: string): JsonObject => {
  const v = getOwn(o, key);
  return isObject(v) ? v : {};
};

function mergedMap(older: JsonObject, newer: JsonObject): JsonObject | undefined {
  const out = { ...older, ...newer };
  return Object.keys(out).length > 0 ? out : undefined;
}

/** What the message of a behaviour that does not fit says, or undefined when it fits. */
export function behaviorProblem(generated: GeneratedResource, existing: boolean): string | undefined {
  if (existing && generated.behavior === 'create')
    return 'a resource of this kind, name and namespace already exists; behavior must be merge or replace';
  if (!existing && generated.behavior !== 'create')
    return `behavior ${generated.behavior} needs an existing resource of this kind, name and namespace to ${generated.behavior}; there is none`;
  return undefined;
}

/** The resource that takes `existing`'s place when `generated` (behaviour merge or replace) lands on it. */
export function applyGeneratorBehavior(existing: JsonObject, generated: GeneratedResource): JsonObject {
  const older = mapAt(existing, 'metadata');
  const newer = mapAt(generated.object, 'metadata');
  const metadata: JsonObject = { ...newer };
  const labels = mergedMap(mapAt(older, 'labels'), mapAt(newer, 'labels'));
  const annotations = mergedMap(mapAt(older, 'annotations'), mapAt(newer, 'annotations'));
  delete metadata.labels;
  delete metadata.annotations;
  if (labels) metadata.labels = labels;
  if (annotations) metadata.annotations = annotations;
  metadata.name = getOwn(older, 'name');
  if (getOwn(older, 'namespace') !== undefined) metadata.namespace = getOwn(older, 'namespace');
  else delete metadata.namespace;
  const out: JsonObject = { ...generated.object, metadata };
  if (generated.behavior === 'merge') {
    for (const field of ['data', 'binaryData']) {
      const merged = mergedMap(mapAt(existing, field), mapAt(generated.object, field));
      if (merged) out[field] = merged;
    }
  }
  return out;
}
