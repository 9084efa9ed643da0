import { Pair, Scalar, YAMLMap, YAMLSeq } from 'yaml';
import type { Range, Schema } from 'yaml';

/**
 * The `yaml` package's nodes, made without their constructors. Each constructor
 * defines the node's type tag (and a collection's schema) with
 * `Object.defineProperty` on the new object, which made node creation the largest
 * single cost of parsing a manifest. Here the tag (and schema) sit, non-enumerable
 * as before, on one prototype per node class (and schema) below the package's own:
 * `isMap`/`isScalar`/`instanceof`, `clone`, `toJS` and the rest see the same node.
 * The tag symbols are the package's registered ones (`Symbol.for`).
 *
 * A node's range is kept as three numbers in the node itself (`r0`-`r2`, set by
 * `setRange`) rather than an array of its own: an array is 72 bytes (more than the
 * scalar it belongs to) and almost no node's range is ever read. Reading `range`
 * makes the array on first use and keeps it, so from then on it is an ordinary
 * array (the same one at every read, writable in place); assigning `range` (as
 * `clone` does) replaces it. Nodes are made by constructors with their fields
 * assigned in one order, so V8 gives them one shape with the fields inside the
 * object (instead of an object made by `Object.create` with a separate store once it
 * has more than four fields).
 */
const NODE_TYPE = Symbol.for('yaml.node.type');

/** The fields every ranged node keeps: the three offsets and the array once asked for. */
interface Ranged {
  r0: number;
  r1: number;
  r2: number;
  rangeArray: Range | undefined;
}

/** `range` on a prototype: the array made from `r0`-`r2` on first read (undefined before `setRange`). */
const RANGE: PropertyDescriptor = {
  get(this: Ranged): Range | undefined {
    if (this.rangeArray !== undefined) return this.rangeArray;
    if (this.r0 < 0) return undefined;
    return (this.rangeArray = [this.r0, this.r1, this.r2]);
  },
  set(this: Ranged, range: Range | null | undefined): void {
    this.rangeArray = range ?? undefined;
    if (range === null || range === undefined) this.r0 = -1;
  },
  configurable: true,
  enumerable: false,
};

/** A prototype below `base` carrying the type tag `type` and the range accessor. */
function prototypeOf(ctor: { prototype: object }, base: object, type: string, ranged: boolean): void {
  Object.setPrototypeOf(ctor.prototype, base);
  Object.defineProperty(ctor.prototype, NODE_TYPE, { value: Symbol.for(type) });
  if (ranged) Object.defineProperty(ctor.prototype, 'range', RANGE);
}

class FastScalar implements Ranged {
  declare value: unknown;
  declare source: string | undefined;
  declare type: Scalar.Type | undefined;
  declare r0: number;
  declare r1: number;
  declare r2: number;
  declare rangeArray: Range | undefined;
  constructor(value: unknown, source?: string, type?: Scalar.Type) {
    this.value = value;
    this.source = source;
    this.type = type;
    this.r0 = -1;
    this.r1 = -1;
    this.r2 = -1;
    this.rangeArray = undefined;
  }
}
prototypeOf(FastScalar, Scalar.prototype, 'yaml.scalar', true);

class FastPair {
  declare key: unknown;
  declare value: unknown;
  constructor(key: unknown, value: unknown) {
    this.key = key;
    this.value = value;
  }
}
prototypeOf(FastPair, Pair.prototype, 'yaml.pair', false);

/** A mapping or sequence made here: its items and range. */
interface FastCollection extends Ranged {
  items: unknown[];
}

/** The collection classes of one schema. */
interface Collections {
  map: new (items: unknown[]) => FastCollection;
  seq: new (items: unknown[]) => FastCollection;
}

/**
 * A mapping or sequence class whose prototype carries `schema` (writable, as
 * `clone(schema)` assigns it). A class of its own per schema and kind rather than
 * subclasses of one: a derived class's constructor passed its arguments on by a
 * spread call, which cost more than the rest of the node's making.
 */
