/**
 * ConfigMap and Secret data, as the API server reads and checks it.
 *
 * Decoding (a 400, before any validation): `data`, `binaryData` and `stringData`
 * are maps of strings; a number, boolean, object or array value is refused in Go's
 * JSON decoder's words, and so is base64 that does not decode where the field is
 * bytes (Secret `data`, ConfigMap `binaryData`).
 *
 * Validation (a 422 with causes) is shared with the editor:
 * `server/kube-model/validation/config-data.ts`.
 */
import { isObject } from '../../store/object';
import type { ResourceDef } from '../registry';
import { base64ErrorOffset } from '../../../../server/kube-model/base64-error-offset';

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
