import { Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Document, Node } from 'yaml';

/** Something the direct conversion does not reproduce: the `yaml` package converts the node instead. */
class NotPlain extends Error {}
/** One instance, thrown again and again: no stack is captured per throw. */
const NOT_PLAIN = new NotPlain('not a plain node');

// Node classes are told apart by their conversion method: subclasses with their own (`!!set`, `!!omap`) are not plain.
const SCALAR_TO_JSON = Reflect.get(Scalar.prototype, 'toJSON') as unknown;
const MAP_TO_JSON = Reflect.get(YAMLMap.prototype, 'toJSON') as unknown;
const SEQ_TO_JSON = Reflect.get(YAMLSeq.prototype, 'toJSON') as unknown;
const MERGE_KEY = '<<';

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
  if (toJSON === MAP_TO_JSON) {
    const map: Record<string, unknown> = {};
    for (const { key, value } of (node as YAMLMap).items) {
      let name: string;
      if (key === null || key === undefined) name = key === null ? '' : 'undefined';
      else {
        if (typeof key !== 'object' || (key as { toJSON?: unknown }).toJSON !== SCALAR_TO_JSON || 'addToJSMap' in key)
          throw NOT_PLAIN;
        const k = (key as Scalar).value;
        if (k === MERGE_KEY || typeof k === 'symbol' || (typeof k === 'object' && k !== null)) throw NOT_PLAIN;
        // eslint-disable-next-line @typescript-eslint/no-base-to-string -- objects and symbols went to the package above
        name = k === null ? '' : String(k);
      }
      const v = convert(value);
      if (name in map)
        Object.defineProperty(map, name, { value: v, writable: true, enumerable: true, configurable: true });
      else map[name] = v;
    }
    return map;
  }
  if (toJSON === SEQ_TO_JSON) {
    // `map` makes the array at its length (one grown by `push` from empty takes room for 16 at once).
    return (node as YAMLSeq).items.map(convert);
  }
  throw NOT_PLAIN;
}
