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
    const segment = path[s] as string | number;
    current = deref(doc, current);
    if (isMap(current)) {
      const name = typeof segment === 'string' ? segment : String(segment);
      const items = current.items;
      let found: unknown = undefined;
      for (let i = 0; i < items.length; i++) {
        const pair = items[i] as (typeof items)[number];
        const key = pair.key;
        if (!isScalar(key)) continue;
        const value = key.value;
        if (value === name || (typeof value !== 'string' && String(value) === name)) {
          found = pair.value;
          break;
        }
      }
      current = found ?? undefined;
    } else if (isSeq(current) && typeof segment === 'number') {
      current = current.items[segment];
    } else return undefined;
    if (current === undefined || current === null) return undefined;
  }
  const node = deref(doc, current);
  return (node as Node | null) ?? undefined;
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
