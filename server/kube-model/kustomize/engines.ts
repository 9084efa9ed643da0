/**
 * The patch, selector and generator engines, behind one seam: the renderer
 * calls only these. Temporary implementations until kz-patches' engines land
 * (server/kube-model/patch/ and kustomize/strategic-*, json6902*,
 * target-selector*, generator*, hash*), which then replace these bodies.
 */
import { createHash } from 'node:crypto';
import { isObject, type Json, type JsonObject } from './resource';

export interface Gvk {
  group: string;
  version: string;
  kind: string;
}

/** Strategic merge: maps merge, `null` deletes, lists of maps with a `name` merge by name, other lists replace. */
export function strategicMerge(target: JsonObject, patch: JsonObject, gvk: Gvk): JsonObject {
  void gvk;
  return mergeMap(target, patch);
}

function mergeMap(target: JsonObject, patch: JsonObject): JsonObject {
  if (patch['$patch'] === 'replace') {
    const { $patch: _, ...rest } = patch;
    void _;
    return structuredClone(rest);
  }
  const out: JsonObject = { ...target };
  for (const [key, value] of Object.entries(patch)) {
    if (key.startsWith('$')) continue;
    if (value === null) {
      delete out[key];
      continue;
    }
    const current = out[key];
    if (isObject(value) && isObject(current)) out[key] = mergeMap(current, value);
    else if (Array.isArray(value) && Array.isArray(current)) out[key] = mergeList(current, value);
    else out[key] = structuredClone(value);
  }
  return out;
}

function mergeList(target: Json[], patch: Json[]): Json[] {
  const keyed = (v: Json) => (isObject(v) && typeof v['name'] === 'string' ? v['name'] : undefined);
  if (!patch.every((v) => keyed(v) !== undefined) || !target.every((v) => keyed(v) !== undefined)) {
    return structuredClone(patch);
  }
  const out = [...target];
  for (const item of patch) {
    const i = out.findIndex((t) => keyed(t) === keyed(item));
    const obj = item as JsonObject;
    if (obj['$patch'] === 'delete') {
      if (i !== -1) out.splice(i, 1);
    } else if (i === -1) out.push(structuredClone(item));
    else out[i] = mergeMap(out[i] as JsonObject, obj);
  }
  return out;
}

/** RFC 6902 over a copy; throws an Error naming the op's index. */
export function json6902(target: JsonObject, ops: unknown): JsonObject {
  if (!Array.isArray(ops)) throw new Error('a JSON 6902 patch is a list of operations');
  let doc: Json = structuredClone(target);
  ops.forEach((op, i) => {
    try {
      doc = applyOp(doc, op);
    } catch (error) {
      throw new Error(`operation ${i}: ${error instanceof Error ? error.message : String(error)}`);
    }
  });
  if (!isObject(doc)) throw new Error('the patch replaced the whole object with a non-object');
  return doc;
}

function pointer(p: unknown): string[] {
  if (typeof p !== 'string' || (p !== '' && !p.startsWith('/'))) throw new Error(`bad path ${JSON.stringify(p)}`);
  return p === ''
    ? []
    : p
        .slice(1)
        .split('/')
        .map((s) => s.replace(/~1/g, '/').replace(/~0/g, '~'));
}

function parentOf(doc: Json, steps: string[]): { parent: Json; last: string } {
  let node = doc;
  for (const step of steps.slice(0, -1)) {
    const next: Json | undefined = Array.isArray(node) ? node[Number(step)] : isObject(node) ? node[step] : undefined;
    if (next === undefined) throw new Error(`path /${steps.join('/')} does not exist`);
    node = next;
  }
  return { parent: node, last: steps[steps.length - 1] ?? '' };
}

function getAt(doc: Json, steps: string[]): Json {
  if (steps.length === 0) return doc;
  const { parent, last } = parentOf(doc, steps);
  const v = Array.isArray(parent) ? parent[Number(last)] : isObject(parent) ? parent[last] : undefined;
  if (v === undefined) throw new Error(`path /${steps.join('/')} does not exist`);
  return v;
}

function removeAt(doc: Json, steps: string[]): void {
  const { parent, last } = parentOf(doc, steps);
  getAt(doc, steps);
  if (Array.isArray(parent)) parent.splice(Number(last), 1);
  else if (isObject(parent)) delete parent[last];
}

function addAt(doc: Json, steps: string[], value: Json, replace: boolean): Json {
  if (steps.length === 0) return value;
  const { parent, last } = parentOf(doc, steps);
  if (Array.isArray(parent)) {
    const i = last === '-' ? parent.length : Number(last);
    if (!Number.isInteger(i) || i < 0 || i > parent.length) throw new Error(`index ${last} out of range`);
    if (replace) parent[i] = value;
    else parent.splice(i, 0, value);
  } else if (isObject(parent)) {
    if (replace && !(last in parent)) throw new Error(`path /${steps.join('/')} does not exist`);
    parent[last] = value;
  } else throw new Error(`path /${steps.join('/')} does not exist`);
  return doc;
}

