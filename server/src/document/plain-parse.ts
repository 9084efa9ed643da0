import { Document, isMap, isScalar, isSeq } from 'yaml';
import type { Node, Schema } from 'yaml';
import { Bail, bail } from './fast-yaml/bail.js';
import { readBlockScalar } from './fast-yaml/read-block-scalar.js';
import { readFlowCollection } from './fast-yaml/read-flow-collection.js';
import { readQuotedScalar } from './fast-yaml/read-quoted-scalar.js';
import { plainScalarValue } from './fast-yaml/resolve-plain-scalar.js';
import { SourceLines } from './fast-yaml/source-lines.js';
import { MANIFEST_YAML_OPTIONS } from './yaml-options.js';

/** A mapping read by the plain pass: string keys only, none of them `__proto__` or `<<`. */
export interface PlainMap {
  [key: string]: unknown;
}

const MAX_DEPTH = 100;

/** The schema flow collections are read with (their nodes are converted at once). */
let flowSchema: Schema | undefined;

/**
 * The one document of a chunk as plain JS values (mappings as objects, sequences as
 * arrays, scalars as the `yaml` package resolves them under MANIFEST_YAML_OPTIONS),
 * with no nodes and no ranges: exactly `toJS` of what `parseChunk` gives, for a
 * stricter subset than the fast path takes. `undefined` for anything else: a root
 * that is not a block mapping, several documents, keys that are not strings
 * (`1:`, `on:`), `__proto__` and `<<` keys, duplicate keys, and all the fast path
 * bails on (anchors, aliases, tags, tabs, lone CRs, multi-line scalars, ...).
 */
export function plainParse(text: string): PlainMap | undefined {
  try {
    return parseDocument(text);
  } catch (error) {
    if (error instanceof Bail || error instanceof RangeError) return undefined;
    throw error;
  }
}

function parseDocument(text: string): PlainMap {
  const from = text.charCodeAt(0) === 0xfeff ? 1 : 0;
  const lines = new SourceLines(text, from);
  let line = 0;
  let markers = 0;
  for (; line < lines.count; line++) {
    if (lines.isFiller(line)) continue;
    if (!lines.isMarker(line) || !text.startsWith('---', lines.start[line])) break;
    if (++markers > 1) bail('empty document');
    let rest = (lines.start[line] as number) + 3;
    const end = lines.end[line] as number;
    while (rest < end && text.charCodeAt(rest) === 32) rest++;
    if (rest < end && text.charCodeAt(rest) !== 35) bail('content after ---');
  }
  if (line >= lines.count) bail('no content');
  if ((lines.indent[line] as number) !== 0 || lines.isMarker(line)) bail('document start');
  const first = text.charCodeAt(lines.contentStart(line));
  if (first === 91 || first === 123) bail('flow root');
  const parser = new PlainParser(lines);
  const root = parser.collection(line, 0, 0);
  if (parser.line < lines.count) bail('more than one document');
  if (Array.isArray(root)) bail('sequence root');
  return root;
}

/** The block structure of the fast path's BlockParser, building values instead of nodes. */
class PlainParser {
  line = 0;
  private readonly text: string;
  private valueNextLine = 0;

  constructor(private readonly lines: SourceLines) {
    this.text = lines.text;
  }

  collection(line: number, col: number, depth: number): PlainMap | unknown[] {
    if (depth > MAX_DEPTH) bail('deep nesting');
    const pos = (this.lines.start[line] as number) + col;
    if (this.isDash(pos, this.lines.end[line] as number)) return this.seq(line, col, depth);
    return this.map(line, col, depth);
  }

