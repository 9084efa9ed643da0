/**
 * Strategic merge patch as kustomize applies it (its YAML merge, not the API server's): maps merge, `null`
 * deletes, a list merges by its merge key only where the kind's merge metadata says `merge` (lists of kinds
 * the table does not know are replaced), `$patch: delete|replace|merge` on maps and lists. Kustomize's own
 * differences from the API server's patch, kept on purpose because `kubectl kustomize` is the oracle:
 * - a merged list starts with the patch's elements (in the patch's order), then the target's others;
 * - a list keyed by several `x-kubernetes-list-map-keys` (container ports: containerPort + protocol)
 *   matches on all of them;
 * - `$setElementOrder/...`, `$retainKeys` and `$deleteFromPrimitiveList/...` are not directives there:
 *   they are copied into the output like any field;
 * - a value of another node kind than the target's (a list where the target has a map) is an error.
 * Never mutates its inputs; subtrees the patch does not touch keep their identity.
 */
import { clone, getOwn, isObject, MAX_NESTING_DEPTH, nestingDepth, setOwn, type JsonObject } from '../patch/json-value';
import { MergeSchema } from '../patch/patch-meta';
import { PatchError } from '../patch/patch-error';
import { DELETE, mergeAssociative, type Path } from './strategic-merge-list';

/** The merge metadata kustomize uses: Kubernetes 1.34's table (kustomize bundles 1.21's; merge keys agree). */
const MINOR = '1.34';
const DIRECTIVE = '$patch';
const MAX_DEPTH = MAX_NESTING_DEPTH;

type Merged = unknown;

/** `apps/v1` → group `apps`, version `v1`; `v1` → the core group. */
function groupVersion(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/** The merge schema of a resource type, or undefined when the table does not know it (all lists replace). */
export function kustomizeMergeSchema(gvk: { apiVersion: string; kind: string }): MergeSchema | undefined {
  const { group, version } = groupVersion(gvk.apiVersion);
  return MergeSchema.forKnownKind(MINOR, { group, version, kind: gvk.kind });
}

/**
 * Patches `target` (a resource) with `patch` for the resource type `gvk`. Returns the patched resource, or
 * undefined when the patch deletes it (`$patch: delete` at the top). Throws PatchError on a bad patch.
 */
export function applyStrategicMergePatch(
  target: JsonObject,
  patch: JsonObject,
  gvk: { apiVersion: string; kind: string },
): JsonObject | undefined {
  for (const [what, value] of [
    ['patch', patch],
    ['resource', target],
  ] as const) {
    if (nestingDepth(value) > MAX_NESTING_DEPTH)
      throw new PatchError(`the ${what} nests deeper than ${MAX_NESTING_DEPTH} levels`);
  }
  const out = mergeValue(target, patch, kustomizeMergeSchema(gvk), [], 0);
  if (out === DELETE || out === undefined || out === null) return undefined;
  if (!isObject(out)) throw new PatchError('the patched resource is not a map');
  return Object.keys(out).length === 0 ? undefined : out;
}

const kindOf = (v: unknown): string => (Array.isArray(v) ? 'list' : isObject(v) ? 'map' : 'scalar');
const where = (path: Path): string => (path.length === 0 ? 'the document' : path.join('.'));

function mergeValue(dest: unknown, patch: unknown, schema: MergeSchema | undefined, path: Path, depth: number): Merged {
  if (depth > MAX_DEPTH) throw new PatchError(`the patch nests deeper than ${MAX_DEPTH} levels at ${where(path)}`);
  if (patch === null) return DELETE;
  if (patch === undefined) return dest;
  const missing = dest === undefined || dest === null;
  if (!missing && kindOf(dest) !== kindOf(patch)) {
    throw new PatchError(
      `wrong node kind at ${where(path)}: the target has a ${kindOf(dest)}, the patch a ${kindOf(patch)}`,
    );
  }
  if (isObject(patch)) return mergeMap(missing ? undefined : (dest as JsonObject), patch, schema, path, depth);
  return clone(patch); // a scalar, or a list in a list (never merged)
}

function directiveOf(patch: JsonObject, path: Path): 'merge' | 'replace' | 'delete' {
  const value = getOwn(patch, DIRECTIVE);
  if (value === undefined) return 'merge';
  if (value === 'merge' || value === 'replace' || value === 'delete') return value;
  throw new PatchError(`unknown patch strategy '${JSON.stringify(value)}' at ${where(path)}`);
}

function withoutDirective(patch: JsonObject): JsonObject {
  const out: JsonObject = {};
  for (const key of Object.keys(patch)) if (key !== DIRECTIVE) setOwn(out, key, patch[key]);
  return out;
}

function mergeMap(
  dest: JsonObject | undefined,
  patch: JsonObject,
  schema: MergeSchema | undefined,
  path: Path,
  depth: number,
): Merged {
  const directive = directiveOf(patch, path);
  if (directive === 'delete') return DELETE;
  let base: JsonObject;
  let fields: JsonObject;
  if (dest === undefined) {
    // A new map is the patch merged with itself: nested directives still apply.
    base = {};
    fields = withoutDirective(patch);
    return mergeFields(base, fields, fields, schema, path, depth);
  }
  if (directive === 'replace') {
    fields = withoutDirective(patch);
    return mergeFields({}, fields, fields, schema, path, depth);
  }
  return mergeFields({ ...dest }, dest, withoutDirective(patch), schema, path, depth);
}

/** Merges `patch`'s fields into `out` (a copy of `dest`), in kustomize's order: sorted field names. */
function mergeFields(
  out: JsonObject,
  dest: JsonObject,
  patch: JsonObject,
  schema: MergeSchema | undefined,
  path: Path,
  depth: number,
): Merged {
  for (const key of Object.keys(patch).sort()) {
    const child = schema?.child(key);
    const merged =
      Array.isArray(patch[key]) || Array.isArray(getOwn(dest, key))
        ? mergeListField(getOwn(dest, key), patch[key], schema, key, [...path, key], depth + 1)
        : mergeValue(getOwn(dest, key), patch[key], child?.known ? child : undefined, [...path, key], depth + 1);
    if (merged === DELETE) delete out[key];
    else setOwn(out, key, merged);
  }
  return out;
}

function mergeListField(
  dest: unknown,
  patch: unknown,
  parent: MergeSchema | undefined,
  field: string,
  path: Path,
  depth: number,
): Merged {
  if (patch === null) return DELETE;
  const missing = dest === undefined || dest === null;
  if (!missing && kindOf(dest) !== kindOf(patch)) {
    throw new PatchError(
      `wrong node kind at ${where(path)}: the target has a ${kindOf(dest)}, the patch a ${kindOf(patch)}`,
    );
  }
  const keys = listKeys(parent, field);
  if (keys === undefined) return clone(patch); // not merged: the patch's list replaces the target's
  const child = parent!.child(field);
  return mergeAssociative(
    missing ? undefined : (dest as unknown[]),
    patch as unknown[],
    keys,
    child,
    path,
    depth,
    mergeValue,
  );
}

/** The keys a list merges by ([] for a list of scalars), or undefined when it is replaced. */
function listKeys(parent: MergeSchema | undefined, field: string): string[] | undefined {
  const meta = parent?.field(field);
  if (!meta?.patchStrategy?.split(',').includes('merge')) return undefined;
  if (meta.listMapKeys && meta.listMapKeys.length > 0) return [...meta.listMapKeys];
  return meta.patchMergeKey ? [meta.patchMergeKey] : [];
}