function applyOp(doc: Json, op: unknown): Json {
  if (!isObject(op)) throw new Error('an operation is a map');
  const path = pointer(op['path']);
  switch (op['op']) {
    case 'add':
      return addAt(doc, path, structuredClone(op['value'] ?? null), false);
    case 'replace':
      return addAt(doc, path, structuredClone(op['value'] ?? null), true);
    case 'remove':
      removeAt(doc, path);
      return doc;
    case 'copy':
      return addAt(doc, path, structuredClone(getAt(doc, pointer(op['from']))), false);
    case 'move': {
      const from = pointer(op['from']);
      const v = getAt(doc, from);
      removeAt(doc, from);
      return addAt(doc, path, v, false);
    }
    case 'test':
      if (JSON.stringify(getAt(doc, path)) !== JSON.stringify(op['value'])) throw new Error('test failed');
      return doc;
    default:
      throw new Error(`unknown op ${JSON.stringify(op['op'])}`);
  }
}

/** kustomize's content hash suffix of a generated ConfigMap or Secret. */
export function nameSuffixHash(object: JsonObject): string {
  const meta = isObject(object['metadata']) ? object['metadata'] : {};
  const kind = object['kind'];
  // kubectl kustomize 5.5 hashes with an empty name (checked against its output).
  const encoded: Record<string, Json> = { kind: kind ?? '', name: '' };
  void meta;
  if (kind === 'Secret') encoded['type'] = object['type'] ?? '';
  encoded['data'] = object['data'] ?? {};
  if (kind === 'ConfigMap' && isObject(object['binaryData']) && Object.keys(object['binaryData']).length > 0) {
    encoded['binaryData'] = object['binaryData'];
  }
  const json = goJson(encoded);
  const hex = createHash('sha256').update(json).digest('hex');
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

/** Go's encoding/json output: map keys sorted, `<>&` escaped. */
function goJson(value: Json): string {
  const esc = (s: string) =>
    JSON.stringify(s)
      .replace(/</g, '\\u003c')
      .replace(/>/g, '\\u003e')
      .replace(/&/g, '\\u0026')
      .replace(/\u2028/g, '\\u2028')
      .replace(/\u2029/g, '\\u2029');
  if (typeof value === 'string') return esc(value);
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isObject(value)) {
    return `{${Object.keys(value)
      .sort()
      .map((k) => `${esc(k)}:${goJson(value[k] ?? null)}`)
      .join(',')}}`;
  }
  return JSON.stringify(value);
}

export interface TargetSelector {
  group?: string;
  version?: string;
  kind?: string;
  name?: string;
  namespace?: string;
  labelSelector?: string;
  annotationSelector?: string;
}

/** One resource as a selector sees it: its current identity and the one it was read with. */
export interface Selectable {
  object: JsonObject;
  original: { name: string; namespace: string };
}

const anchored = (pattern: string, value: string): boolean => {
  try {
    return new RegExp(`^(?:${pattern})$`).test(value);
  } catch {
    return pattern === value;
  }
};

function matchesSelector(expression: string, map: unknown): boolean {
  const m = isObject(map) ? map : {};
  return expression
    .split(',')
    .map((s) => s.trim())
    .filter((s) => s !== '')
    .every((term) => {
      const neq = term.indexOf('!=');
      if (neq !== -1) return m[term.slice(0, neq).trim()] !== term.slice(neq + 2).trim();
      const eq = term.indexOf('=');
      if (eq !== -1)
        return (
          m[term.slice(0, eq).trim()] ===
          term
            .slice(eq + 1)
            .replace(/^=/, '')
            .trim()
        );
      if (term.startsWith('!')) return !(term.slice(1) in m);
      return term in m;
    });
}

/** The indexes of the resources a patch `target` selects (kustomize's Select, regexes anchored). */
export function selectTargets(
  resources: readonly Selectable[],
  selector: TargetSelector,
  namespaced: (kind: string) => boolean,
): number[] {
  const out: number[] = [];
  resources.forEach((r, i) => {
    const apiVersion = typeof r.object['apiVersion'] === 'string' ? r.object['apiVersion'] : '';
    const slash = apiVersion.lastIndexOf('/');
    const group = slash === -1 ? '' : apiVersion.slice(0, slash);
    const version = slash === -1 ? apiVersion : apiVersion.slice(slash + 1);
    const kind = typeof r.object['kind'] === 'string' ? r.object['kind'] : '';
    const meta = isObject(r.object['metadata']) ? r.object['metadata'] : {};
    const name = typeof meta['name'] === 'string' ? meta['name'] : '';
    const ns = typeof meta['namespace'] === 'string' ? meta['namespace'] : '';
    const effective = (n: string) => (n === '' && namespaced(kind) ? 'default' : n);
    if (selector.group !== undefined && selector.group !== '' && !anchored(selector.group, group)) return;
    if (selector.version !== undefined && selector.version !== '' && !anchored(selector.version, version)) return;
    if (selector.kind !== undefined && selector.kind !== '' && !anchored(selector.kind, kind)) return;
    if (
      selector.name !== undefined &&
      selector.name !== '' &&
      !anchored(selector.name, r.original.name) &&
      !anchored(selector.name, name)
    )
      return;
    if (
      selector.namespace !== undefined &&
      selector.namespace !== '' &&
      !anchored(selector.namespace, effective(r.original.namespace)) &&
      !anchored(selector.namespace, effective(ns))
    ) {
      return;
    }
    if (selector.labelSelector !== undefined && !matchesSelector(selector.labelSelector, meta['labels'])) return;
    if (selector.annotationSelector !== undefined && !matchesSelector(selector.annotationSelector, meta['annotations']))
      return;
    out.push(i);
  });
  return out;
}
