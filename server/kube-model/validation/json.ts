/** Reading untrusted JSON values (a parsed manifest or a request body) without trusting their shape. */
export type JsonObject = Record<string, unknown>;

export function isObject(v: unknown): v is JsonObject {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** The object at a key, or an empty one. */
export const objectAt = (parent: unknown, key: string): JsonObject =>
  isObject(parent) && isObject(parent[key]) ? parent[key] : {};

/** What `items` gives for anything but a list (never changed by its callers). */
const NO_ITEMS = Object.freeze([]) as unknown as [number, JsonObject][];

/** The objects of a list (other items skipped, so indexes are kept by the caller through `entries`). */
export function items(v: unknown): [number, JsonObject][] {
  if (!Array.isArray(v) || v.length === 0) return NO_ITEMS;
  const out: [number, JsonObject][] = [];
  for (let i = 0; i < v.length; i++) {
    const item: unknown = v[i];
    if (isObject(item)) out.push([i, item]);
  }
  return out;
}

/** What `listOf` gives for anything but a list (never changed by its callers). */
const NO_LIST: readonly unknown[] = Object.freeze([]);

/** A list, or a shared empty one: loops over it skip non-objects themselves (no `[index, item]` pairs). */
export const listOf = (v: unknown): readonly unknown[] => (Array.isArray(v) ? v : NO_LIST);

/** Whether a list holds at least one object (`items(v).length > 0` without building the pairs). */
export function hasObjectItem(v: unknown): boolean {
  if (!Array.isArray(v)) return false;
  for (let i = 0; i < v.length; i++) if (isObject(v[i])) return true;
  return false;
}

export const isInteger = (v: unknown): v is number => typeof v === 'number' && Number.isInteger(v);

/** Structural equality of JSON values (key order ignored). */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (Array.isArray(a) && Array.isArray(b)) return a.length === b.length && a.every((x, i) => jsonEqual(x, b[i]));
  if (isObject(a) && isObject(b)) {
    const ka = Object.keys(a);
    return ka.length === Object.keys(b).length && ka.every((k) => Object.hasOwn(b, k) && jsonEqual(a[k], b[k]));
  }
  return false;
}

/** A label map (labels, selectors) as strings, as a manifest's scalars read (`1` is `"1"`); collections are dropped. */
export function stringMap(v: unknown): Record<string, string> {
  const out = Object.create(null) as Record<string, string>; // a `__proto__` label is a label
  if (!isObject(v)) return out;
  for (const [k, value] of Object.entries(v)) {
    if (typeof value === 'string') out[k] = value;
    else if (typeof value === 'number' || typeof value === 'boolean') out[k] = String(value);
  }
  return out;
}

/** A scalar as the text a message shows (`1`, `500m`); anything else as JSON. */
export const scalarText = (v: unknown): string =>
  typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : (JSON.stringify(v) ?? '');
