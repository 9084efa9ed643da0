/** Small helpers of the defaulting code: fill a field only when it is unset, reach (and make) a nested object. */
import { isObject, type JsonObject } from '../../store/object';

/** `parent[key]` as an object, made empty when missing. */
export function child(parent: JsonObject, key: string): JsonObject {
  const value = parent[key];
  if (isObject(value)) return value;
  const fresh: JsonObject = {};
  parent[key] = fresh;
  return fresh;
}

/** Sets `target[key]` when it is undefined or null. */
export function setDefault(target: JsonObject, key: string, value: unknown): void {
  if (target[key] === undefined || target[key] === null) target[key] = value;
}

/** The objects of an array (nothing for anything else). */
export function objects(value: unknown): JsonObject[] {
  return Array.isArray(value) ? value.filter(isObject) : [];
}
