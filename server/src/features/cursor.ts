import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair, YAMLMap } from 'yaml';
import { typeOf } from '../document/is-manifest.js';
import { lastIndexWhere } from '../document/last-index-where.js';
import { listItemDocuments } from '../document/list-items.js';
import type { ManifestFile, ParsedChunk } from '../document/manifest-file.js';
import type { DocumentChunk } from '../document/split-documents.js';

/** Where a cursor is in a manifest file: the document, and the path of the node under it. */
export interface Cursor {
  readonly chunk: DocumentChunk;
  readonly parsed: ParsedChunk;
  readonly doc: Document.Parsed | undefined;
  /** Offset inside the chunk. */
  readonly offset: number;
  readonly apiVersion: string | undefined;
  readonly kind: string | undefined;
  /** Path of the deepest node containing the offset. */
  readonly path: (string | number)[];
  /** Whether the cursor is on a key (the path ends with that key) or a value. */
  readonly on: 'key' | 'value' | 'none';
  /** The pair the cursor is in, when there is one. */
  readonly pair: Pair | undefined;
}

/** Finds the chunk and document holding a file offset. */
export function chunkAt(file: ManifestFile, offset: number): { chunk: DocumentChunk; parsed: ParsedChunk } | undefined {
  return file.chunks[lastIndexWhere(file.chunks, (entry) => entry.chunk.start <= offset)];
}

export function cursorAt(file: ManifestFile, offset: number): Cursor | undefined {
  const at = chunkAt(file, offset);
  if (!at) return undefined;
  const local = offset - at.chunk.start;
  const found = at.parsed.docs.find((d) => d.range[0] <= local && local <= d.range[2]) ?? at.parsed.docs[0];
  // In a list document, the item under the cursor is the manifest (its own kind, paths from its root).
  const doc = (found && listItemDocuments(found).find((d) => d.range[0] <= local && local <= d.range[1])) ?? found;
  const type = doc ? typeOf(doc) : undefined;
  const base = {
    chunk: at.chunk,
    parsed: at.parsed,
    doc,
    offset: local,
    apiVersion: type?.apiVersion,
    kind: type?.kind,
  };
  if (!doc) return { ...base, path: [], on: 'none', pair: undefined };
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  let on: Cursor['on'] = 'none';
  let pair: Pair | undefined;
  for (let depth = 0; depth < 200; depth++) {
    if (isMap(node)) {
      const hit = findPair(node, local);
      if (!hit) break;
      pair = hit;
      path.push(isScalar(hit.key) ? String(hit.key.value) : '');
      const keyRange = (hit.key as Node | null)?.range;
      if (keyRange && local >= keyRange[0] && local <= keyRange[1]) {
        on = 'key';
        break;
      }
      on = 'value';
      node = hit.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => contains(item as Node, local));
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return { ...base, path, on, pair };
}

function contains(node: Node | null | undefined, offset: number): boolean {
  const range = node?.range;
  return range !== undefined && range !== null && range[0] <= offset && offset <= range[1];
}

function findPair(map: YAMLMap, offset: number): Pair | undefined {
  for (const pair of map.items) {
    const key = pair.key as Node | null;
    const value = pair.value as Node | null;
    const start = key?.range?.[0];
    const end = value?.range?.[1] ?? key?.range?.[1];
    if (start !== undefined && end !== undefined && start <= offset && offset <= end) return pair;
  }
  return undefined;
}
