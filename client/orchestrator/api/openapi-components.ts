/**
 * The component schemas of one OpenAPI v3 group-version document: every kind's
 * generated JSON Schema and every schema it references (as Kubernetes does,
 * each document carries all it needs: apps/v1 holds core/v1's PodSpec), with
 * the merge extensions of the patch metadata table (x-kubernetes-patch-strategy,
 * -patch-merge-key, -list-type, -list-map-keys, -map-type) on the fields that
 * have them. kubectl's client-side apply computes its strategic merge patch
 * from these.
 */
import type { JsonSchema } from '../../../server/kube-model/json-schema';
import type { KubernetesSchemas } from '../../../server/kube-model/schema-loader';
import { apiVersionOf } from '../../../server/kube-model/kinds';
import { openApiTypeName, patchTypesOf } from '../../../server/kube-model/patch/patch-meta';
import type { FieldPatchMeta, TypePatchMeta } from '../../../server/kube-model/patch/patch-metadata';
import type { ResourceDef } from './registry';

const DEFINITIONS = '#/definitions/';
const COMPONENTS = '#/components/schemas/';

type Json = Record<string, unknown>;

const isJson = (value: unknown): value is Json => typeof value === 'object' && value !== null && !Array.isArray(value);

/** The extensions Kubernetes serves for a field's merge metadata. */
function fieldExtensions(meta: FieldPatchMeta | undefined): Json {
  const out: Json = {};
  if (!meta) return out;
  if (meta.listMapKeys) out['x-kubernetes-list-map-keys'] = [...meta.listMapKeys];
  if (meta.listType) out['x-kubernetes-list-type'] = meta.listType;
  if (meta.mapType) out['x-kubernetes-map-type'] = meta.mapType;
  if (meta.patchMergeKey) out['x-kubernetes-patch-merge-key'] = meta.patchMergeKey;
  if (meta.patchStrategy) out['x-kubernetes-patch-strategy'] = meta.patchStrategy;
  return out;
}

/** The definition a schema refers to: itself, its list's elements or its map's values. */
function referenced(schema: unknown): string | undefined {
  if (!isJson(schema)) return undefined;
  for (const candidate of [schema, schema.items, schema.additionalProperties]) {
    if (isJson(candidate) && typeof candidate.$ref === 'string' && candidate.$ref.startsWith(DEFINITIONS))
      return candidate.$ref.slice(DEFINITIONS.length);
  }
  return undefined;
}

/** A copy with `#/definitions/X` references turned into `#/components/schemas/X`. */
function rewriteRefs(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(rewriteRefs);
  if (!isJson(value)) return value;
  const out: Json = {};
  for (const [key, v] of Object.entries(value)) {
    out[key] = key === '$ref' && typeof v === 'string' ? v.replace(DEFINITIONS, COMPONENTS) : rewriteRefs(v);
  }
  return out;
}

/** A property with its extensions; a `$ref` with siblings is wrapped in `allOf`, as Kubernetes writes it. */
function property(schema: unknown, meta: FieldPatchMeta | undefined): unknown {
  const copy = rewriteRefs(schema);
  if (!isJson(copy)) return copy;
  const { $ref, ...rest } = copy;
  const extended = { ...rest, ...fieldExtensions(meta) };
  if ($ref === undefined) return extended;
  return Object.keys(extended).length === 0 ? { $ref } : { allOf: [{ $ref }], ...extended };
}

function component(definition: JsonSchema, type: TypePatchMeta | undefined): Json {
  const copy = rewriteRefs(definition) as Json;
  const properties = isJson(definition.properties) ? definition.properties : undefined;
  if (properties) {
    copy.properties = Object.fromEntries(
      Object.entries(properties).map(([name, schema]) => [name, property(schema, type?.fields[name])]),
    );
  }
  if (type?.mapType) copy['x-kubernetes-map-type'] = type.mapType;
  return copy;
}

/** The name of a kind's definition in the generated schemas, if it has one. */
export function definitionNameOf(schemas: KubernetesSchemas, def: ResourceDef): string | undefined {
  const schema = schemas.schemaFor(apiVersionOf(def), def.kind);
  if (!schema) return undefined;
  return Object.keys(schemas.definitions).find((name) => schemas.definitions[name] === schema);
}

/**
 * Every component a group version's kinds need, by definition name. The patch table is walked beside the
 * definitions, from each kind's type down the fields, so each definition gets its own type's extensions.
 */
export function componentsFor(schemas: KubernetesSchemas, defs: readonly ResourceDef[]): Record<string, Json> {
  const types = patchTypesOf(schemas.version);
  const typeOf = new Map<string, string | undefined>();
  const queue: [string, string | undefined][] = [];
  const visit = (name: string, type: string | undefined) => {
    if (!(name in schemas.definitions)) return;
    if (typeOf.has(name) && (typeOf.get(name) !== undefined || type === undefined)) return;
    typeOf.set(name, type);
    queue.push([name, type]);
  };
  for (const def of defs) {
    const name = definitionNameOf(schemas, def);
    if (name) visit(name, openApiTypeName(def.group, def.version, def.kind));
  }
  while (queue.length > 0) {
    const [name, type] = queue.shift()!;
    const definition = schemas.definitions[name]!;
    const fields = type !== undefined ? types[type]?.fields : undefined;
    const properties = isJson(definition.properties) ? definition.properties : {};
    for (const [field, schema] of Object.entries(properties)) {
      const target = referenced(schema);
      if (target) visit(target, fields?.[field]?.type);
    }
    for (const target of allRefs(definition)) visit(target, undefined);
  }
  const out: Record<string, Json> = {};
  for (const name of [...typeOf.keys()].sort()) {
    const type = typeOf.get(name);
    out[name] = component(schemas.definitions[name]!, type !== undefined ? types[type] : undefined);
  }
  return out;
}

/** Every definition a schema names anywhere inside it. */
function allRefs(value: unknown, out: string[] = []): string[] {
  if (Array.isArray(value)) for (const v of value) allRefs(v, out);
  else if (isJson(value)) {
    for (const [key, v] of Object.entries(value)) {
      if (key === '$ref' && typeof v === 'string' && v.startsWith(DEFINITIONS)) out.push(v.slice(DEFINITIONS.length));
      else allRefs(v, out);
    }
  }
  return out;
}
