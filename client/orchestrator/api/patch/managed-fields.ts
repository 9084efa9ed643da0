/**
 * `metadata.managedFields` bookkeeping for ordinary writes (operation Update):
 * the writer takes ownership of the fields it changed; fields that disappear
 * lose their owners; managers left with nothing are dropped.
 */
import { rfc3339 } from '../../clock';
import { deepFreeze, isObject, jsonEqual, type JsonObject, type KubeObject } from '../../store/object';
import { jsonKey } from '../../store/json-bytes';
import type { MergeSchema } from '../../../../server/kube-model/patch/patch-meta';
import { fromFieldsV1, ownablePaths, pathKey, toFieldsV1, valueAt, type FieldPath } from './field-set';

export interface ManagedFieldsEntry {
  manager: string;
  operation: 'Apply' | 'Update';
  apiVersion: string;
  time: string;
  fieldsType: 'FieldsV1';
  fieldsV1: JsonObject;
  subresource?: string;
}

export interface OwnedSet {
  entry: ManagedFieldsEntry;
  paths: Map<string, FieldPath>;
}

export function readEntries(obj: { metadata: { managedFields?: unknown[] } } | undefined): OwnedSet[] {
  const raw = obj?.metadata.managedFields;
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObject).map((e) => {
    const entry = structuredClone(e) as unknown as ManagedFieldsEntry;
    const paths = new Map(fromFieldsV1(entry.fieldsV1).map((p) => [pathKey(p), p] as const));
    return { entry, paths };
  });
}

export function writeEntries(object: KubeObject, sets: OwnedSet[]): void {
  const kept = sets.filter((s) => s.paths.size > 0);
  for (const s of kept) s.entry.fieldsV1 = toFieldsV1([...s.paths.values()]);
  if (kept.length > 0) object.metadata.managedFields = kept.map((s) => s.entry);
  else delete object.metadata.managedFields;
}

export function recordManagedFields(
  object: KubeObject,
  old: Readonly<KubeObject> | undefined,
  manager: string,
  operation: 'Update',
  apiVersion: string,
  now: number,
  schema: MergeSchema,
  subresource?: string,
): void {
  const sent = object.metadata.managedFields;
  if (old || (Array.isArray(sent) && sent.length > 0)) {
    recordChangedFields(object, old, manager, operation, apiVersion, now, schema, subresource);
    return;
  }
  // A create that sends no managedFields: the writer owns every ownable field (the fields of
  // objects made from one template are the same: computed once per shape, see createdFields).
  const fieldsV1 = createdFields(object, subresource === 'status' ? 'status' : 'main', schema);
  if (fieldsV1 === undefined) {
    delete object.metadata.managedFields;
    return;
  }
  const entry: ManagedFieldsEntry = {
    manager,
    operation,
    apiVersion,
    time: rfc3339(now),
    fieldsType: 'FieldsV1',
    fieldsV1,
    ...(subresource ? { subresource } : {}),
  };
  object.metadata.managedFields = [entry];
}

/** `fieldsV1` of every ownable field of `object` (none: undefined), per merge schema and shape of the ownable fields. */
const createdCache = new WeakMap<MergeSchema, Map<string, JsonObject | null>>();
const CREATED_CACHE_SIZE = 512;

function createdFields(object: KubeObject, part: 'main' | 'status', schema: MergeSchema): JsonObject | undefined {
  // Ownable paths read only these (field-set.ts ownablePaths): the name, uid and times never count.
  const { metadata: m, apiVersion: _a, kind: _k, ...rest } = object;
  const shape = jsonKey([part, rest, m.labels, m.annotations, m.finalizers, m.ownerReferences]);
  let bySchema = createdCache.get(schema);
  if (!bySchema) createdCache.set(schema, (bySchema = new Map<string, JsonObject | null>()));
  let fields = bySchema.get(shape);
  if (fields === undefined) {
    const paths = ownablePaths(object, part, schema);
    fields = paths.length > 0 ? deepFreeze(toFieldsV1(paths)) : null;
    if (bySchema.size >= CREATED_CACHE_SIZE) bySchema.delete(bySchema.keys().next().value!);
    bySchema.set(shape, fields);
  }
  return fields ?? undefined;
}

/** managedFields by what changed between `old` and `object` (exported for the differential test). */
export function recordChangedFields(
  object: KubeObject,
  old: Readonly<KubeObject> | undefined,
  manager: string,
  operation: 'Update',
  apiVersion: string,
  now: number,
  schema: MergeSchema,
  subresource?: string,
): void {
  const part = subresource === 'status' ? 'status' : 'main';
  const sent = object.metadata.managedFields;
  const sets = Array.isArray(sent) && sent.length > 0 ? readEntries(object) : readEntries(old);
  const after = ownablePaths(object, part, schema);
  const before = old ? ownablePaths(old, part, schema) : [];
  const afterKeys = new Set(after.map(pathKey));
  const beforeKeys = new Set(before.map(pathKey));
  const changed = after.filter((p) => !beforeKeys.has(pathKey(p)) || !jsonEqual(valueAt(old, p), valueAt(object, p)));
  const gone = before.filter((p) => !afterKeys.has(pathKey(p))).map(pathKey);
  const tag = subresource ?? '';
  let mine = sets.find(
    (s) => s.entry.manager === manager && s.entry.operation === operation && (s.entry.subresource ?? '') === tag,
  );
  for (const s of sets) {
    for (const key of gone) s.paths.delete(key);
    if (s !== mine) for (const p of changed) s.paths.delete(pathKey(p));
  }
  if (changed.length > 0) {
    if (!mine) {
      mine = {
        entry: {
          manager,
          operation,
          apiVersion,
          time: '',
          fieldsType: 'FieldsV1',
          fieldsV1: {},
          ...(subresource ? { subresource } : {}),
        },
        paths: new Map(),
      };
      sets.push(mine);
    }
    for (const p of changed) mine.paths.set(pathKey(p), p);
    mine.entry.time = rfc3339(now);
    mine.entry.apiVersion = apiVersion;
  }
  writeEntries(object, sets);
}
