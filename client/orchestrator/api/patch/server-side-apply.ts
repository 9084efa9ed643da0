/**
 * Server-side apply: the applied configuration is merged into the live object
 * (maps recursively, keyed lists by key, other lists replaced), fields this
 * manager applied before and no longer applies are removed unless someone else
 * owns them, and applying a different value to a field another manager owns is
 * a conflict unless forced.
 */
import { rfc3339 } from '../../clock';
import { StatusError } from '../../store/errors';
import { clone, getOwn, isObject, jsonEqual, type JsonObject, type KubeObject, setOwn } from '../../store/object';
import { describePath, isElement, ownablePaths, pathKey, removeAt, valueAt, type FieldPath } from './field-set';
import { readEntries, writeEntries, type OwnedSet } from './managed-fields';
import { MergeSchema } from '../../../../server/kube-model/patch/patch-meta';

export interface ApplyRequest {
  live: Readonly<KubeObject> | undefined;
  config: KubeObject;
  manager: string;
  force: boolean;
  apiVersion: string;
  now: number;
  /** The root of the kind (`MergeSchema.forKind`): which lists merge by key. */
  schema: MergeSchema;
}

/** Merges `patch` into `base` the way apply does: no directives, keyed lists merge. */
export function structuredMerge(base: unknown, patch: unknown, schema = MergeSchema.none()): unknown {
  if (!isObject(patch)) return clone(patch);
  const out: JsonObject = isObject(base) ? { ...base } : {};
  for (const [k, v] of Object.entries(patch)) {
    if (v === null) delete out[k];
    else if (Array.isArray(v)) setOwn(out, k, mergeList(getOwn(out, k), v, schema, k));
    else setOwn(out, k, structuredMerge(getOwn(out, k), v, schema.child(k)));
  }
  return out;
}

function mergeList(base: unknown, patch: unknown[], parent: MergeSchema, field: string): unknown[] {
  const strategy = parent.applyList(field);
  const current: unknown[] = Array.isArray(base) ? [...(base as unknown[])] : [];
  if (strategy.kind === 'set') {
    for (const item of patch) if (!current.some((c) => jsonEqual(c, item))) current.push(item);
    return current;
  }
  if (strategy.kind === 'map') {
    for (const item of patch) {
      const at = current.findIndex(
        (c) => isObject(c) && isObject(item) && jsonEqual(c[strategy.key], item[strategy.key]),
      );
      if (at === -1) current.push(clone(item));
      else current[at] = structuredMerge(current[at], item, parent.child(field));
    }
    return current;
  }
  return clone(patch);
}

export function serverSideApply(request: ApplyRequest): KubeObject {
  const { live, config, manager, force, apiVersion, now, schema } = request;
  const configPaths = ownablePaths(config, 'main', schema);
  const newEntry = (): OwnedSet => ({
    entry: { manager, operation: 'Apply', apiVersion, time: '', fieldsType: 'FieldsV1', fieldsV1: {} },
    paths: new Map(),
  });
  if (!live) {
    const created = clone(config);
    const mine = newEntry();
    for (const p of configPaths) mine.paths.set(pathKey(p), p);
    mine.entry.time = rfc3339(now);
    writeEntries(created, [mine]);
    return created;
  }
  const sets = readEntries(live).filter((s) => (s.entry.subresource ?? '') === '' || s.entry.subresource === undefined);
  const others = readEntries(live).filter((s) => (s.entry.subresource ?? '') !== '');
  let mine = sets.find((s) => s.entry.manager === manager && s.entry.operation === 'Apply');
  const conflicts: { manager: string; apiVersion: string; path: FieldPath }[] = [];
  for (const s of sets) {
    if (s === mine) continue;
    for (const p of configPaths) {
      if (isElement(p) || !s.paths.has(pathKey(p))) continue;
      if (!jsonEqual(valueAt(live, p), valueAt(config, p)))
        conflicts.push({ manager: s.entry.manager, apiVersion: s.entry.apiVersion, path: p });
    }
  }
  if (conflicts.length > 0 && !force) throw conflictError(conflicts, live);
  for (const c of conflicts) for (const s of sets) if (s !== mine) s.paths.delete(pathKey(c.path));

  const configKeys = new Set(configPaths.map(pathKey));
  const ownedByOthers = new Set(sets.filter((s) => s !== mine).flatMap((s) => [...s.paths.keys()]));
  const result = clone(live) as KubeObject;
  const dropped = [...(mine?.paths.values() ?? [])]
    .filter((p) => !configKeys.has(pathKey(p)) && !ownedByOthers.has(pathKey(p)))
    .sort((a, b) => b.length - a.length);
  for (const p of dropped) {
    const prefix = pathKey(p).slice(0, -1);
    const stillUsed = [...ownedByOthers, ...configKeys].some((k) => k.startsWith(prefix) && k !== pathKey(p));
    if (!stillUsed) removeAt(result, p);
  }
  const merged = structuredMerge(result, config, schema) as KubeObject;
  merged.metadata = { ...merged.metadata };
  for (const key of ['uid', 'resourceVersion', 'creationTimestamp', 'generation', 'deletionTimestamp']) {
    if (live.metadata[key] !== undefined) merged.metadata[key] = live.metadata[key];
  }
  if (config.metadata.resourceVersion !== undefined) merged.metadata.resourceVersion = config.metadata.resourceVersion;
  const previous = mine ? { time: mine.entry.time, keys: [...mine.paths.keys()].sort().join('\n') } : undefined;
  if (!mine) {
    mine = newEntry();
    sets.push(mine);
  }
  mine.paths = new Map(configPaths.map((p) => [pathKey(p), p] as const));
  // An apply that changes nothing (same object, same owned fields) keeps its time, so
  // the store sees no change and the resourceVersion stays, as in Kubernetes.
  const unchanged =
    previous !== undefined &&
    conflicts.length === 0 &&
    previous.keys === [...mine.paths.keys()].sort().join('\n') &&
    jsonEqual(withoutManagedFields(merged), withoutManagedFields(live));
  mine.entry.time = unchanged ? previous.time : rfc3339(now);
  mine.entry.apiVersion = apiVersion;
  writeEntries(merged, [...sets, ...others]);
  return merged;
}

function withoutManagedFields(object: KubeObject): KubeObject {
  const { managedFields: _ignored, ...metadata } = object.metadata;
  return { ...object, metadata };
}

function conflictError(
  conflicts: { manager: string; apiVersion: string; path: FieldPath }[],
  live: Readonly<KubeObject>,
): StatusError {
  const lines = conflicts.map((c) => `conflict with "${c.manager}" using ${c.apiVersion}: ${describePath(c.path)}`);
  const message =
    conflicts.length === 1
      ? `Apply failed with 1 conflict: ${lines[0]}`
      : `Apply failed with ${conflicts.length} conflicts: ${lines.join('\n')}`;
  return new StatusError('Conflict', message, {
    name: live.metadata.name ?? '',
    kind: live.kind,
    causes: conflicts.map((c) => ({
      reason: 'FieldManagerConflict',
      message: `conflict with "${c.manager}" using ${c.apiVersion}`,
      field: describePath(c.path),
    })),
  });
}
