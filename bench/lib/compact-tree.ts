// The compact tree of bench/lib/compact-scan.ts (issue #18 row 3, session 16): node kinds
// and the flat typed arrays every scan writes (shared, grown by doubling), and the bail.

export const MAP = 1;
export const SEQ = 2;
export const PLAIN = 3;
export const DOUBLE = 4;
export const SINGLE = 5;
export const BLOCK = 6;
export const FLOW_MAP = 7;
export const FLOW_SEQ = 8;
export const EMPTY = 9;

/** The tree of the last scan: nodes `[0, count)` in document order; a mapping's children alternate key, value. */
export const tree = {
  kind: new Uint8Array(1024),
  start: new Int32Array(1024),
  end: new Int32Array(1024),
  parent: new Int32Array(1024),
  count: 0,
  duplicates: 0,
};

/** Thrown (one object, made once) when the text is outside the prototype's subset. */
class CompactBail extends Error {}
const BAILED = new CompactBail('outside the compact subset');

export function bail(): never {
  throw BAILED;
}

export function isBail(error: unknown): boolean {
  return error === BAILED;
}

/** Per key node, the key before it in its mapping (-1 for the first): the chain duplicate keys are looked for along. */
export let previousKey = new Int32Array(1024);

function grow(): void {
  const size = tree.kind.length * 2;
  const kind = new Uint8Array(size);
  kind.set(tree.kind);
  const start = new Int32Array(size);
  start.set(tree.start);
  const end = new Int32Array(size);
  end.set(tree.end);
  const parent = new Int32Array(size);
  parent.set(tree.parent);
  Object.assign(tree, { kind, start, end, parent });
}

export function node(kind: number, start: number, end: number, parent: number): number {
  const i = tree.count;
  if (i === tree.kind.length) grow();
  tree.kind[i] = kind;
  tree.start[i] = start;
  tree.end[i] = end;
  tree.parent[i] = parent;
  tree.count = i + 1;
  return i;
}

export function keepPreviousKey(i: number, previous: number): void {
  if (i >= previousKey.length) {
    const more = new Int32Array(tree.kind.length);
    more.set(previousKey);
    previousKey = more;
  }
  previousKey[i] = previous;
}
