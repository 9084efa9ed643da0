/**
 * Strategic merge patch, as kubectl apply and kubectl patch send it: maps
 * merge, lists merge by their merge key (the kind's patch metadata, see
 * patch-meta), and the directives
 * `$patch: replace|delete|merge`, `$setElementOrder/<list>`, `$retainKeys` and
 * `$deleteFromPrimitiveList/<list>` steer it.
 */
import { clone, getOwn, isObject, jsonEqual, setOwn, type JsonObject } from './json-value';
import { PatchError } from './patch-error';
import { MergeSchema, type ListStrategy } from './patch-meta';

const SET_ORDER = '$setElementOrder/';
const DELETE_PRIMITIVE = '$deleteFromPrimitiveList/';

/** Removes every directive from a value that is inserted as is. */
function strip(value: unknown): unknown {
  if (Array.isArray(value))
    return value.filter((v) => !(isObject(v) && v.$patch !== undefined && Object.keys(v).length === 1)).map(strip);
  if (!isObject(value)) return value;
  const out: JsonObject = {};
  for (const [k, v] of Object.entries(value)) {
    if (k === '$patch' || k === '$retainKeys' || k.startsWith(SET_ORDER) || k.startsWith(DELETE_PRIMITIVE)) continue;
    if (v !== null) setOwn(out, k, strip(v));
  }
  return out;
}

/** `schema`: the root of the patched kind (`MergeSchema.forKind`); without it every list is replaced. */
export function applyStrategicMergePatch(original: unknown, patch: unknown, schema = MergeSchema.none()): unknown {
  if (!isObject(patch)) throw new PatchError('a strategic merge patch must be a JSON object');
  return mergeMap(isObject(original) ? original : {}, patch, schema);
}

function mergeMap(original: JsonObject, patch: JsonObject, schema: MergeSchema): JsonObject | undefined {
  const directive = patch.$patch;
  if (directive === 'delete') return undefined;
  if (directive === 'replace') return strip(patch) as JsonObject;
  if (directive !== undefined && directive !== 'merge') {
    throw new PatchError(`unknown patch type: ${JSON.stringify(directive)} in map: ${JSON.stringify(patch)}`);
  }
  const result: JsonObject = { ...original };
  const orders: [string, unknown[]][] = [];
  const deletions: [string, unknown[]][] = [];
  for (const [key, value] of Object.entries(patch)) {
    if (key === '$patch' || key === '$retainKeys') continue;
    if (key.startsWith(SET_ORDER)) {
      orders.push([key.slice(SET_ORDER.length), Array.isArray(value) ? value : []]);
      continue;
    }
    if (key.startsWith(DELETE_PRIMITIVE)) {
      deletions.push([key.slice(DELETE_PRIMITIVE.length), Array.isArray(value) ? value : []]);
      continue;
    }
    if (value === null) {
      delete result[key];
    } else if (Array.isArray(value)) {
      setOwn(result, key, mergeList(getOwn(result, key), value, schema, key));
    } else if (isObject(value)) {
      const current = getOwn(result, key);
      const merged = mergeMap(isObject(current) ? current : {}, value, schema.child(key));
      if (merged === undefined) delete result[key];
      else setOwn(result, key, merged);
    } else {
      setOwn(result, key, value);
    }
  }
  for (const [field, removed] of deletions) {
    const list = getOwn(result, field);
    if (Array.isArray(list))
      setOwn(
        result,
        field,
        list.filter((v) => !removed.some((r) => jsonEqual(r, v))),
      );
  }
  for (const [field, order] of orders) {
    const list = getOwn(result, field);
    if (Array.isArray(list)) setOwn(result, field, reorder(list, order, schema.patchList(field)));
  }
  if (Array.isArray(patch.$retainKeys)) {
    const keep = new Set(patch.$retainKeys.map(String));
    for (const key of Object.keys(result)) if (!keep.has(key)) delete result[key];
  }
  return result;
}

function mergeList(original: unknown, patch: unknown[], parent: MergeSchema, field: string): unknown[] {
  const base = Array.isArray(original) ? original : [];
  if (patch.some((item) => isObject(item) && item.$patch === 'replace' && Object.keys(item).length === 1)) {
    return strip(patch) as unknown[];
  }
  const strategy = parent.patchList(field);
  if (strategy.kind === 'atomic') return strip(patch) as unknown[];
  if (strategy.kind === 'set') {
    const out: unknown[] = [...(base as unknown[])];
    for (const item of patch) if (!out.some((o) => jsonEqual(o, item))) out.push(clone(item));
    return out;
  }
  const key = strategy.key;
  const out: unknown[] = [...(base as unknown[])];
  for (const item of patch) {
    if (!isObject(item)) {
      out.push(item);
      continue;
    }
    const at = out.findIndex((o) => isObject(o) && o[key] !== undefined && jsonEqual(o[key], item[key]));
    if (item.$patch === 'delete') {
      if (at !== -1) out.splice(at, 1);
      continue;
    }
    if (at === -1) out.push(strip(item));
    else {
      const merged = mergeMap(out[at] as JsonObject, item, parent.child(field));
      if (merged === undefined) out.splice(at, 1);
      else out[at] = merged;
    }
  }
  return out;
}

/** Puts the elements named in `order` first, in that order; the others keep their relative order after them. */
function reorder(list: unknown[], order: unknown[], strategy: ListStrategy): unknown[] {
  const keyOf = (item: unknown): unknown => (strategy.kind === 'map' && isObject(item) ? item[strategy.key] : item);
  const orderKeys = order.map((o) => (strategy.kind === 'map' && isObject(o) ? o[strategy.key] : o));
  const rank = (item: unknown) => {
    const i = orderKeys.findIndex((k) => jsonEqual(k, keyOf(item)));
    return i === -1 ? Number.MAX_SAFE_INTEGER : i;
  };
  return list
    .map((item, i) => ({ item, i, r: rank(item) }))
    .sort((a, b) => a.r - b.r || a.i - b.i)
    .map((x) => x.item);
}
