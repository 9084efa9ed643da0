/**
 * Field paths as managedFields spell them (`f:spec`, `k:{"name":"web"}`,
 * `v:"x"`), computed from objects, turned into and out of `fieldsV1`, and
 * used to read and remove values.
 */
import { getOwn, hasOwnKey, isObject, jsonEqual, type JsonObject } from '../../store/object';
import type { MergeSchema } from '../../../../server/kube-model/patch/patch-meta';

export type FieldPath = string[];

const METADATA_FIELDS = ['labels', 'annotations', 'finalizers', 'ownerReferences'];

/** `parent` is the schema of the map holding `value` under `field`. */
function walk(value: unknown, parent: MergeSchema, field: string, prefix: FieldPath, out: FieldPath[]): void {
  if (isObject(value)) {
    const entries = Object.entries(value).filter(([, v]) => v !== undefined);
    if (entries.length === 0 && prefix.length > 0) out.push(prefix);
    const schema = parent.child(field);
    for (const [k, v] of entries) walk(v, schema, k, [...prefix, `f:${k}`], out);
    return;
  }
  if (Array.isArray(value)) {
    const strategy = parent.applyList(field);
    if (strategy.kind === 'map') {
      for (const item of value) {
        if (!isObject(item) || item[strategy.key] === undefined) continue;
        const element = [...prefix, `k:${JSON.stringify({ [strategy.key]: item[strategy.key] })}`];
        out.push(element);
        walkElement(item, parent.child(field), element, out);
      }
      return;
    }
    if (strategy.kind === 'set') {
      for (const item of value) out.push([...prefix, `v:${JSON.stringify(item)}`]);
      return;
    }
  }
  out.push(prefix);
}

/** The fields of a keyed list element (the element's own path is already out). */
function walkElement(item: JsonObject, schema: MergeSchema, prefix: FieldPath, out: FieldPath[]): void {
  for (const [k, v] of Object.entries(item)) if (v !== undefined) walk(v, schema, k, [...prefix, `f:${k}`], out);
}

/** The paths a field manager can own in an object: spec-like fields and some metadata, or only status. */
export function ownablePaths(obj: JsonObject, part: 'main' | 'status', schema: MergeSchema): FieldPath[] {
  const out: FieldPath[] = [];
  for (const [key, value] of Object.entries(obj)) {
    if (key === 'apiVersion' || key === 'kind' || value === undefined) continue;
    if ((key === 'status') !== (part === 'status')) continue;
    if (key === 'metadata') {
      if (!isObject(value)) continue;
      const meta = schema.child('metadata');
      for (const field of METADATA_FIELDS) {
        if (value[field] !== undefined) walk(value[field], meta, field, ['f:metadata', `f:${field}`], out);
      }
      continue;
    }
    walk(value, schema, key, [`f:${key}`], out);
  }
  return out;
}

export const pathKey = (p: FieldPath): string => JSON.stringify(p);
export const isElement = (p: FieldPath): boolean => (p[p.length - 1] ?? '').startsWith('k:');

/** Renders `.spec.template.spec.containers[name="web"].image` for messages. */
export function describePath(p: FieldPath): string {
  return p
    .map((el) => {
      if (el.startsWith('f:')) return `.${el.slice(2)}`;
      if (el.startsWith('k:')) {
        const key = JSON.parse(el.slice(2)) as JsonObject;
        return `[${Object.entries(key)
          .map(([k, v]) => `${k}=${JSON.stringify(v)}`)
          .join(',')}]`;
      }
      return `[=${el.slice(2)}]`;
    })
    .join('');
}

export function toFieldsV1(paths: FieldPath[]): JsonObject {
  const root: JsonObject = {};
  for (const p of paths) {
    let node = root;
    for (const el of p) {
      if (!isObject(node[el])) node[el] = {};
      node = node[el] as JsonObject;
    }
    if (isElement(p)) node['.'] = {};
  }
  return root;
}

export function fromFieldsV1(fields: unknown, prefix: FieldPath = [], out: FieldPath[] = []): FieldPath[] {
  if (!isObject(fields)) return out;
  const keys = Object.keys(fields);
  if (keys.length === 0 && prefix.length > 0) out.push(prefix);
  if (keys.includes('.')) out.push(prefix);
  for (const key of keys) if (key !== '.') fromFieldsV1(fields[key], [...prefix, key], out);
  return out;
}

function step(cur: unknown, el: string): unknown {
  if (el.startsWith('f:')) return isObject(cur) ? getOwn(cur, el.slice(2)) : undefined;
  if (!Array.isArray(cur)) return undefined;
  if (el.startsWith('k:')) {
    const key = JSON.parse(el.slice(2)) as JsonObject;
    return cur.find((item) => isObject(item) && Object.entries(key).every(([k, v]) => jsonEqual(getOwn(item, k), v)));
  }
  const wanted: unknown = JSON.parse(el.slice(2));
  return cur.find((item) => jsonEqual(item, wanted));
}

export function valueAt(obj: unknown, p: FieldPath): unknown {
  let cur = obj;
  for (const el of p) cur = step(cur, el);
  return cur;
}

/** Removes the field or list element a path names; returns whether something was removed. */
export function removeAt(obj: unknown, p: FieldPath): boolean {
  const parent = valueAt(obj, p.slice(0, -1));
  const last = p[p.length - 1];
  if (last === undefined) return false;
  if (last.startsWith('f:')) {
    if (!isObject(parent) || !hasOwnKey(parent, last.slice(2))) return false;
    delete parent[last.slice(2)];
    return true;
  }
  if (!Array.isArray(parent)) return false;
  const item = step(parent, last);
  const at = parent.indexOf(item);
  if (item === undefined || at === -1) return false;
  parent.splice(at, 1);
  return true;
}
