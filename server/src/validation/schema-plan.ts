import type { JsonSchema, JsonType, SchemaResolver } from '../../kube-model/json-schema.js';

/**
 * What the schema walk (validate-node.ts) reads of one schema object, worked out once per
 * resolver: its `$ref` followed, its types as a list, and every keyword the walk looks at as a
 * field of one class. Schema objects come from JSON in hundreds of shapes, so each keyword read
 * on them (most of them absent) was a lookup V8 could not specialise; a plan's fields are one
 * shape. The values are the schema's own (nothing is copied or changed).
 */
export class SchemaPlan {
  readonly types: readonly JsonType[] | undefined;
  /** `anyOf`, else `oneOf`, when either is given. */
  readonly union: readonly JsonSchema[] | undefined;
  readonly allOf: readonly JsonSchema[] | undefined;
  readonly intOrString: boolean;
  readonly properties: Record<string, JsonSchema> | undefined;
  readonly required: readonly string[] | undefined;
  /** `additionalProperties` when it is a schema. */
  readonly additional: JsonSchema | undefined;
  /** Unknown fields are rejected (`additionalProperties: false`, fields not preserved). */
  readonly closed: boolean;
  /** Unknown fields are rejected when the schema is structural (a CRD's): properties and nothing else said. */
  readonly closedIfStructural: boolean;
  readonly minProperties: number | undefined;
  readonly items: JsonSchema | undefined;
  readonly minItems: number | undefined;
  readonly maxItems: number | undefined;
  /** Whether a scalar has anything to be checked against (enum, format, bounds, lengths, pattern). */
  readonly scalarChecks: boolean;
  readonly enum: readonly unknown[] | undefined;
  readonly format: string | undefined;
  readonly minimum: number | undefined;
  readonly maximum: number | undefined;
  readonly exclusiveMinimum: boolean;
  readonly exclusiveMaximum: boolean;
  readonly minLength: number | undefined;
  readonly maxLength: number | undefined;
  readonly pattern: string | undefined;

  constructor(readonly s: JsonSchema) {
    this.types = s.type === undefined ? undefined : Array.isArray(s.type) ? s.type : [s.type];
    this.union = s.anyOf || s.oneOf ? (s.anyOf ?? s.oneOf) : undefined;
    this.allOf = s.allOf || undefined;
    this.intOrString = Boolean(s['x-kubernetes-int-or-string']);
    this.properties = s.properties;
    this.required = s.required;
    this.additional = typeof s.additionalProperties === 'object' ? s.additionalProperties : undefined;
    const preserved = Boolean(s['x-kubernetes-preserve-unknown-fields']);
    this.closed = !preserved && s.additionalProperties === false;
    this.closedIfStructural = !preserved && s.additionalProperties === undefined && s.properties !== undefined;
    this.minProperties = s.minProperties;
    this.items = s.items || undefined;
    this.minItems = s.minItems;
    this.maxItems = s.maxItems;
    this.enum = s.enum || undefined;
    this.format = s.format;
    this.minimum = s.minimum;
    this.maximum = s.maximum;
    this.exclusiveMinimum = s.exclusiveMinimum === true;
    this.exclusiveMaximum = s.exclusiveMaximum === true;
    this.minLength = s.minLength;
    this.maxLength = s.maxLength;
    this.pattern = s.pattern;
    this.scalarChecks =
      this.enum !== undefined ||
      s.format !== undefined ||
      s.minimum !== undefined ||
      s.maximum !== undefined ||
      s.minLength !== undefined ||
      s.maxLength !== undefined ||
      s.pattern !== undefined;
  }
}

export type PlanTable = WeakMap<JsonSchema, SchemaPlan>;
const tables = new WeakMap<SchemaResolver, PlanTable>();

/** The plans of one resolver's schema objects (a validator looks its table up once). */
export function planTable(resolver: SchemaResolver): PlanTable {
  let table = tables.get(resolver);
  if (!table) {
    table = new WeakMap();
    tables.set(resolver, table);
  }
  return table;
}

/** A schema object's plan (its `$ref` followed by `resolver`), made on first use. */
export function planIn(table: PlanTable, resolver: SchemaResolver, schema: JsonSchema): SchemaPlan {
  let plan = table.get(schema);
  if (!plan) {
    plan = new SchemaPlan(resolver.resolve(schema));
    table.set(schema, plan);
  }
  return plan;
}
