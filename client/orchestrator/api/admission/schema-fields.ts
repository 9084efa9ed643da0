/**
 * What the API server's decoding finds against the kind's schema, before any
 * validation: fields the schema does not know are an error (`fieldValidation`
 * Strict, kubectl's default), a warning (Warn) or ignored (Ignore), and a value
 * that is not a quantity where the schema wants one is always an error, and so
 * is an integer field that is not a whole number in its format's range
 * (integer-fields.ts). The
 * schemas, the quantity syntax and the loader are the language server's (the
 * shared model), for the version the cluster serves; missing schemas mean no
 * check, never a failure.
 */
import type { JsonSchema } from '../../../../server/kube-model/json-schema';
import { apiVersionOf } from '../../../../server/kube-model/kinds';
import { isQuantity } from '../../../../server/kube-model/quantity';
import { loadSchemasIfPresent, type KubernetesSchemas } from '../../../../server/kube-model/schema-loader';
import { StatusError } from '../../store/errors';
import { isObject } from '../../store/object';
import type { ResourceDef } from '../registry';
import type { AdmissionContext } from './admission';
import { configDataDecodeProblem } from './config-data-validation';
import { goStructOf, integerProblem, type BadInteger, type GoField } from './integer-fields';

let defaultSchemas: KubernetesSchemas | null | undefined;

/** The default version's schemas, for a context that names none (read once). */
export function defaultSchemasIfPresent(): KubernetesSchemas | undefined {
  if (defaultSchemas === undefined) defaultSchemas = loadSchemasIfPresent() ?? null;
  return defaultSchemas ?? undefined;
}

/** Paths of what the schema does not know, of values that should be quantities and are not, and of integers that do not decode. */
export interface SchemaFindings {
  unknown: string[];
  badQuantities: string[];
  badIntegers: BadInteger[];
}

