/** The shape every stored object has, and helpers to copy and freeze them. */
import { getOwn, hasOwnKey, jsonEqual, MAX_NESTING_DEPTH, setOwn } from '../../../server/kube-model/patch/json-value';

// The JSON helpers live in the shared model (the strategic merge patch there uses them too).
export {
  clone,
  getOwn,
  hasOwnKey,
  isObject,
  jsonEqual,
  MAX_NESTING_DEPTH,
  nestingDepth,
  setOwn,
  type JsonObject,
} from '../../../server/kube-model/patch/json-value';

export interface OwnerReference {
  apiVersion: string;
  kind: string;
  name: string;
  uid: string;
  controller?: boolean;
  blockOwnerDeletion?: boolean;
}

export interface ObjectMeta {
  name?: string;
  generateName?: string;
  namespace?: string;
  uid?: string;
  resourceVersion?: string;
  generation?: number;
  creationTimestamp?: string;
  deletionTimestamp?: string;
  deletionGracePeriodSeconds?: number;
  labels?: Record<string, string>;
  annotations?: Record<string, string>;
  finalizers?: string[];
  ownerReferences?: OwnerReference[];
  managedFields?: unknown[];
  [key: string]: unknown;
}

export interface KubeObject {
  apiVersion: string;
  kind: string;
  metadata: ObjectMeta;
  [key: string]: unknown;
}

/**
 * Freezes `value` and everything beneath it that is not frozen yet (a frozen part is shared, and frozen
 * whole already). Walks without a list of each object's values: every write freezes its new parts.
 */
export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value !== 'object' || value === null || Object.isFrozen(value)) return value;
  Object.freeze(value);
  if (Array.isArray(value)) {
    for (let i = 0; i < value.length; i++) deepFreeze(value[i]);
  } else {
    const obj = value as Record<string, unknown>;
    // A JSON object's own keys (its prototype, Object's or none, has no enumerable key).
    for (const key in obj) deepFreeze(obj[key]);
  }
  return value;
}

/** Whether a top-level key is outside the spec part (metadata, status and the type). */
const notSpec = (key: string): boolean =>
  key === 'metadata' || key === 'status' || key === 'apiVersion' || key === 'kind';

/**
 * Whether everything outside metadata and status is equal in JSON in `a` and `b` (a change there bumps
 * `generation`): `jsonEqual` of the two objects without those keys, compared in place, nothing copied.
 */
export function sameSpec(a: Readonly<KubeObject>, b: Readonly<KubeObject>): boolean {
  let defined = 0;
  for (const key in a) {
    if (!hasOwnKey(a, key) || notSpec(key)) continue;
    const value = (a as Record<string, unknown>)[key];
    if (value === undefined) continue;
    defined++;
    if (!jsonEqual(value, getOwn(b, key))) return false;
  }
  for (const key in b)
    if (hasOwnKey(b, key) && !notSpec(key) && (b as Record<string, unknown>)[key] !== undefined) defined--;
  return defined === 0;
}

const TOO_DEEP = Symbol('too deep');

/**
 * A deep, mutable copy of a JSON value as `clone` makes it, in the same walk as the depth check a
 * write needs: undefined when objects and arrays nest deeper than `limit` (`nestingDepth` > limit).
 * A writer's own copy made so can be stored as it is (the `fresh` write option).
 */
export function cloneWithin<T>(value: T, limit = MAX_NESTING_DEPTH): T | undefined {
  const copy = copyWithin(value, limit);
  return copy === TOO_DEEP ? undefined : (copy as T);
}

/** `value` copied, or TOO_DEEP when an object or array sits more than `left` levels below it (itself included). */
function copyWithin(value: unknown, left: number): unknown {
  if (typeof value !== 'object' || value === null) return value;
  if (left === 0) return TOO_DEEP;
  if (Array.isArray(value)) {
    const out = new Array<unknown>(value.length);
    for (let i = 0; i < value.length; i++) {
      const item = copyWithin(value[i], left - 1);
      if (item === TOO_DEEP) return TOO_DEEP;
      out[i] = item;
    }
    return out;
  }
  const out: Record<string, unknown> = {};
  for (const key in value) {
    if (!Object.prototype.hasOwnProperty.call(value, key)) continue;
    const item = copyWithin((value as Record<string, unknown>)[key], left - 1);
    if (item === TOO_DEEP) return TOO_DEEP;
    setOwn(out, key, item);
  }
  return out;
}
