/**
 * The content hash kustomize appends to a generated ConfigMap's or Secret's name (`app-config-7b2k9cg5mf`):
 * the SHA-256 of a JSON encoding of the fields that matter (a ConfigMap: kind, data and binaryData when
 * present; a Secret: kind, type, data and stringData when present), encoded as Go's encoding/json writes
 * it (keys sorted, `<`, `>`, `&`, U+2028 and U+2029 escaped), then its first 10 hex digits with 0, 1, 3, a and
 * e mapped to g, h, k, m and t (so the suffix never looks like a number or a word in hex).
 * The encoding has a `name` field that is always "": kustomize looks the name up as one field called
 * `metadata/name`, which no resource has (checked against `kubectl kustomize`), so renaming never changes the hash.
 */
import { createHash } from 'node:crypto';
import { getOwn, isObject, type JsonObject } from '../patch/json-value';

/** A JSON value as Go's json.Marshal of the equivalent map/slice/string writes it. */
export function goJson(value: unknown): string {
  if (Array.isArray(value)) return `[${value.map(goJson).join(',')}]`;
  if (isObject(value)) {
    const keys = Object.keys(value).sort(byCodePoint);
    return `{${keys.map((k) => `${goString(k)}:${goJson(value[k])}`).join(',')}}`;
  }
  if (typeof value === 'string') return goString(value);
  if (value === undefined) return 'null';
  return JSON.stringify(value) ?? 'null';
}

/**
 * Go's order of strings (sort.Strings, map keys): byte order of UTF-8, i.e. code point order,
 * which for UTF-16 strings is not code unit order.
 */
export function byCodePoint(a: string, b: string): number {
  const x = [...a];
  const y = [...b];
  for (let i = 0; i < Math.min(x.length, y.length); i++) {
    const d = x[i]!.codePointAt(0)! - y[i]!.codePointAt(0)!;
    if (d !== 0) return d;
  }
  return x.length - y.length;
}

const GO_ESCAPES: Record<string, string> = {
  '<': '\\u003c',
  '>': '\\u003e',
  '&': '\\u0026',
  '\u2028': '\\u2028',
  '\u2029': '\\u2029',
};

function goString(s: string): string {
  // A lone surrogate cannot come from UTF-8 text; Go would have written U+FFFD for the bytes behind it.
  const wellFormed = s.replace(/[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g, '\ufffd');
  return JSON.stringify(wellFormed).replace(/[<>&\u2028\u2029]/g, (c) => GO_ESCAPES[c]!);
}

/** The first 10 hex digits of the hash with kustomize's (and kubectl's) letter mapping. */
export function encodeHash(hex: string): string {
  const map: Record<string, string> = { '0': 'g', '1': 'h', '3': 'k', a: 'm', e: 't' };
  return [...hex.slice(0, 10)].map((c) => map[c] ?? c).join('');
}

/** A field's value as kustomize reads it for the hash: a map as is, a scalar as its text, missing as "". */
function fieldValue(parent: unknown, key: string): unknown {
  const v = isObject(parent) ? getOwn(parent, key) : undefined;
  if (v === undefined || v === null) return '';
  if (typeof v === 'string' || typeof v === 'number' || typeof v === 'boolean') return String(v);
  return v;
}

/** What kustomize hashes for a resource (by its kind). */
export function hashInput(resource: JsonObject): string {
  const kind = getOwn(resource, 'kind');
  const name = ''; // see the header: kustomize never finds the name
  if (kind === 'ConfigMap') {
    const m: JsonObject = { kind: 'ConfigMap', name, data: fieldValue(resource, 'data') };
    if (isObject(getOwn(resource, 'binaryData'))) m.binaryData = getOwn(resource, 'binaryData');
    return goJson(m);
  }
  if (kind === 'Secret') {
    const m: JsonObject = {
      kind: 'Secret',
      type: fieldValue(resource, 'type'),
      name,
      data: fieldValue(resource, 'data'),
    };
    if (isObject(getOwn(resource, 'stringData'))) m.stringData = getOwn(resource, 'stringData');
    return goJson(m);
  }
  return goJson(resource);
}

/** The suffix kustomize appends (after a `-`) to the name of a generated resource. */
export function nameSuffixHash(resource: JsonObject): string {
  return encodeHash(createHash('sha256').update(hashInput(resource), 'utf8').digest('hex'));
}