export function walkSchema(
  schemas: KubernetesSchemas,
  value: unknown,
  schema: JsonSchema | undefined,
  path: string,
  out: SchemaFindings,
  depth = 0,
  go: GoField = { struct: '', field: '' },
): void {
  if (!schema || depth > 64) return;
  if (schema.$ref) {
    const at = { struct: goStructOf(schema.$ref), field: go.field };
    walkSchema(schemas, value, schemas.resolver.resolve(schema), path, out, depth + 1, at);
    return;
  }
  if (schema.format === 'quantity' && value !== null && !isQuantity(value)) out.badQuantities.push(path);
  const integer = integerProblem(value, schema, go);
  if (integer !== undefined) out.badIntegers.push({ path, message: integer });
  if (schema['x-kubernetes-preserve-unknown-fields']) return;
  if (isObject(value)) {
    const props = schema.properties;
    for (const [key, child] of Object.entries(value)) {
      const at = path === '' ? key : `${path}.${key}`;
      const field = { struct: go.struct, field: go.field === '' ? key : `${go.field}.${key}` };
      if (props && Object.prototype.hasOwnProperty.call(props, key))
        walkSchema(schemas, child, props[key], at, out, depth + 1, field);
      else if (isObject(schema.additionalProperties))
        walkSchema(schemas, child, schema.additionalProperties, at, out, depth + 1, field);
      else if (props && schema.additionalProperties !== true) out.unknown.push(at);
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    value.forEach((item, i) => walkSchema(schemas, item, items, `${path}[${i}]`, out, depth + 1, go));
  }
}

export function checkSchemaFields(
  def: ResourceDef,
  raw: unknown,
  context: AdmissionContext,
  schemas: KubernetesSchemas | undefined = defaultSchemasIfPresent(),
): void {
  const cannotHandle = `${def.kind} in version "${def.version}" cannot be handled as a ${def.kind}`;
  const dataProblem = configDataDecodeProblem(def, raw);
  if (dataProblem !== undefined) throw new StatusError('BadRequest', `${cannotHandle}: ${dataProblem}`);
  if (!schemas) return;
  const schema = schemas.schemaFor(apiVersionOf(def), def.kind);
  if (!schema) return;
  const found: SchemaFindings = { unknown: [], badQuantities: [], badIntegers: [] };
  walkSchema(schemas, raw, schema, '', found, 0, { struct: def.kind, field: '' });
  const [firstInteger] = found.badIntegers;
  if (firstInteger) {
    // The decoder stops at the first value it cannot read; the causes name them all.
    throw new StatusError('BadRequest', `${cannotHandle}: ${firstInteger.message}`, {
      kind: def.kind,
      group: def.group,
      causes: found.badIntegers.map((f) => ({ reason: 'FieldValueInvalid', message: f.message, field: f.path })),
    });
  }
  if (found.badQuantities.length > 0) {
    const messages = found.badQuantities.map((f) => `invalid quantity at "${f}" (examples: 500m, 1.5, 128Mi, 2Gi)`);
    throw new StatusError('BadRequest', `${cannotHandle}: ${messages.join(', ')}`, {
      kind: def.kind,
      group: def.group,
      causes: found.badQuantities.map((f) => ({ reason: 'FieldValueInvalid', message: 'invalid quantity', field: f })),
    });
  }
  if (context.fieldValidation === 'Ignore' || found.unknown.length === 0) return;
  const messages = found.unknown.map((f) => `unknown field "${f}"`);
  if (context.fieldValidation === 'Warn') {
    context.warnings.push(...messages);
    return;
  }
  throw new StatusError('BadRequest', `${cannotHandle}: strict decoding error: ${messages.join(', ')}`, {
    kind: def.kind,
    group: def.group,
    causes: found.unknown.map((f) => ({ reason: 'FieldValueInvalid', message: `unknown field "${f}"`, field: f })),
  });
}

/**
 * The integer fields of a stored object that decoding would refuse: objects
 * written before admission checked them, which controllers must not act on.
 */
export function undecodableIntegers(
  def: ResourceDef,
  object: unknown,
  schemas: KubernetesSchemas | undefined = defaultSchemasIfPresent(),
): BadInteger[] {
  const schema = schemas?.schemaFor(apiVersionOf(def), def.kind);
  if (!schemas || !schema) return [];
  // A frozen (stored) object never changes: its answer is kept for as long as the object lives.
  const frozen = typeof object === 'object' && object !== null && Object.isFrozen(object);
  const byObject = frozen ? answers(schemas, schema) : undefined;
  const known = byObject?.get(object as object);
  if (known) return known;
  const found: BadInteger[] = [];
  walkIntegers(schemas, object, schema, [], def.kind, found, 0);
  byObject?.set(object as object, found);
  return found;
}

/**
 * Frozen parts found free of bad integers under a schema, with the smallest depth they were walked
 * at (a walk deeper down stops sooner, so it proves less). The store shares frozen parts between
 * versions of an object (a status write keeps spec and metadata) and between objects (a template's
 * containers), so a new version costs a walk of what changed. Only parts whose walk visited at
 * least CLEAN_PART_VALUES values are kept: an entry per small part would cost more memory than the
 * walk it saves.
 */
const cleanParts = new WeakMap<JsonSchema, WeakMap<object, number>>();
const CLEAN_PART_VALUES = 16;

/**
 * Where a walk is: the keys and indexes from the root, pushed and popped as it goes down and back up
 * (one array per walk; strings are built only for a finding).
 */
type Trail = (string | number)[];

/** `walkSchema`'s path: `a.b[0].c`. */
function pathOf(trail: Trail): string {
  let path = '';
  for (const k of trail) path = typeof k === 'number' ? `${path}[${k}]` : path === '' ? k : `${path}.${k}`;
  return path;
}

/** `walkSchema`'s Go field: the keys without list indexes, `a.b.c`. */
function goFieldOf(trail: Trail): string {
  return trail.filter((k) => typeof k === 'string').join('.');
}

const goStructs = new Map<string, string>();
const NO_FIELD: GoField = { struct: '', field: '' };

/**
 * `walkSchema`'s `badIntegers`, the same paths and messages in the same order, skipping clean
 * frozen parts. Answers how many values it visited.
 */
function walkIntegers(
  schemas: KubernetesSchemas,
  value: unknown,
  schema: JsonSchema | undefined,
  trail: Trail,
  struct: string,
  out: BadInteger[],
  depth: number,
): number {
  if (!schema || depth > 64) return 1;
  if (schema.$ref) {
    let at = goStructs.get(schema.$ref);
    if (at === undefined) goStructs.set(schema.$ref, (at = goStructOf(schema.$ref)));
    return walkIntegers(schemas, value, schemas.resolver.resolve(schema), trail, at, out, depth + 1);
  }
  // Labels, annotations, managedFields, conditions...: nothing beneath can fail to decode as an integer.
  if (!mayHoldIntegers(schemas, schema)) return 1;
  if (integerProblem(value, schema, NO_FIELD) !== undefined) {
    const message = integerProblem(value, schema, { struct, field: goFieldOf(trail) })!;
    out.push({ path: pathOf(trail), message });
  }
  if (schema['x-kubernetes-preserve-unknown-fields'] || typeof value !== 'object' || value === null) return 1;
  const frozen = Object.isFrozen(value);
  const seen = frozen ? cleanParts.get(schema)?.get(value) : undefined;
  if (seen !== undefined && seen <= depth) return 1;
  const before = out.length;
  let visited = 1;
  if (isObject(value)) {
    const props = schema.properties;
    const extra = isObject(schema.additionalProperties) ? schema.additionalProperties : undefined;
    for (const key of Object.keys(value)) {
      const child = props && Object.prototype.hasOwnProperty.call(props, key) ? props[key] : extra;
      if (!child) continue;
      trail.push(key);
      visited += walkIntegers(schemas, value[key], child, trail, struct, out, depth + 1);
      trail.pop();
    }
  } else if (Array.isArray(value) && schema.items) {
    const items = schema.items;
    for (let i = 0; i < value.length; i++) {
      trail.push(i);
      visited += walkIntegers(schemas, value[i], items, trail, struct, out, depth + 1);
      trail.pop();
    }
  }
  if (frozen && out.length === before && visited >= CLEAN_PART_VALUES) {
    let byObject = cleanParts.get(schema);
    if (!byObject) cleanParts.set(schema, (byObject = new WeakMap<object, number>()));
    byObject.set(value, depth);
  }
  return visited;
}

/** Per schema: whether an integer or int-or-string field is reachable from it (see `mayHoldIntegers`). */
const integerReach = new WeakMap<JsonSchema, boolean>();

/**
 * Whether a value under `schema` can hold an integer `walkIntegers` would check: the schema is one
 * (integer, int-or-string), or one is reachable through the properties, additionalProperties or items
 * it walks (not below x-kubernetes-preserve-unknown-fields). Computed once per schema; a $ref cycle
 * (JSONSchemaProps) counts as reachable while it is being computed, so the answer errs towards walking.
 */
export function mayHoldIntegers(schemas: KubernetesSchemas, schema: JsonSchema): boolean {
  const known = integerReach.get(schema);
  if (known !== undefined) return known;
  if (schema.$ref) {
    const resolved = schemas.resolver.resolve(schema);
    const answer = resolved === schema ? true : mayHoldIntegers(schemas, resolved);
    integerReach.set(schema, answer);
    return answer;
  }
  if (schema['x-kubernetes-int-or-string'] || schema.type === 'integer') {
    integerReach.set(schema, true);
    return true;
  }
  if (schema['x-kubernetes-preserve-unknown-fields']) {
    integerReach.set(schema, false);
    return false;
  }
  integerReach.set(schema, true); // while computing: a cycle back here walks
  const children = [
    ...Object.values(schema.properties ?? {}),
    ...(isObject(schema.additionalProperties) ? [schema.additionalProperties as JsonSchema] : []),
    ...(schema.items ? [schema.items] : []),
  ];
  const answer = children.some((child) => mayHoldIntegers(schemas, child));
  integerReach.set(schema, answer);
  return answer;
}

/** Answers of `undecodableIntegers` per schema set and kind schema, per frozen object. */
const cachedAnswers = new WeakMap<KubernetesSchemas, WeakMap<JsonSchema, WeakMap<object, BadInteger[]>>>();

function answers(schemas: KubernetesSchemas, schema: JsonSchema): WeakMap<object, BadInteger[]> {
  let bySchema = cachedAnswers.get(schemas);
  if (!bySchema) cachedAnswers.set(schemas, (bySchema = new WeakMap()));
  let byObject = bySchema.get(schema);
  if (!byObject) bySchema.set(schema, (byObject = new WeakMap()));
  return byObject;
}
