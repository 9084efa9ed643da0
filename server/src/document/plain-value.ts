import { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { isFastScalar } from './fast-yaml/nodes.js';

/** Something the direct conversion does not reproduce: the `yaml` package converts the node instead. */
class NotPlain extends Error {}
/** One instance, thrown again and again: no stack is captured per throw. */
const NOT_PLAIN = new NotPlain('not a plain node');

// Node classes are told apart by their conversion method: subclasses with their own (`!!set`, `!!omap`) are not plain.
const SCALAR_TO_JSON = Reflect.get(Scalar.prototype, 'toJSON') as unknown;
const MAP_TO_JSON = Reflect.get(YAMLMap.prototype, 'toJSON') as unknown;
const SEQ_TO_JSON = Reflect.get(YAMLSeq.prototype, 'toJSON') as unknown;
const MERGE_KEY = '<<';
const PROTO = '__proto__';

/**
 * A node as a plain JS value, exactly what `node.toJS(doc, { maxAliasCount: 100 })`
 * gives, for the nodes manifests are made of (plain maps, sequences and
 * scalars with scalar keys), without the package's per-node conversion context.
 * Aliases, merge keys, collection keys and other node classes (`!!set`,
 * `!!omap`) are handed to the package; so is input too deep to recurse into.
 */
export function plainValue(doc: Document.Parsed | Document, node: Node): unknown {
  try {
    return convert(node);
  } catch (error) {
    if (error !== NOT_PLAIN && !(error instanceof RangeError)) throw error;
    return node.toJS(doc, { maxAliasCount: 100 });
  }
}

function convert(node: unknown): unknown {
  if (node === null || node === undefined) return node;
  const toJSON = (node as { toJSON?: unknown }).toJSON;
  if (toJSON === SCALAR_TO_JSON) return (node as Scalar).value;
  if (toJSON === MAP_TO_JSON) return convertMap((node as YAMLMap).items);
  if (toJSON === SEQ_TO_JSON) {
    // `map` makes the array at its length (one grown by `push` from empty takes room for 16 at once).
    return (node as YAMLSeq).items.map(convert);
  }
  throw NOT_PLAIN;
}

/** A mapping's pairs as an object (walked by index: no iterator or destructured pair per entry). */
function convertMap(items: readonly Pair[]): Record<string, unknown> {
  const map: Record<string, unknown> = {};
  for (let i = 0; i < items.length; i++) {
    const pair = items[i] as Pair;
    const name = keyName(pair.key);
    const v = convert(pair.value);
    // An assignment is what defining the property gives (a repeated key replaces the value in its
    // place; a name `Object.prototype` has becomes an own property), but for `__proto__`, whose
    // assignment would set the prototype: no `in` lookup along the prototype chain per key.
    if (name === PROTO)
      Object.defineProperty(map, name, { value: v, writable: true, enumerable: true, configurable: true });
    else map[name] = v;
  }
  return map;
}

/** A key's property name; keys the direct conversion does not reproduce are handed to the package. */
function keyName(key: unknown): string {
  if (key === null || key === undefined) return key === null ? '' : 'undefined';
  // The fast path's scalars first: one class, known to convert by its value.
  if (
    !isFastScalar(key) &&
    (typeof key !== 'object' || (key as { toJSON?: unknown }).toJSON !== SCALAR_TO_JSON || 'addToJSMap' in key)
  )
    throw NOT_PLAIN;
  const k = (key as Scalar).value;
  if (typeof k === 'string') {
    if (k === MERGE_KEY) throw NOT_PLAIN;
    return k;
  }
  if (typeof k === 'symbol' || (typeof k === 'object' && k !== null)) throw NOT_PLAIN;
  // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects and symbols went to the package above
  return k === null ? '' : String(k);
}
