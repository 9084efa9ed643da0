/**
 * How kustomize's strategic merge merges a list the merge metadata marks `merge`: elements are matched by
 * their merge keys (several for `x-kubernetes-list-map-keys`; the scalar itself for a list of scalars), the
 * patch's elements come first in the result and the target's others follow, `$patch: delete` in an element
 * removes it, and an element `{$patch: replace|delete|merge}` steers the whole list.
 */
import { getOwn, isObject, setOwn, type JsonObject } from '../patch/json-value';
import type { MergeSchema } from '../patch/patch-meta';
import { PatchError } from '../patch/patch-error';

export type Path = (string | number)[];
/** What a merge returns for a value the patch removes. */
export const DELETE: unique symbol = Symbol('delete');
/** Merges one value of the target with the patch's (either may be missing). */
export type MergeValue = (
  dest: unknown,
  patch: unknown,
  schema: MergeSchema | undefined,
  path: Path,
  depth: number,
) => unknown;

const DIRECTIVE = '$patch';

/** A scalar as kustomize compares it (its YAML text); "" for a missing, null or collection value. */
function keyText(v: unknown): string {
  if (typeof v === 'string') return v;
  if (typeof v === 'number' || typeof v === 'boolean') return String(v);
  return '';
}

/** The list's directive element (`{$patch: ...}` alone), if any. */
function listDirective(
  patch: unknown[],
  path: Path,
): { at: number; value: 'merge' | 'replace' | 'delete' } | undefined {
  const at = patch.findIndex((e) => isObject(e) && Object.hasOwn(e, DIRECTIVE));
  if (at === -1) return undefined;
  const element = patch[at] as JsonObject;
  if (Object.keys(element).length > 1) return undefined;
  const value = element[DIRECTIVE];
  if (value === 'merge' || value === 'replace' || value === 'delete') return { at, value };
  throw new PatchError(`unknown patch strategy '${JSON.stringify(value)}' at ${path.join('.')}`);
}

function tupleOf(element: unknown, keys: string[]): string[] {
  if (keys.length === 0) return [keyText(element)];
  return keys.map((k) => (isObject(element) ? keyText(getOwn(element, k)) : ''));
}

/** Two tuples agreeing where both have a value (and sharing one) are the same element: each takes the union. */
function unify(tuples: string[][]): void {
  for (let i = 0; i < tuples.length; i++) {
    for (let j = 0; j < tuples.length; j++) {
      const a = tuples[i]!;
      const b = tuples[j]!;
      let common = false;
      let clash = false;
      const union = a.map((x, n) => {
        const y = b[n]!;
        if (x === y) common = true;
        else if (x !== '' && y !== '') clash = true;
        return x !== '' ? x : y;
      });
      if (common && !clash) {
        tuples[i] = union;
        tuples[j] = union;
      }
    }
  }
}

/** The keys an element is matched by: those this tuple has a value for (all of them when it has none). */
function matchKeys(tuple: string[], keys: string[]): { keys: string[]; values: string[] } {
  const used = keys.filter((_, n) => tuple[n] !== '');
  if (used.length === 0) return { keys, values: tuple };
  return { keys: used, values: tuple.filter((v) => v !== '') };
}

function matches(element: unknown, keys: string[], values: string[], scalarList: boolean): boolean {
  if (scalarList) return !isObject(element) && !Array.isArray(element) && keyText(element) === values[0];
  if (!isObject(element)) return false;
  return keys.every((k, n) => Object.hasOwn(element, k) && keyText(element[k]) === values[n]);
}

export function mergeAssociative(
  dest: unknown[] | undefined,
  rawPatch: unknown[],
  mergeKeys: string[],
  schema: MergeSchema,
  path: Path,
  depth: number,
  mergeValue: MergeValue,
): unknown {
  let patch = rawPatch;
  const directive = listDirective(patch, path);
  if (directive) {
    patch = patch.filter((_, i) => i !== directive.at);
    if (dest !== undefined && directive.value === 'delete') return DELETE;
    if (directive.value === 'replace') dest = undefined;
  }
  const scalarList = mergeKeys.length === 0;
  const base = dest ?? patch; // a new list is the patch merged with itself
  const seen = new Set<string>();
  const tuples: string[][] = [];
  for (const element of [...patch, ...base]) {
    const tuple = tupleOf(element, mergeKeys);
    const id = JSON.stringify(tuple);
    if (seen.has(id)) continue;
    seen.add(id);
    tuples.push(tuple);
  }
  if (mergeKeys.length > 1) unify(tuples);
  const remaining = [...base];
  const items: { element: unknown; keys: string[]; values: string[] }[] = [];
  const elementSchema = schema.known ? schema : undefined;
  for (const tuple of tuples) {
    const valid = scalarList ? { keys: [''], values: tuple } : matchKeys(tuple, mergeKeys);
    const at = remaining.findIndex((e) => matches(e, valid.keys, valid.values, scalarList));
    const fromPatch = patch.find((e) => matches(e, valid.keys, valid.values, scalarList));
    const current = at === -1 ? undefined : remaining[at];
    if (current === undefined && fromPatch === undefined) continue;
    let merged = mergeValue(current, fromPatch, elementSchema, [...path, items.length], depth + 1);
    if (merged === DELETE || merged === undefined || (isObject(merged) && Object.keys(merged).length === 0)) {
      if (at !== -1) remaining.splice(at, 1);
      continue;
    }
    if (!scalarList && isObject(merged)) {
      // The keys that matched are set on the element (kustomize writes them as plain scalars).
      valid.keys.forEach((k, n) => {
        if (!Object.hasOwn(merged as JsonObject, k) && valid.values[n] !== '') {
          merged = { ...(merged as JsonObject) };
          const text = valid.values[n]!;
          setOwn(merged as JsonObject, k, /^-?[0-9]{1,15}$/.test(text) ? Number(text) : text);
        }
      });
    }
    if (items.some((i) => matches(i.element, valid.keys, valid.values, scalarList))) continue;
    items.push({ element: merged, ...valid });
    if (at !== -1) remaining.splice(at, 1);
  }
  // What is left of the target: a duplicate of a merged element takes its place (the last one wins, as in
  // kustomize); an element no key matched stays, after the others.
  const out = items.map((i) => i.element);
  for (const element of remaining) {
    const tuple = tupleOf(element, mergeKeys);
    const keys = scalarList ? { keys: [''], values: tuple } : matchKeys(tuple, mergeKeys);
    const at = items.findIndex((i) => matches(i.element, keys.keys, keys.values, scalarList));
    if (at === -1) out.push(element);
    else out[at] = element;
  }
  return out;
}
