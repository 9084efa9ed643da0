import { isObject, type Json, type JsonObject } from './resource';

/**
 * kustomize's field specs: which kinds (all when `kind` is unset) a
 * transformer touches, at which slash-separated path (`containers[]` steps
 * into every element of a list), and whether it creates missing fields.
 */
export interface FieldSpec {
  kind?: string;
  group?: string;
  path: string;
  create: boolean;
}

export function specApplies(spec: FieldSpec, kind: string, group: string): boolean {
  return (spec.kind === undefined || spec.kind === kind) && (spec.group === undefined || spec.group === group);
}

/**
 * Calls `visit(parent, key, path)` for every place `spec.path` names in
 * `object`, creating the maps on the way when `create` (never lists).
 */
export function forEachField(
  object: JsonObject,
  path: string,
  create: boolean,
  visit: (parent: JsonObject, key: string, at: (string | number)[]) => void,
): void {
  walk(object, path.split('/'), create, visit, []);
}

function walk(
  node: JsonObject,
  steps: string[],
  create: boolean,
  visit: (parent: JsonObject, key: string, at: (string | number)[]) => void,
  at: (string | number)[],
): void {
  const [first, ...rest] = steps;
  if (first === undefined) return;
  const isList = first.endsWith('[]');
  const key = isList ? first.slice(0, -2) : first;
  if (rest.length === 0 && !isList) {
    if (Object.prototype.hasOwnProperty.call(node, key) || create) visit(node, key, [...at, key]);
    return;
  }
  let child: Json | undefined = Object.prototype.hasOwnProperty.call(node, key) ? node[key] : undefined;
  if (Array.isArray(child)) {
    // kustomize steps into every element of a list on the path, with or without `[]`.
    child.forEach((item, i) => {
      if (isObject(item)) walk(item, rest, create, visit, [...at, key, i]);
    });
    return;
  }
  if (child === undefined || child === null) {
    if (!create) return;
    child = {};
    node[key] = child;
  }
  if (isObject(child)) walk(child, rest, create, visit, [...at, key]);
}
