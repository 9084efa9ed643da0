import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node } from 'yaml';
import type { DocumentSymbol, Range } from 'vscode-languageserver-types';
import { SymbolKind } from 'vscode-languageserver-types';
import { typeOf } from '../document/is-manifest.js';
import { listItemDocuments, listOf } from '../document/list-items.js';
import type { ManifestFile, ParsedChunk } from '../document/manifest-file.js';

const MAX_DEPTH = 6;

/** The outline: one entry per document (`Deployment web`), its fields nested below; a list's items below it. */
export function documentSymbols(file: ManifestFile): DocumentSymbol[] {
  const out: DocumentSymbol[] = [];
  for (const { chunk, parsed } of file.chunks) {
    for (const doc of parsed.docs) {
      const symbol = documentSymbol(doc, parsed, chunk.startLine);
      if (symbol) out.push(symbol);
    }
  }
  return out;
}

function documentSymbol(doc: Document.Parsed, parsed: ParsedChunk, startLine: number): DocumentSymbol | undefined {
  if (!doc.contents || !doc.contents.range) return undefined;
  const type = typeOf(doc);
  const name = doc.getIn(['metadata', 'name']);
  const range = rangeOf(parsed, startLine, doc.contents.range[0], doc.range[1]);
  const items = listOf(doc) ? listItemDocuments(doc) : undefined;
  const label = items
    ? `${type?.kind ?? 'List'} (${items.length} item${items.length === 1 ? '' : 's'})`
    : `${type?.kind ?? ''} ${typeof name === 'string' ? name : '(unnamed)'}`;
  return {
    name: type ? label : 'YAML document',
    detail: type?.apiVersion ?? '',
    kind: type ? SymbolKind.Class : SymbolKind.Namespace,
    range,
    selectionRange: range,
    children: items
      ? items.flatMap((item) => documentSymbol(item, parsed, startLine) ?? [])
      : children(doc.contents, parsed, startLine, 0),
  };
}

function children(node: unknown, parsed: ParsedChunk, startLine: number, depth: number): DocumentSymbol[] {
  if (depth >= MAX_DEPTH) return [];
  const out: DocumentSymbol[] = [];
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = pair.key as Node | null;
      if (!isScalar(key) || !key.range) continue;
      const value = pair.value as Node | null;
      const end = value?.range?.[1] ?? key.range[1];
      const symbol: DocumentSymbol = {
        name: String(key.value),
        kind: isMap(value) ? SymbolKind.Object : isSeq(value) ? SymbolKind.Array : SymbolKind.Field,
        range: rangeOf(parsed, startLine, key.range[0], end),
        selectionRange: rangeOf(parsed, startLine, key.range[0], key.range[1]),
        children: children(value, parsed, startLine, depth + 1),
      };
      if (isScalar(value)) symbol.detail = String(value.value);
      out.push(symbol);
    }
  } else if (isSeq(node)) {
    node.items.forEach((item, i) => {
      const n = item as Node | null;
      if (!n?.range || !(isMap(n) || isSeq(n))) return;
      const name = isMap(n) ? n.get('name') : undefined;
      out.push({
        name: typeof name === 'string' ? `[${i}] ${name}` : `[${i}]`,
        kind: SymbolKind.Object,
        range: rangeOf(parsed, startLine, n.range[0], n.range[1]),
        selectionRange: rangeOf(parsed, startLine, n.range[0], n.range[0]),
        children: children(n, parsed, startLine, depth + 1),
      });
    });
  }
  return out;
}

function rangeOf(parsed: ParsedChunk, startLine: number, start: number, end: number): Range {
  const r = parsed.lines.rangeAt(start, end);
  return {
    start: { line: r.start.line + startLine, character: r.start.character },
    end: { line: r.end.line + startLine, character: r.end.character },
  };
}
