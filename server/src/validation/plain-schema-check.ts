import type { JsonSchema, JsonType, SchemaResolver } from '../../kube-model/json-schema.js';
import { isQuantity } from '../../kube-model/quantity.js';
import { INT32_MAX, INT32_MIN, isBase64 } from './scalar-formats.js';
import { planOf, safeTest } from './validate-node.js';

const MAX_DEPTH = 200;

/**
 * Whether `NodeValidator` would report nothing for a document read as plain values
 * (`document/plain-parse.ts`: objects with string keys, arrays, scalars): the same
 * walk, answering only yes or no, so it allocates nothing and needs no ranges. A
 * "no" is never wrong to give: the caller then runs the node walk, which says what
 * and where. Every condition below is one of the walk's reports, in its order.
 */
export class PlainSchemaCheck {
  constructor(
    private readonly resolver: SchemaResolver,
    /** Structural (CRD) schemas: an object with `properties` and no `additionalProperties` is closed. */
    private readonly closedByDefault = false,
    /** A strategic merge patch: nothing required, `$` directives are not fields. */
    private readonly partial = false,
  ) {}

  clean(value: unknown, schema: JsonSchema, depth = 0, partial = this.partial): boolean {
    if (depth > MAX_DEPTH) return true;
    const plan = planOf(this.resolver, schema);
    const s = plan.s;
    if (value === null) {
      // The walk reports each required field of an explicit empty value (its anchor is always set here).
      return !(s.properties && s.required && s.required.length > 0 && !partial);
    }
    const branches = s.anyOf ?? s.oneOf;
    if (branches && branches.length > 0) {
      // The walk probes each branch with a validator that is never partial.
      let some = false;
      for (const branch of branches) if ((some = this.clean(value, branch, depth + 1, false))) break;
      if (!some) return false;
    }
    if (s.allOf) for (const part of s.allOf) if (!this.clean(value, part, depth + 1, partial)) return false;
    const types = plan.types;
    if (types && !matchesSome(value, types)) {
      if (!(s['x-kubernetes-int-or-string'] && (matchesType(value, 'integer') || matchesType(value, 'string'))))
        return false;
    }
    if (Array.isArray(value)) {
      if (s.minItems !== undefined && value.length < s.minItems) return false;
      if (s.maxItems !== undefined && value.length > s.maxItems) return false;
      if (s.items) for (const item of value) if (!this.clean(item, s.items, depth + 1, partial)) return false;
      return true;
    }
    if (typeof value === 'object') return this.cleanMap(value as Record<string, unknown>, s, depth, partial);
    return cleanScalar(value, s);
  }

  private cleanMap(map: Record<string, unknown>, s: JsonSchema, depth: number, partial: boolean): boolean {
    const properties = s.properties;
    let count = 0;
    for (const key in map) {
      count++;
      if (partial && key.startsWith('$')) continue;
      const property =
        properties && Object.prototype.hasOwnProperty.call(properties, key) ? properties[key] : undefined;
      if (property) {
        if (!this.clean(map[key], property, depth + 1, partial)) return false;
      } else if (typeof s.additionalProperties === 'object') {
        if (!this.clean(map[key], s.additionalProperties, depth + 1, partial)) return false;
      } else if (this.isClosed(s)) return false;
    }
    if (!partial && s.required)
      for (const name of s.required)
        if (!Object.prototype.hasOwnProperty.call(map, name) || map[name] === null) return false;
    return !(s.minProperties !== undefined && count < s.minProperties);
  }

  private isClosed(s: JsonSchema): boolean {
    if (s['x-kubernetes-preserve-unknown-fields']) return false;
    if (s.additionalProperties === false) return true;
    return this.closedByDefault && s.additionalProperties === undefined && s.properties !== undefined;
  }
}

function cleanScalar(value: unknown, s: JsonSchema): boolean {
  if (s.enum && !s.enum.some((allowed) => allowed === value)) return false;
  if (s.format === 'quantity' && !isQuantity(value)) return false;
  if (s.format === 'byte' && typeof value === 'string' && !isBase64(value)) return false;
  if (s.format === 'int32' && typeof value === 'number' && (value < INT32_MIN || value > INT32_MAX)) return false;
  if (typeof value === 'number') {
    if (s.minimum !== undefined && (value < s.minimum || (s.exclusiveMinimum === true && value === s.minimum)))
      return false;
    if (s.maximum !== undefined && (value > s.maximum || (s.exclusiveMaximum === true && value === s.maximum)))
      return false;
  }
  if (typeof value === 'string') {
    if (s.minLength !== undefined && value.length < s.minLength) return false;
    if (s.maxLength !== undefined && value.length > s.maxLength) return false;
    if (s.pattern !== undefined && !safeTest(s.pattern, value)) return false;
  }
  return true;
}

function matchesSome(value: unknown, types: readonly JsonType[]): boolean {
  for (const t of types) if (matchesType(value, t)) return true;
  return false;
}

function matchesType(value: unknown, type: JsonType): boolean {
  switch (type) {
    case 'object':
      return typeof value === 'object' && value !== null && !Array.isArray(value);
    case 'array':
      return Array.isArray(value);
    case 'string':
      return typeof value === 'string';
    case 'integer':
      return typeof value === 'number' && Number.isInteger(value);
    case 'number':
      return typeof value === 'number';
    case 'boolean':
      return typeof value === 'boolean';
    case 'null':
      return value === null;
  }
}
