/** The shape every stored object has, and helpers to copy and freeze them. */
import { setOwn, type JsonObject } from '../../../server/kube-model/patch/json-value';

// The JSON helpers live in the shared model (the strategic merge patch there uses them too).
export {
  clone,
  getOwn,
  hasOwnKey,
  isObject,
  jsonEqual,
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
 * How deeply objects and arrays may nest (`{"a":{}}` is 2 deep). Copying, comparing,
 * serializing and patching recurse, and the stack holds a few thousand levels: the API
 * refuses deeper bodies (Kubernetes' JSON decoder stops at 10,000) and the store never holds one.
 */
export const MAX_NESTING_DEPTH = 1000;

/** The nesting depth of a JSON value (0 for a scalar), counting no further than `limit` + 1; no recursion. */
export function nestingDepth(value: unknown, limit = MAX_NESTING_DEPTH): number {
  let deepest = 0;
  const stack: [unknown, number][] = [[value, 0]];
  while (stack.length > 0) {
    const [v, depth] = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    const here = depth + 1;
    if (here > deepest) deepest = here;
    if (deepest > limit) return deepest;
    for (const child of Array.isArray(v) ? v : Object.values(v)) {
      if (typeof child === 'object' && child !== null) stack.push([child, here]);
    }
  }
  return deepest;
}

export function deepFreeze<T>(value: T): Readonly<T> {
  if (typeof value === 'object' && value !== null && !Object.isFrozen(value)) {
    Object.freeze(value);
    for (const child of Object.values(value as object)) deepFreeze(child);
  }
  return value;
}

/** Everything outside metadata and status: a change here bumps `generation`. */
export function specPart(obj: KubeObject): JsonObject {
  const rest: JsonObject = {};
  for (const [k, v] of Object.entries(obj)) {
    if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') setOwn(rest, k, v);
  }
  return rest;
}
