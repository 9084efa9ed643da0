/**
 * Integer fields as Kubernetes' decoding reads them: a field the schema types
 * `integer` (format `int32` or `int64`, int64 when none is given) takes only a
 * whole number in that format's range, and an int-or-string field takes a
 * string or an int32. Anything else fails decoding, before any validation,
 * with the message Go's JSON decoder gives (`json: cannot unmarshal number 1.5
 * into Go struct field DeploymentSpec.spec.replicas of type int32`).
 */
import type { JsonSchema } from '../../../../server/kube-model/json-schema';

/** One integer field whose value cannot be decoded. */
export interface BadInteger {
  /** Where, with list indices: `spec.template.spec.containers[0].ports[0].containerPort`. */
  path: string;
  /** The decoder's message. */
  message: string;
}

/** Where a value sits, as the decoder names it: the Go struct that holds it and the field path without indices. */
export interface GoField {
  struct: string;
  field: string;
}

const RANGES = {
  int32: [-(2 ** 31), 2 ** 31 - 1],
  int64: [-(2 ** 63), 2 ** 63 - 1],
} as const;

/** `#/definitions/V1DeploymentSpec` -> `DeploymentSpec`, the Go type the decoder names. */
export function goStructOf(ref: string): string {
  return ref.replace(/^#\/definitions\//, '').replace(/^V\d+(?:(?:alpha|beta)\d+)?(?=[A-Z])/, '');
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (value === null) return 'null';
  return typeof value === 'object' ? 'object' : typeof value;
}

function fitsInteger(value: number, format: 'int32' | 'int64'): boolean {
  const [min, max] = RANGES[format];
  return Number.isInteger(value) && value >= min && value <= max;
}

/** The decoder's complaint about `value` in a field with this schema, or undefined when it decodes. */
export function integerProblem(value: unknown, schema: JsonSchema, at: GoField): string | undefined {
  if (value === null || value === undefined) return undefined;
  const shown = typeof value === 'number' ? `number ${String(value)}` : jsonKind(value);
  if (schema['x-kubernetes-int-or-string']) {
    if (typeof value === 'string' || (typeof value === 'number' && fitsInteger(value, 'int32'))) return undefined;
    return `json: cannot unmarshal ${shown} into Go value of type int32`;
  }
  if (schema.type !== 'integer') return undefined;
  const format = schema.format === 'int32' ? 'int32' : 'int64';
  if (typeof value === 'number' && fitsInteger(value, format)) return undefined;
  return `json: cannot unmarshal ${shown} into Go struct field ${at.struct}.${at.field} of type ${format}`;
}
