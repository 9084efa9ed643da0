/**
 * ConfigMap and Secret data (v1): every key is a config key (`[-._a-zA-Z0-9]+`,
 * at most 253 characters, not `.`, `..` or starting with `..`); a ConfigMap key
 * is in `data` or `binaryData`, never both; the values total at most 1 MiB; a
 * Secret of a built-in type has the keys its type needs; and once `immutable`
 * is true, neither the data nor the flag may change.
 */
import { base64DecodedLength } from '../base64-error-offset';
import { configKeyErrors } from '../name-formats';
import type { ValidationContext } from './context';
import { type FieldError, type FieldPath, forbidden, invalid, required, tooLong } from './field-error';
import { isObject, jsonEqual, objectAt, type JsonObject } from './json';

/** The most bytes a ConfigMap's or a Secret's values may hold together. */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;

const invalidKey = (field: string, key: string, detail: string): FieldError =>
  invalid([field, { key }], key, detail, 'name');

function entries(object: JsonObject, field: string): [string, unknown][] {
  const map = object[field];
  return isObject(map) ? Object.entries(map) : [];
}

const textBytes = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
const binaryBytes = (value: unknown): number => (typeof value === 'string' ? base64DecodedLength(value) : 0);

/** Once stored with `immutable: true`, the data and the flag are fixed. */
function validateImmutable(object: JsonObject, context: ValidationContext, fields: string[], out: FieldError[]): void {
  if (context.operation !== 'UPDATE' || context.old?.immutable !== true) return;
  const why = 'field is immutable when `immutable` is set';
  if (object.immutable !== true) out.push(forbidden(['immutable'], why, 'immutable'));
  for (const field of fields)
    if (!jsonEqual(object[field] ?? {}, context.old[field] ?? {})) out.push(forbidden([field], why, 'immutable'));
}

export function validateConfigMap(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  const data = entries(object, 'data');
  const binary = entries(object, 'binaryData');
  const inData = new Set(data.map(([k]) => k));
  const inBinary = new Set(binary.map(([k]) => k));
  let total = 0;
  for (const [key, value] of data) {
    for (const detail of configKeyErrors(key)) out.push(invalidKey('data', key, detail));
    if (inBinary.has(key)) out.push(invalidKey('data', key, 'duplicate of key present in binaryData'));
    total += textBytes(value);
  }
  for (const [key, value] of binary) {
    for (const detail of configKeyErrors(key)) out.push(invalidKey('binaryData', key, detail));
    if (inData.has(key)) out.push(invalidKey('binaryData', key, 'duplicate of key present in data'));
    total += binaryBytes(value);
  }
  // The whole object is at fault: Kubernetes names the field `[]`.
  if (total > MAX_CONFIG_DATA_BYTES) out.push(tooLong([{ key: '' }], MAX_CONFIG_DATA_BYTES));
  validateImmutable(object, context, ['data', 'binaryData'], out);
}

/** The keys each built-in Secret type must have (basic-auth needs one of its two). */
const SECRET_TYPE_KEYS: Record<string, { all?: string[]; any?: string[] }> = {
  'kubernetes.io/tls': { all: ['tls.crt', 'tls.key'] },
  'kubernetes.io/dockerconfigjson': { all: ['.dockerconfigjson'] },
  'kubernetes.io/dockercfg': { all: ['.dockercfg'] },
  'kubernetes.io/ssh-auth': { all: ['ssh-privatekey'] },
  'kubernetes.io/basic-auth': { any: ['username', 'password'] },
};

export function validateSecret(object: JsonObject, context: ValidationContext, out: FieldError[]): void {
  // `stringData` is written into `data` before validation (its keys win), so its problems are reported under `data`.
  const sizes = new Map<string, number>();
  for (const [key, value] of entries(object, 'data')) sizes.set(key, binaryBytes(value));
  for (const [key, value] of entries(object, 'stringData')) sizes.set(key, textBytes(value));
  let total = 0;
  for (const [key, size] of sizes) {
    for (const detail of configKeyErrors(key)) out.push(invalidKey('data', key, detail));
    total += size;
  }
  if (total > MAX_CONFIG_DATA_BYTES) out.push(tooLong(['data'], MAX_CONFIG_DATA_BYTES));
  const type = object.type;
  const needs = typeof type === 'string' ? SECRET_TYPE_KEYS[type] : undefined;
  const dataKey = (key: string): FieldPath => ['data', { key }];
  for (const key of needs?.all ?? []) if (!sizes.has(key)) out.push(required(dataKey(key)));
  if (needs?.any && !needs.any.some((k) => sizes.has(k))) out.push(required(dataKey(needs.any[0] ?? '')));
  if (type === 'kubernetes.io/service-account-token') {
    const annotations = objectAt(object.metadata, 'annotations');
    if (typeof annotations['kubernetes.io/service-account.name'] !== 'string')
      out.push(required(['metadata', 'annotations', { key: 'kubernetes.io/service-account.name' }]));
  }
  if (context.operation === 'UPDATE' && context.old && (context.old.type ?? 'Opaque') !== (type ?? 'Opaque'))
    out.push(invalid(['type'], type, 'field is immutable', 'immutable'));
  validateImmutable(object, context, ['data'], out);
}
