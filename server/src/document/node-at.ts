import { isAlias, isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import { plainValue } from './plain-value.js';

/**
 * The node at a path below a document's root, following aliases; `undefined` when absent.
 * A mapping's first pair whose scalar key reads as the segment (`String` of both) is taken.
 * Rules call this for every field they read: it allocates nothing.
 */
export function nodeAt(doc: Document.Parsed | Document, path: readonly (string | number)[]): Node | undefined {
  let current: unknown = doc.contents;
  for (let s = 0; s < path.length; s++) {
    current = step(doc, current, path[s] as string | number);
    if (current === undefined || current === null) return undefined;
  }
  const node = deref(doc, current);
  return (node as Node | null) ?? undefined;
}

/**
 * The node at `segment` below `node`, as `nodeAt` takes one step: `nodeAt(doc, [...p, s])`
 * is `childAt(doc, nodeAt(doc, p), s)`. For rules that walk a list's items without a
 * path from the root for each.
 */
export function childAt(doc: Document.Parsed | Document, node: unknown, segment: string | number): Node | undefined {
  const child = step(doc, node, segment);
  if (child === undefined || child === null) return undefined;
  return (deref(doc, child) as Node | null) ?? undefined;
}

/** One segment down from `node` (aliases followed first): a mapping's first pair whose key reads as it, a list's item. */
function step(doc: Document.Parsed | Document, node: unknown, segment: string | number): unknown {
  const current = deref(doc, node);
  if (isMap(current)) {
    const name = typeof segment === 'string' ? segment : String(segment);
    const items = current.items;
    for (let i = 0; i < items.length; i++) {
      const pair = items[i] as (typeof items)[number];
      const key = pair.key;
      if (!isScalar(key)) continue;
      const value = key.value;
      if (value === name || (typeof value !== 'string' && String(value) === name)) return pair.value;
    }
    return undefined;
  }
  if (isSeq(current) && typeof segment === 'number') return current.items[segment];
  return undefined;
}

export function deref(doc: Document.Parsed | Document, node: unknown): unknown {
  let current = node;
  for (let i = 0; i < 16 && isAlias(current); i++) current = current.resolve(doc);
  return current;
}

/** The plain value at a path: scalars as they are, collections converted (bounded alias expansion). */
export function valueAt(doc: Document.Parsed | Document, path: readonly (string | number)[]): unknown {
  const node = nodeAt(doc, path);
  if (node === undefined) return undefined;
  if (isScalar(node)) return node.value;
  try {
    return plainValue(doc, node);
  } catch {
    return undefined;
  }
}
