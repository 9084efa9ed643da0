/**
 * ConfigMap and Secret data, as the API server reads and checks it.
 *
 * Decoding (a 400, before any validation): `data`, `binaryData` and `stringData`
 * are maps of strings; a number, boolean, object or array value is refused in Go's
 * JSON decoder's words, and so is base64 that does not decode where the field is
 * bytes (Secret `data`, ConfigMap `binaryData`).
 *
 * Validation (a 422 with causes): every key is a config key (name-formats.ts,
 * shared with the language server: `[-._a-zA-Z0-9]+`, at most 253 characters, not
 * `.`, `..` or starting with `..`); a ConfigMap key is in `data` or `binaryData`,
 * never both; and the values (decoded bytes) total at most 1 MiB.
 */
import { configKeyErrors } from '../../../../server/kube-model/name-formats';
import type { StatusCause } from '../../store/errors';
import { isObject, type KubeObject } from '../../store/object';
import type { ResourceDef } from '../registry';
import { base64DecodedLength, base64ErrorOffset } from './base64-error-offset';

/** The most bytes a ConfigMap's or a Secret's values may hold together. */
export const MAX_CONFIG_DATA_BYTES = 1024 * 1024;

type DataKind = 'ConfigMap' | 'Secret';

/** The Go type of each map's values: `[]uint8` where the JSON holds base64. */
const FIELDS: Record<DataKind, Record<string, 'string' | '[]uint8'>> = {
  ConfigMap: { data: 'string', binaryData: '[]uint8' },
  Secret: { data: '[]uint8', stringData: 'string' },
};

function dataKindOf(def: ResourceDef): DataKind | undefined {
  if (def.group !== '') return undefined;
  return def.kind === 'ConfigMap' || def.kind === 'Secret' ? def.kind : undefined;
}

function jsonKind(value: unknown): string {
  if (Array.isArray(value)) return 'array';
  if (typeof value === 'boolean') return 'bool';
  return typeof value === 'object' ? 'object' : typeof value;
}

/**
 * Why the decoder would refuse a ConfigMap's or Secret's maps (its first complaint,
 * as it reports only that one), or undefined when they decode.
 */
export function configDataDecodeProblem(def: ResourceDef, raw: unknown): string | undefined {
  const kind = dataKindOf(def);
  if (!kind || !isObject(raw)) return undefined;
  for (const [field, type] of Object.entries(FIELDS[kind])) {
    const map = raw[field];
    if (map === undefined || map === null) continue;
    if (!isObject(map)) {
      return `json: cannot unmarshal ${jsonKind(map)} into Go struct field ${kind}.${field} of type map[string]${type}`;
    }
    for (const value of Object.values(map)) {
      if (value === null) continue;
      if (typeof value !== 'string')
        return `json: cannot unmarshal ${jsonKind(value)} into Go struct field ${kind}.${field} of type ${type}`;
      const offset = type === '[]uint8' ? base64ErrorOffset(value) : undefined;
      if (offset !== undefined) return `illegal base64 data at input byte ${offset}`;
    }
  }
  return undefined;
}

const invalidKey = (field: string, key: string, detail: string): StatusCause => ({
  reason: 'FieldValueInvalid',
  message: `Invalid value: ${JSON.stringify(key)}: ${detail}`,
  field: `${field}[${key}]`,
});

const tooLong = (field: string): StatusCause => ({
  reason: 'FieldValueTooLong',
  message: `Too long: must have at most ${MAX_CONFIG_DATA_BYTES} bytes`,
  field,
});

function entries(object: KubeObject, field: string): [string, unknown][] {
  const map = object[field];
  return isObject(map) ? Object.entries(map) : [];
}

const textBytes = (value: unknown): number => (typeof value === 'string' ? Buffer.byteLength(value, 'utf8') : 0);
const binaryBytes = (value: unknown): number => (typeof value === 'string' ? base64DecodedLength(value) : 0);

function checkConfigMap(object: KubeObject, out: StatusCause[]): void {
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
  if (total > MAX_CONFIG_DATA_BYTES) out.push(tooLong('[]'));
}

function checkSecret(object: KubeObject, out: StatusCause[]): void {
  // `stringData` is written into `data` before validation (its keys win), so its problems are reported under `data`.
  const sizes = new Map<string, number>();
  for (const [key, value] of entries(object, 'data')) sizes.set(key, binaryBytes(value));
  for (const [key, value] of entries(object, 'stringData')) sizes.set(key, textBytes(value));
  let total = 0;
  for (const [key, size] of sizes) {
    for (const detail of configKeyErrors(key)) out.push(invalidKey('data', key, detail));
    total += size;
  }
  if (total > MAX_CONFIG_DATA_BYTES) out.push(tooLong('data'));
}

/** The causes a ConfigMap's or Secret's data gives (none for other kinds). */
export function checkConfigData(def: ResourceDef, object: KubeObject, out: StatusCause[]): void {
  const kind = dataKindOf(def);
  if (kind === 'ConfigMap') checkConfigMap(object, out);
  else if (kind === 'Secret') checkSecret(object, out);
}
