import { isMap, isScalar, isSeq } from 'yaml';
import type { Document, Node, Pair, Scalar } from 'yaml';
import type { Range } from 'vscode-languageserver-types';
import type { TextLines } from '../document/text-lines.js';
import { deref } from '../document/node-at.js';
import type { Labels } from './indexed-resource.js';

/**
 * Reads values and their LSP ranges from one parsed document, with ranges
 * shifted from the chunk the document was parsed in to the whole file.
 * Lookups follow aliases and never throw on unexpected shapes.
 */
export class YamlReader {
  constructor(
    readonly doc: Document.Parsed,
    private readonly lines: TextLines,
    private readonly lineOffset: number,
  ) {}

  /** The value node under a key of a map node, aliases resolved. */
  get(node: unknown, key: string): Node | undefined {
    const pair = this.pair(node, key);
    return (deref(this.doc, pair?.value) as Node | null | undefined) ?? undefined;
  }

  /** The key node of `key` in a map node (for reports about a whole value). */
  keyNode(node: unknown, key: string): Scalar | undefined {
    const pair = this.pair(node, key);
    return pair && isScalar(pair.key) ? pair.key : undefined;
  }

  /** The first pair of a map node whose scalar key reads `key` (a loop: index entries ask this of every document). */
  private pair(node: unknown, key: string): Pair | undefined {
    const map = deref(this.doc, node);
    if (!isMap(map)) return undefined;
    for (const p of map.items) if (isScalar(p.key) && String(p.key.value) === key) return p;
    return undefined;
  }

  /** The node at a path of map keys below a node. */
  at(node: unknown, path: readonly string[]): Node | undefined {
    let current: Node | undefined = deref(this.doc, node) as Node | undefined;
    for (const key of path) {
      current = this.get(current, key);
      if (current === undefined) return undefined;
    }
    return current;
  }

  /** The items of a sequence node (empty when it is not one). */
  items(node: unknown): Node[] {
    const seq = deref(this.doc, node);
    if (!isSeq(seq)) return [];
    const out: Node[] = [];
    for (const item of seq.items) {
      const node = deref(this.doc, item) as Node | null | undefined;
      if (node !== null && node !== undefined) out.push(node);
    }
    return out;
  }

  /** The pairs of a map node whose keys are scalars. */
  entries(node: unknown): { key: string; keyNode: Scalar; value: Node | undefined }[] {
    const map = deref(this.doc, node);
    if (!isMap(map)) return [];
    const out: { key: string; keyNode: Scalar; value: Node | undefined }[] = [];
    for (const pair of map.items) {
      const key = this.string(pair.key);
      if (!isScalar(pair.key) || key === undefined) continue;
      out.push({
        key,
        keyNode: pair.key,
        value: (deref(this.doc, pair.value) as Node | null | undefined) ?? undefined,
      });
    }
    return out;
  }

  /** A string scalar's value (numbers and booleans as text), or `undefined`. */
  string(node: unknown): string | undefined {
    const scalar = deref(this.doc, node);
    if (!isScalar(scalar)) return undefined;
    const v = scalar.value;
    return typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : undefined;
  }

  /** A number scalar's value, or `undefined`. */
  number(node: unknown): number | undefined {
    const scalar = deref(this.doc, node);
    return isScalar(scalar) && typeof scalar.value === 'number' ? scalar.value : undefined;
  }

  /** A number or string scalar (an int-or-string field such as `targetPort`). */
  intOrString(node: unknown): number | string | undefined {
    const scalar = deref(this.doc, node);
    if (!isScalar(scalar)) return undefined;
    return typeof scalar.value === 'number' || typeof scalar.value === 'string' ? scalar.value : undefined;
  }

  boolean(node: unknown): boolean | undefined {
    const scalar = deref(this.doc, node);
    return isScalar(scalar) && typeof scalar.value === 'boolean' ? scalar.value : undefined;
  }

  /** A map of scalars as labels. */
  labels(node: unknown): Labels {
    const out: Record<string, string> = {};
    for (const { key, value } of this.entries(node)) {
      const text = this.string(value);
      if (text !== undefined) out[key] = text;
    }
    return out;
  }

  /** A node's range in the file (its value, without trailing comments). */
  range(node: Node | undefined): Range | undefined {
    const r = node?.range;
    if (!r) return undefined;
    return this.shift(this.lines.rangeAt(r[0], r[1]));
  }

  /** An empty range where the document's content starts. */
  startRange(): Range {
    const start = this.doc.contents?.range[0] ?? this.doc.range[0];
    const position = this.lines.positionAt(start);
    return this.shift({ start: position, end: position });
  }

  private shift(range: Range): Range {
    if (this.lineOffset === 0) return range;
    return {
      start: { line: range.start.line + this.lineOffset, character: range.start.character },
      end: { line: range.end.line + this.lineOffset, character: range.end.character },
    };
  }
}
