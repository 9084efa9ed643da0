import type { Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';
import { bail } from './bail.js';
import { newMap, newPair, newSeq, rangeValueEnd, setRange } from './nodes.js';
import { readQuotedScalar, readQuotedValue } from './read-quoted-scalar.js';
import type { QuotedLines } from './read-quoted-scalar.js';
import { resolvePlainScalar } from './resolve-plain-scalar.js';
import type { SourceLines } from './source-lines.js';

type FlowNode = Scalar | YAMLMap | YAMLSeq;

/**
 * A flow collection (`[a, b]`, `{a: 1, b: [x]}`) that starts at `start` on
 * `line`, on one line or across several (items, commas and comments on lines
 * of their own, as whole documents are sometimes written). `blockIndent` is
 * the indentation of the block collection holding it (-1 for a document's
 * root): its other lines must be indented deeper, but for a last line that
 * closes it at that indentation. Ranges as the `yaml` package gives them; the
 * collection's own `range[2]` is left for the caller (it takes what follows
 * the closing bracket). Returns the position after it and the line it ends on.
 * Items split over lines (a key and its value, plain or quoted scalars), a
 * comma first on a line, and shallower comment lines bail.
 */
export function readFlowCollection(
  lines: SourceLines,
  line: number,
  start: number,
  blockIndent: number,
  schema: Schema,
): { node: YAMLMap | YAMLSeq; end: number; line: number } {
  const reader = new FlowReader(lines, line, blockIndent, schema);
  const { node, end } = reader.collection(start, 0);
  return { node, end, line: reader.line };
}

const MAX_FLOW_DEPTH = 64;

/** Whether a pair among `items` has the key `value` (SameValueZero: NaN matches NaN, as `includes` does). */
function hasKey(items: readonly Pair[], value: unknown): boolean {
  for (let i = 0; i < items.length; i++) {
    const key = ((items[i] as Pair).key as Scalar).value;
    if (key === value || (key !== key && value !== value)) return true;
  }
  return false;
}

class FlowReader {
  private readonly text: string;
  private lineEnd: number;

  constructor(
    private readonly lines: SourceLines,
    /** The line being read. */
    public line: number,
    private readonly blockIndent: number,
    private readonly schema: Schema,
  ) {
    this.text = lines.text;
    this.lineEnd = lines.end[line] as number;
  }

  collection(start: number, depth: number): { node: YAMLMap | YAMLSeq; end: number } {
    if (depth > MAX_FLOW_DEPTH) bail('deep flow');
    const isMap = this.text.charCodeAt(start) === 123;
    const close = isMap ? 125 : 93;
    const node = isMap ? newMap(this.schema) : newSeq(this.schema);
    node.flow = true;
    let pos = this.gap(start + 1, depth);
    for (;;) {
      if (this.text.charCodeAt(pos) === close) break;
      if (isMap) {
        const key = this.item(pos, depth, true, true);
        if (key.end !== rangeValueEnd(key.node)) bail('flow key');
        if (this.text.charCodeAt(key.end) !== 58) bail('flow key');
        if (key.end + 1 < this.lineEnd && this.text.charCodeAt(key.end + 1) !== 32) bail('flow key');
        if (hasKey((node as YAMLMap).items, (key.node as Scalar).value)) bail('duplicate flow key');
        // The value on the same line, or (after a comment, blank and comment lines) on a later one.
        const valueStart = this.gap(key.end + 1, depth);
        const v = this.text.charCodeAt(valueStart);
        if (v === 44 || v === 93 || v === 125) bail('empty flow value');
        const value = this.item(valueStart, depth, false, true);
        (node as YAMLMap).items.push(newPair(key.node, value.node));
        pos = value.after;
      } else {
        const value = this.item(pos, depth, false, false);
        (node as YAMLSeq).items.push(value.node);
        pos = value.after;
      }
      const c = this.text.charCodeAt(pos);
      if (c === 44) pos = this.gap(pos + 1, depth);
      else if (c !== close) bail('flow separator');
    }
    setRange(node, start, pos + 1, pos + 1);
    return { node, end: pos + 1 };
  }

  /**
   * One item: `end` after its text, `after` where the next comma or closing
   * bracket is. Its range[2] is that position on the same line; when the item
   * ends its line, the line break after it (and a comment before that) in a
   * mapping, and the closing bracket's position in a sequence.
   */
  private item(
    pos: number,
    depth: number,
    atKey: boolean,
    inMap: boolean,
  ): { node: FlowNode; end: number; after: number } {
    if (pos >= this.lineEnd) bail('multi-line flow collection');
    const c = this.text.charCodeAt(pos);
    let node: FlowNode;
    let end: number;
    if (c === 91 || c === 123) {
      if (atKey) bail('collection as flow key');
      const inner = this.collection(pos, depth + 1);
      node = inner.node;
      end = inner.end;
    } else if (c === 34 || c === 39) {
      if (atKey) {
        const quoted = readQuotedScalar(this.text, pos, this.lineEnd);
        node = quoted.node;
        end = quoted.end;
      } else {
        // A double-quoted value may go on over lines: the reading goes on from the line it closes on.
        const at: QuotedLines = { lines: this.lines, line: this.line, blockIndent: this.blockIndent };
        const quoted = readQuotedValue(at, pos);
        node = quoted.node;
        end = quoted.end;
        this.line = at.line;
        this.lineEnd = this.lines.end[at.line] as number;
      }
    } else {
      end = this.plainEnd(pos, atKey);
      node = resolvePlainScalar(this.text.slice(pos, end));
    }
    let after = this.spaces(end);
    if (atKey) {
      setRange(node, pos, end, end);
      return { node, end, after };
    }
    if (after < this.lineEnd && this.text.charCodeAt(after) !== 35) {
      setRange(node, pos, end, after);
      return { node, end, after };
    }
    if (after < this.lineEnd && after === end) bail('comment without a space');
    // The item ends its line: its range takes the comment and the line break; only a closing bracket may follow.
    const lineBreak = this.lines.next[this.line] as number;
    after = this.nextLine(depth);
    const next = this.text.charCodeAt(after);
    if (next !== 93 && next !== 125) bail('item before a line break');
    setRange(node, pos, end, inMap ? lineBreak : after);
    return { node, end, after };
  }

  /** After `[`, `{` or a comma: spaces, then a comment and further lines up to the next item or bracket. */
  private gap(pos: number, depth: number): number {
    const at = this.spaces(pos);
    if (at < this.lineEnd) {
      if (this.text.charCodeAt(at) !== 35) return at;
      if (at === pos) bail('comment without a space');
    }
    return this.nextLine(depth);
  }

  /**
   * The first content of the lines after the current one, skipping blank and
   * comment lines. Content must be indented deeper than the block holding the
   * collection, but for the outermost closing bracket, which may sit at its
   * indentation.
   */
  private nextLine(depth: number): number {
    const lines = this.lines;
    for (let l = this.line + 1; l < lines.count; l++) {
      if (lines.isMarker(l)) bail('document marker in a flow collection');
      const indent = lines.indent[l] as number;
      if (lines.isBlank(l)) continue;
      if (lines.isComment(l)) {
        // At column 0, after a mapping's value, the `yaml` package reports the comment as not separated: bail at 0 too.
        if (indent <= this.blockIndent || indent === 0) bail('shallow comment in a flow collection');
        continue;
      }
      const at = lines.contentStart(l);
      if (indent <= this.blockIndent) {
        const c = this.text.charCodeAt(at);
        if (!(indent === this.blockIndent && depth === 0 && (c === 93 || c === 125))) bail('flow indentation');
      }
      if (this.text.charCodeAt(at) === 44) bail('comma first on a line');
      this.line = l;
      this.lineEnd = lines.end[l] as number;
      return at;
    }
    return bail('unterminated flow collection');
  }

  /** End of a plain scalar in flow context; indicators and `:` in it bail, a comment ends it. */
  private plainEnd(pos: number, atKey: boolean): number {
    const t = this.text;
    const first = t.charCodeAt(pos);
    // , [ ] { } # & * ! | > ' " % @ ` - ? :
    if (first === 44 || first === 93 || first === 125 || first === 35 || first === 38 || first === 42)
      bail('flow indicator');
    if (first === 33 || first === 124 || first === 62 || first === 37 || first === 64 || first === 96)
      bail('indicator');
    if (first === 45 || first === 63 || first === 58) {
      const n = t.charCodeAt(pos + 1);
      if (n === 32 || n === 44 || n === 93 || n === 125 || pos + 1 >= this.lineEnd) bail('indicator');
    }
    let i = pos;
    let last = pos;
    for (; i < this.lineEnd; i++) {
      const c = t.charCodeAt(i);
      if (c === 44 || c === 91 || c === 93 || c === 123 || c === 125) break;
      if (c === 58) {
        if (atKey && (t.charCodeAt(i + 1) === 32 || i + 1 === this.lineEnd)) break;
        bail('colon in flow scalar');
      }
      if (c === 35 && t.charCodeAt(i - 1) === 32) break;
      if (c !== 32) last = i + 1;
    }
    if (atKey && i >= this.lineEnd) bail('flow key at a line end');
    return last;
  }

  private spaces(pos: number): number {
    while (pos < this.lineEnd && this.text.charCodeAt(pos) === 32) pos++;
    return pos;
  }
}
