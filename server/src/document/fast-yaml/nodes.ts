import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Schema } from 'yaml';

/**
 * The `yaml` package's nodes, made without their constructors. Each constructor
 * defines the node's type tag (and a collection's schema) with
 * `Object.defineProperty` on the new object, which made node creation the largest
 * single cost of parsing a manifest. Here the tag (and schema) sit, non-enumerable
 * as before, on one prototype per node class (and schema) below the package's own:
 * `isMap`/`isScalar`/`instanceof`, `clone`, `toJS` and the rest see the same node.
 * The tag symbols are the package's registered ones (`Symbol.for`).
 */
const NODE_TYPE = Symbol.for('yaml.node.type');

function tagged<T extends object>(base: T, type: string): T {
  return Object.create(base, { [NODE_TYPE]: { value: Symbol.for(type) } }) as T;
}

const SCALAR = tagged(Scalar.prototype, 'yaml.scalar');
const PAIR = tagged(Pair.prototype, 'yaml.pair');
const MAP = tagged(YAMLMap.prototype, 'yaml.map');
const SEQ = tagged(YAMLSeq.prototype, 'yaml.seq');

/** Per schema: the collection prototypes carrying it (writable, as `clone(schema)` assigns it). */
const withSchema = new WeakMap<Schema, { map: YAMLMap; seq: YAMLSeq }>();

/** The fast path uses one schema: the last one asked for is kept at hand. */
let last: { schema: Schema; protos: { map: YAMLMap; seq: YAMLSeq } } | undefined;

function protosFor(schema: Schema): { map: YAMLMap; seq: YAMLSeq } {
  if (last?.schema === schema) return last.protos;
  let protos = withSchema.get(schema);
  if (!protos) {
    const field = { schema: { value: schema, writable: true, configurable: true, enumerable: false } };
    protos = { map: Object.create(MAP, field) as YAMLMap, seq: Object.create(SEQ, field) as YAMLSeq };
    withSchema.set(schema, protos);
  }
  last = { schema, protos };
  return protos;
}

export function newScalar(value: unknown): Scalar {
  const node = Object.create(SCALAR) as Scalar;
  node.value = value;
  return node;
}

export function newPair(key: unknown, value: unknown): Pair {
  const pair = Object.create(PAIR) as Pair;
  pair.key = key;
  pair.value = value;
  return pair;
}

export function newMap(schema: Schema): YAMLMap {
  const map = Object.create(protosFor(schema).map) as YAMLMap;
  map.items = [];
  return map;
}

export function newSeq(schema: Schema): YAMLSeq {
  const seq = Object.create(protosFor(schema).seq) as YAMLSeq;
  seq.items = [];
  return seq;
}
