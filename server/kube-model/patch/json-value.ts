/**
 * Plain JSON values (parsed manifests, request bodies, stored objects) read and
 * copied without trusting their keys: `__proto__`, `constructor` and `toString`
 * are data here, never Object.prototype's. The orchestrator's store re-exports these.
 */

export type JsonObject = { [key: string]: unknown };

export function isObject(value: unknown): value is JsonObject {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

const hasOwn = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/**
 * `obj[key]` when `key` is the object's own property, else undefined: user
 * JSON may name `constructor`, `__proto__` or `toString`, which a plain read
 * would find on Object.prototype.
 */
export function getOwn(obj: object, key: string): unknown {
  return hasOwn(obj, key) ? (obj as Record<string, unknown>)[key] : undefined;
}

/** Whether `obj` has its own property `key` (never one it inherits). */
export function hasOwnKey(obj: object, key: string): boolean {
  return hasOwn(obj, key);
}

/**
 * `obj[key] = value` that keeps `__proto__` as data: a plain assignment of that
 * key would replace the object's prototype instead (and `metadata.__proto__.name`
 * would then read as `metadata.name` but never be stored).
 */
export function setOwn(obj: Record<string, unknown>, key: string, value: unknown): void {
  if (key === '__proto__')
    Object.defineProperty(obj, key, { value, writable: true, enumerable: true, configurable: true });
  else obj[key] = value;
}

/** A deep, mutable copy of a JSON value. Stored objects are frozen; change a copy. */
export function clone<T>(value: T): T {
  return copyJson(value) as T;
}

/** Plain objects, arrays and primitives only: several times faster than structuredClone. */
function copyJson(value: unknown): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) out[i] = copyJson(value[i]);
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (hasOwn(value, key)) setOwn(out, key, copyJson((value as Record<string, unknown>)[key]));
  }
  return out;
}

/**
 * Structural equality of JSON values (key order ignored; a key holding `undefined` counts as absent; own keys
 * only). Allocates nothing: the orchestrator's store compares every update with the version before. Recursion
 * is bounded by the nesting depth callers check first (MAX_NESTING_DEPTH).
 */
export function jsonEqual(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!jsonEqual(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const key in x) {
    if (!hasOwn(x, key)) continue;
    const value = x[key];
    if (value === undefined) continue;
    defined++;
    if (!jsonEqual(value, getOwn(y, key))) return false;
  }
  for (const key in y) if (hasOwn(y, key) && y[key] !== undefined) defined--;
  return defined === 0;
}

/**
 * How deeply objects and arrays may nest (`{"a":{}}` is 2 deep). Copying, comparing and patching recurse,
 * and the stack holds a few thousand levels: callers refuse deeper values first.
 */
export const MAX_NESTING_DEPTH = 1000;

/**
 * The nesting depth of a JSON value (0 for a scalar), counting no further than `limit` + 1; no recursion, and
 * nothing allocated but its two stacks (the store measures every write it takes).
 */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop()!;
    const here = depths.pop()!;
    if (here > deepest) {
      deepest = here;
      if (deepest > limit) return deepest;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(here + 1);
        }
      }
    } else {
      for (const key in v) {
        if (!hasOwn(v, key)) continue;
        const child = (v as Record<string, unknown>)[key];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(here + 1);
        }
      }
    }
  }
  return deepest;
}
