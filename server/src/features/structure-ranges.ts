import { isMap, isPair, isScalar, isSeq } from 'yaml';
import type { Node } from 'yaml';
import type { FoldingRange, Position, SelectionRange } from 'vscode-languageserver-types';
import { FoldingRangeKind } from 'vscode-languageserver-types';
import type { ManifestFile } from '../document/manifest-file.js';
import { chunkAt } from './cursor.js';

/** Folding: each document, and each mapping or list that spans more than one line. */
export function foldingRanges(file: ManifestFile): FoldingRange[] {
  const out: FoldingRange[] = [];
  for (const { chunk, parsed } of file.chunks) {
    const line = (offset: number): number => parsed.lines.positionAt(offset).line + chunk.startLine;
    const lastLine = (offset: number): number => {
      // A block's end offset sits at the start of the next line: fold up to the line before it.
      const p = parsed.lines.positionAt(offset);
      return p.line + chunk.startLine - (p.character === 0 && offset > 0 ? 1 : 0);
    };
    for (const doc of parsed.docs) {
      const range = doc.contents?.range;
      if (range && lastLine(range[2]) > line(range[0]))
        out.push({ startLine: line(range[0]), endLine: lastLine(range[2]), kind: FoldingRangeKind.Region });
      const visit = (node: unknown, keyStart: number | undefined, depth: number): void => {
        if (depth > 100) return;
        if (isMap(node) || isSeq(node)) {
          const r = (node as Node).range;
          if (r && keyStart !== undefined && lastLine(r[2]) > line(keyStart))
            out.push({ startLine: line(keyStart), endLine: lastLine(r[2]) });
          for (const item of node.items) {
            if (isPair(item)) visit(item.value, (item.key as Node | null)?.range?.[0], depth + 1);
            else visit(item, (item as Node | null)?.range?.[0], depth + 1);
          }
        }
      };
      visit(doc.contents, undefined, 0);
    }
  }
  return out;
}

/** Selection ranges: from the word under the cursor out through each enclosing value, pair and document. */
export function selectionRanges(
  file: ManifestFile,
  offsets: readonly number[],
  positionOf: (offset: number) => Position,
): SelectionRange[] {
  return offsets.map((offset) => {
    const at = chunkAt(file, offset);
    const fallback: SelectionRange = { range: { start: positionOf(offset), end: positionOf(offset) } };
    if (!at) return fallback;
    const local = offset - at.chunk.start;
    const spans: [number, number][] = [];
    for (const doc of at.parsed.docs) {
      if (!doc.contents?.range || local < doc.contents.range[0] || local > doc.contents.range[2]) continue;
      spans.push([doc.contents.range[0], doc.contents.range[1]]);
      collect(doc.contents, local, spans, 0);
    }
    let result: SelectionRange | undefined;
    for (const [start, end] of spans) {
      result = {
        range: { start: positionOf(start + at.chunk.start), end: positionOf(end + at.chunk.start) },
        ...(result ? { parent: result } : {}),
      };
    }
    return result ?? fallback;
  });
}

function collect(node: unknown, offset: number, spans: [number, number][], depth: number): void {
  if (depth > 100) return;
  if (isScalar(node) && node.range) {
    spans.push([node.range[0], node.range[1]]);
    return;
  }
  if (!isMap(node) && !isSeq(node)) return;
  for (const item of node.items) {
    if (isPair(item)) {
      const key = item.key as Node | null;
      const value = item.value as Node | null;
      const start = key?.range?.[0];
      const end = value?.range?.[1] ?? key?.range?.[1];
      if (start === undefined || end === undefined || offset < start || offset > end) continue;
      spans.push([start, end]);
      if (key?.range && offset <= key.range[1]) spans.push([key.range[0], key.range[1]]);
      else collect(value, offset, spans, depth + 1);
      return;
    }
    const r = (item as Node | null)?.range;
    if (r && offset >= r[0] && offset <= r[1]) {
      spans.push([r[0], r[1]]);
      collect(item, offset, spans, depth + 1);
      return;
    }
  }
}