function collectionClass(base: object, type: string, schema: Schema): new (items: unknown[]) => FastCollection {
  class Collection implements FastCollection {
    declare items: unknown[];
    declare r0: number;
    declare r1: number;
    declare r2: number;
    declare rangeArray: Range | undefined;
    constructor(items: unknown[]) {
      this.items = items;
      this.r0 = -1;
      this.r1 = -1;
      this.r2 = -1;
      this.rangeArray = undefined;
    }
  }
  prototypeOf(Collection, base, type, true);
  Object.defineProperty(Collection.prototype, 'schema', {
    value: schema,
    writable: true,
    configurable: true,
    enumerable: false,
  });
  return Collection;
}

const withSchema = new WeakMap<Schema, Collections>();

/** The fast path uses one schema: the last one asked for is kept at hand. */
let last: { schema: Schema; classes: Collections } | undefined;

function classesFor(schema: Schema): Collections {
  if (last?.schema === schema) return last.classes;
  let classes = withSchema.get(schema);
  if (!classes) {
    classes = {
      map: collectionClass(YAMLMap.prototype, 'yaml.map', schema),
      seq: collectionClass(YAMLSeq.prototype, 'yaml.seq', schema),
    };
    withSchema.set(schema, classes);
  }
  last = { schema, classes };
  return classes;
}

/** Sets the range of a node made here (its `range` array, if it was read, made again on the next read). */
export function setRange(node: Scalar | YAMLMap | YAMLSeq, start: number, valueEnd: number, nodeEnd: number): void {
  const ranged = node as unknown as Ranged;
  ranged.r0 = start;
  ranged.r1 = valueEnd;
  ranged.r2 = nodeEnd;
  ranged.rangeArray = undefined;
}

/** `range[1]` of a node made here, without making its array (-1 before `setRange`). */
export function rangeValueEnd(node: Scalar | YAMLMap | YAMLSeq): number {
  const ranged = node as unknown as Ranged;
  return ranged.rangeArray !== undefined ? ranged.rangeArray[1] : ranged.r1;
}

/** `range[2]` of a node made here, without making its array. */
export function rangeEnd(node: Scalar | YAMLMap | YAMLSeq): number {
  const ranged = node as unknown as Ranged;
  return ranged.rangeArray !== undefined ? ranged.rangeArray[2] : ranged.r2;
}

/** `range[0]` of a node made here, without making its array. */
export function rangeStart(node: Scalar | YAMLMap | YAMLSeq): number {
  const ranged = node as unknown as Ranged;
  return ranged.rangeArray !== undefined ? ranged.rangeArray[0] : ranged.r0;
}

/** Moves `range[2]` of a node made here. */
export function setRangeEnd(node: Scalar | YAMLMap | YAMLSeq, nodeEnd: number): void {
  const ranged = node as unknown as Ranged;
  if (ranged.rangeArray !== undefined) ranged.rangeArray[2] = nodeEnd;
  ranged.r2 = nodeEnd;
}

/** Whether `node` is a scalar made here (a plain scalar of the package's own class, no subclass). */
export function isFastScalar(node: unknown): node is Scalar {
  return typeof node === 'object' && node !== null && node.constructor === FastScalar;
}

export function newScalar(value: unknown): Scalar {
  return new FastScalar(value) as unknown as Scalar;
}

/** A plain scalar (`type` PLAIN) written as `source`: its fields set by the constructor, in one call. */
export function newPlainScalar(value: unknown, source: string): Scalar {
  return new FastScalar(value, source, 'PLAIN') as unknown as Scalar;
}

export function newPair(key: unknown, value: unknown): Pair {
  return new FastPair(key, value) as unknown as Pair;
}

/** A mapping holding `items` (the array itself, not a copy). */
export function newMap(schema: Schema, items: Pair[] = []): YAMLMap {
  return new (classesFor(schema).map)(items) as unknown as YAMLMap;
}

/** A sequence holding `items` (the array itself, not a copy). */
export function newSeq(schema: Schema, items: unknown[] = []): YAMLSeq {
  return new (classesFor(schema).seq)(items) as unknown as YAMLSeq;
}
