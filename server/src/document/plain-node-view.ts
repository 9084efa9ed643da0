import type { Node } from 'yaml';

/**
 * Read-only views of plain values shaped as the `yaml` package's nodes, for the
 * rules' `node()` lookups in the plain-value pass (`features/plain-findings.ts`):
 * `isScalar`/`isMap`/`isSeq` recognise them (the package's registered type
 * symbols), a scalar has its `value`, a sequence and a mapping their `items`
 * (pairs of a key scalar and a value view), made when first read. They carry no
 * range: in that pass a report only says "this document has a finding", and the
 * node walk then finds where.
 */
const NODE_TYPE = Symbol.for('yaml.node.type');
const SCALAR = Symbol.for('yaml.scalar');
const MAP = Symbol.for('yaml.map');
const SEQ = Symbol.for('yaml.seq');
const PAIR = Symbol.for('yaml.pair');

export function plainNodeView(value: unknown): Node | undefined {
  if (value === undefined) return undefined;
  if (Array.isArray(value)) return collection(SEQ, () => value.map((item) => plainNodeView(item)));
  if (value !== null && typeof value === 'object') {
    return collection(MAP, () =>
      Object.keys(value).map((key) => ({
        [NODE_TYPE]: PAIR,
        key: { [NODE_TYPE]: SCALAR, value: key },
        value: plainNodeView((value as Record<string, unknown>)[key]) ?? null,
      })),
    );
  }
  return { [NODE_TYPE]: SCALAR, value } as unknown as Node;
}

function collection(type: symbol, items: () => unknown[]): Node {
  let made: unknown[] | undefined;
  return {
    [NODE_TYPE]: type,
    get items() {
      return (made ??= items());
    },
  } as unknown as Node;
}
