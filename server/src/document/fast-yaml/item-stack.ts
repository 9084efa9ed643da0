import type { Pair, Scalar } from 'yaml';

/**
 * The items of the block collections being read, innermost last: a collection's items
 * are gathered here and copied into an array of their exact length when it closes (an
 * array grown by `push` from empty takes room for 16 items at once, and most
 * collections of a manifest have one to four). Shared by every parse (one at a time on
 * a thread); a collection's inner collections have taken theirs off before it goes on,
 * and copied entries are cleared (after a bail, the next parse overwrites them).
 */
export const itemStack: unknown[] = [];

/** Lets a huge collection's room go, so it is not kept for the rest of the process. */
export function trimItemStack(): void {
  if (itemStack.length > 1 << 16) itemStack.length = 0;
}

/** The key of the pair at `index` of the stack. */
function keyAt(index: number): unknown {
  return ((itemStack[index] as Pair).key as Scalar).value;
}

/** Whether a pair in `itemStack[from, to)` has the key `value` (SameValueZero: NaN matches NaN, as `includes` does). */
export function hasKey(from: number, to: number, value: unknown): boolean {
  for (let i = from; i < to; i++) {
    const key = keyAt(i);
    if (key === value || (key !== key && value !== value)) return true;
  }
  return false;
}

/** The keys of the pairs in `itemStack[from, to)`, as a Set (for mappings past a handful of keys). */
export function keysOf(from: number, to: number): Set<unknown> {
  const keys = new Set<unknown>();
  for (let i = from; i < to; i++) keys.add(keyAt(i));
  return keys;
}

/** The items in `itemStack[from, to)`, copied out at their length and cleared from the stack. */
export function takeItems(from: number, to: number): unknown[] {
  const items = itemStack.slice(from, to);
  for (let i = from; i < to; i++) itemStack[i] = undefined;
  return items;
}
