/**
 * What the schema walk (validate-node.ts) asks of a YAML node: a mapping's keys, whether a node is
 * of a JSON type, how a node and a list of types are named in a message, and a schema's `pattern`
 * tested safely (one compiled expression per pattern; an invalid one never fails a value).
 */
import { YAMLMap, isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node, Pair } from 'yaml';
import type { JsonType } from '../../kube-model/json-schema.js';

function keyOf(pair: Pair): string {
  return isScalar(pair.key) ? String(pair.key.value) : String(pair.key);
}

export function hasKey(pairs: readonly Pair[], name: string): boolean {
  for (let i = 0; i < pairs.length; i++) if (keyOf(pairs[i] as Pair) === name) return true;
  return false;
}

export function distinctKeys(pairs: readonly Pair[]): number {
  return new Set(pairs.map(keyOf)).size;
}

/** `YAMLMap.prototype.get`, which `ownValue` does by index for the maps that have it. */
const MAP_GET = Reflect.get(YAMLMap.prototype, 'get') as unknown;

/**
 * `map.get(name, true)`: the value of the first of the map's own pairs whose key is `name` (the
 * `yaml` package's lookup: the key itself or a scalar key's value, compared with ===), by index; a
 * map class with a `get` of its own (`!!set`) is asked itself.
 */
export function ownValue(map: YAMLMap, name: string): unknown {
  if (map.get !== MAP_GET) return map.get(name, true);
  const items = map.items as readonly unknown[];
  for (let i = 0; i < items.length; i++) {
    const it = items[i];
    if (isPair(it) && (it.key === name || (isScalar(it.key) && it.key.value === name))) return it.value ?? undefined;
  }
  return undefined;
}

/** The value is compared first: it is cheaper than the node-type check and almost never `<<`. */
export function isMergeKey(pair: Pair): boolean {
  const key = pair.key as { value?: unknown } | null;
  return typeof key === 'object' && key !== null && key.value === '<<' && isScalar(key);
}

export function matchesSome(node: Node, types: readonly JsonType[]): boolean {
  // By index: the first pass runs this unoptimized, where `for...of` calls the array iterator per item.
  for (let i = 0; i < types.length; i++) if (matchesType(node, types[i] as JsonType)) return true;
  return false;
}

export function matchesType(node: Node, type: JsonType): boolean {
  if (type === 'object') return isMap(node);
  if (type === 'array') return isSeq(node);
  if (!isScalar(node)) return false;
  const v = node.value;
  switch (type) {
    case 'string':
      return typeof v === 'string';
    case 'integer':
      return typeof v === 'number' && Number.isInteger(v);
    case 'number':
      return typeof v === 'number';
    case 'boolean':
      return typeof v === 'boolean';
    case 'null':
      return v === null;
  }
}

export function isNullValue(node: Node | null): boolean {
  return node === null || (isScalar(node) && node.value === null);
}

export function firstKey(node: Node | null | undefined): Node | undefined {
  if (!isMap(node)) return undefined;
  const key = node.items[0]?.key;
  return isScalar(key) ? key : undefined;
}

const ARTICLE: Record<JsonType, string> = {
  object: 'a mapping',
  array: 'a list',
  string: 'a string',
  integer: 'an integer',
  number: 'a number',
  boolean: 'a boolean (true or false)',
  null: 'null',
};

export function describeTypes(types: readonly JsonType[]): string {
  return [...new Set(types)].map((t) => ARTICLE[t]).join(' or ');
}

export function describeNode(node: Node): string {
  if (isMap(node)) return 'a mapping';
  if (isSeq(node)) return 'a list';
  if (isScalar(node)) {
    const v = node.value;
    if (typeof v === 'string') return `the string "${v.length > 40 ? `${v.slice(0, 40)}…` : v}"`;
    if (typeof v === 'number') return Number.isInteger(v) ? `the integer ${v}` : `the number ${v}`;
    if (typeof v === 'boolean') return `the boolean ${v}`;
  }
  return 'this value';
}

const patternCache = new Map<string, RegExp | null>();
export function safeTest(pattern: string, value: string): boolean {
  let re = patternCache.get(pattern);
  if (re === undefined) {
    try {
      re = new RegExp(pattern, 'u');
    } catch {
      re = null;
    }
    patternCache.set(pattern, re);
  }
  return re === null ? true : re.test(value);
}
