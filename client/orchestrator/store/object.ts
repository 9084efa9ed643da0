/** The shape every stored object has, and helpers to copy and freeze them. */
import { setOwn, type JsonObject } from '../../../server/kube-model/patch/json-value';

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