  private map(line: number, n: number, depth: number): PlainMap {
    const { lines, text } = this;
    const map: PlainMap = {};
    let keyPos = (lines.start[line] as number) + n;
    let l = line;
    for (;;) {
      const lineEnd = lines.end[l] as number;
      const colon = this.keyColon(keyPos, lineEnd);
      if (colon < 0) bail('not a mapping key');
      const key = this.keyAt(keyPos, colon);
      if (Object.prototype.hasOwnProperty.call(map, key)) bail('duplicate key');
      let vpos = colon + 1;
      while (vpos < lineEnd && text.charCodeAt(vpos) === 32) vpos++;
      let value: unknown;
      let next: number;
      if (vpos === lineEnd || text.charCodeAt(vpos) === 35) {
        next = this.skipFiller(l + 1);
        const indent = next < lines.count && !lines.isMarker(next) ? (lines.indent[next] as number) : -1;
        if (indent > n || (indent === n && this.isDash(lines.contentStart(next), lines.end[next] as number))) {
          value = this.collection(next, indent, depth + 1);
          next = this.line;
        } else value = null;
      } else {
        value = this.inlineValue(l, vpos, n, depth);
        next = this.skipFiller(this.valueNextLine);
      }
      map[key] = value;
      if (next >= lines.count || lines.isMarker(next) || (lines.indent[next] as number) < n) {
        this.line = next;
        return map;
      }
      if ((lines.indent[next] as number) > n) bail('bad indentation');
      l = next;
      keyPos = lines.contentStart(l);
    }
  }

  private seq(line: number, n: number, depth: number): unknown[] {
    const { lines, text } = this;
    const seq: unknown[] = [];
    let l = line;
    let dash = (lines.start[line] as number) + n;
    for (;;) {
      const lineEnd = lines.end[l] as number;
      let vpos = dash + 1;
      while (vpos < lineEnd && text.charCodeAt(vpos) === 32) vpos++;
      let value: unknown;
      let next: number;
      if (vpos === lineEnd || text.charCodeAt(vpos) === 35) {
        next = this.skipFiller(l + 1);
        const indent = next < lines.count && !lines.isMarker(next) ? (lines.indent[next] as number) : -1;
        if (indent > n) {
          value = this.collection(next, indent, depth + 1);
          next = this.line;
        } else value = null;
      } else if (this.isDash(vpos, lineEnd) || this.keyColon(vpos, lineEnd) >= 0) {
        value = this.collection(l, vpos - (lines.start[l] as number), depth + 1);
        next = this.line;
      } else {
        value = this.inlineValue(l, vpos, n, depth);
        next = this.skipFiller(this.valueNextLine);
      }
      seq.push(value);
      if (next >= lines.count || lines.isMarker(next)) {
        this.line = next;
        return seq;
      }
      const indent = lines.indent[next] as number;
      if (indent < n || (indent === n && !this.isDash(lines.contentStart(next), lines.end[next] as number))) {
        this.line = next;
        return seq;
      }
      if (indent > n) bail('bad indentation');
      l = next;
      dash = lines.contentStart(l);
    }
  }

  /** A scalar, flow collection or block scalar starting at `pos` on line `l`; its next line in `valueNextLine`. */
  private inlineValue(l: number, pos: number, n: number, depth: number): unknown {
    const { lines, text } = this;
    const lineEnd = lines.end[l] as number;
    const c = text.charCodeAt(pos);
    if (c === 124 || c === 62) {
      const block = readBlockScalar(lines, l, pos, n);
      this.valueNextLine = block.nextLine;
      return block.node.value;
    }
    this.valueNextLine = l + 1;
    if (c === 91 || c === 123) {
      if (depth > MAX_DEPTH) bail('deep nesting');
      flowSchema ??= new Document(undefined, MANIFEST_YAML_OPTIONS).schema;
      const flow = readFlowCollection(lines, l, pos, n, flowSchema);
      this.lineRest(flow.end, lines.end[flow.line] as number);
      this.valueNextLine = flow.line + 1;
      return flowValue(flow.node);
    }
    if (c === 34 || c === 39) {
      const quoted = readQuotedScalar(text, pos, lineEnd);
      this.lineRest(quoted.end, lineEnd);
      return quoted.node.value;
    }
    this.plainStart(pos, lineEnd);
    let end = pos;
    for (let i = pos; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) bail('mapping in a value');
      if (ch === 35 && text.charCodeAt(i - 1) === 32) break;
      if (ch !== 32) end = i + 1;
    }
    return plainScalarValue(text.slice(pos, end));
  }

  /** Only spaces and a comment may follow a value on its line. */
  private lineRest(pos: number, lineEnd: number): void {
    if (pos === lineEnd) return;
    if (this.text.charCodeAt(pos) !== 32) bail('text after a value');
    while (pos < lineEnd && this.text.charCodeAt(pos) === 32) pos++;
    if (pos < lineEnd && this.text.charCodeAt(pos) !== 35) bail('text after a value');
  }

  /** Plain scalars may not start with an indicator (those the fast path does not handle included). */
  private plainStart(pos: number, lineEnd: number): void {
    const c = this.text.charCodeAt(pos);
    // , ] } # & * ! | > ' " % @ `
    if (c === 44 || c === 93 || c === 125 || c === 35 || c === 38 || c === 42 || c === 33) bail('indicator');
    if (c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96) bail('indicator');
    if (c === 91 || c === 123) bail('indicator');
    if (c === 45 || c === 63 || c === 58) {
      const d = this.text.charCodeAt(pos + 1);
      if (pos + 1 >= lineEnd || d === 32) bail('indicator');
    }
  }

  /** The `:` after a single-line key starting at `pos`, or -1 when the line holds no key there. */
  private keyColon(pos: number, lineEnd: number): number {
    const text = this.text;
    const c = text.charCodeAt(pos);
    let i: number;
    if (c === 91 || c === 123 || c === 124 || c === 62) return -1;
    if (c === 34 || c === 39) {
      i = readQuotedScalar(text, pos, lineEnd).end;
      if (text.charCodeAt(i) !== 58) return -1;
    } else {
      this.plainStart(pos, lineEnd);
      for (i = pos; i < lineEnd; i++) {
        const ch = text.charCodeAt(i);
        if (ch === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) break;
        if (ch === 35 && text.charCodeAt(i - 1) === 32) return -1;
      }
      if (i >= lineEnd) return -1;
      if (text.charCodeAt(i - 1) === 32) bail('space before colon');
    }
    if (i + 1 < lineEnd && text.charCodeAt(i + 1) !== 32) return -1;
    return i;
  }

  /** The key in text[pos, colon): a string, or a bail. */
  private keyAt(pos: number, colon: number): string {
    const c = this.text.charCodeAt(pos);
    const value =
      c === 34 || c === 39
        ? readQuotedScalar(this.text, pos, colon).node.value
        : plainScalarValue(this.text.slice(pos, colon));
    return stringKey(value);
  }

  private isDash(pos: number, lineEnd: number): boolean {
    return this.text.charCodeAt(pos) === 45 && (pos + 1 === lineEnd || this.text.charCodeAt(pos + 1) === 32);
  }

  private skipFiller(from: number): number {
    let i = from;
    while (i < this.lines.count && this.lines.isFiller(i)) i++;
    return i;
  }
}

/** Keys the plain pass takes: strings other than those objects or the merge key treat specially. */
function stringKey(value: unknown): string {
  if (typeof value !== 'string' || value === '__proto__' || value === '<<') bail('key');
  return value;
}

/** A flow collection's nodes (plain maps, sequences and scalars only) as values. */
function flowValue(node: Node): unknown {
  if (isScalar(node)) return node.value;
  if (isSeq(node)) {
    const out: unknown[] = [];
    for (const item of node.items) out.push(flowValue(item as Node));
    return out;
  }
  if (isMap(node)) {
    const out: PlainMap = {};
    for (const pair of node.items) {
      if (!isScalar(pair.key)) bail('flow key');
      const key = stringKey(pair.key.value);
      if (Object.prototype.hasOwnProperty.call(out, key)) bail('duplicate key');
      out[key] = pair.value === null ? null : flowValue(pair.value as Node);
    }
    return out;
  }
  return bail('flow node');
}
