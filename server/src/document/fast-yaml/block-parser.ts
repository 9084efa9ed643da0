import { YAMLParseError } from 'yaml';
import type { Pair, Scalar, Schema, YAMLMap, YAMLSeq } from 'yaml';
import { bail } from './bail.js';
import { hasKey, itemStack, keysOf, takeItems, trimItemStack } from './item-stack.js';
import { newMap, newPair, newSeq, rangeEnd, rangeStart, rangeValueEnd, setRange, setRangeEnd } from './nodes.js';
import { readBlockScalar } from './read-block-scalar.js';
import { readFlowCollection } from './read-flow-collection.js';
import { closesOnLine, readQuotedScalar, readQuotedValue } from './read-quoted-scalar.js';
import type { QuotedLines } from './read-quoted-scalar.js';
import { resolvePlainScalar } from './resolve-plain-scalar.js';
import type { SourceLines } from './source-lines.js';

type BlockNode = Scalar | YAMLMap | YAMLSeq;

/**
 * Blank and comment lines left after a collection's last item (plus the next
 * line's indentation). The `yaml` package keeps them in the collection's range
 * when a comment there is indented at least as deep as the collection, and
 * hands them to the parent otherwise.
 */
export interface Trailing {
  readonly maxCommentIndent: number;
  readonly end: number;
}

const MAX_DEPTH = 100;

/** Stands for the trailing filler of the last `afterValue` until a collection closes on it (see `close`). */
const LAST_AFTER_VALUE: Trailing = { maxCommentIndent: -1, end: -1 };

/**
 * Block mappings and sequences over whole lines, producing the `yaml`
 * package's nodes with the ranges its composer would give them (including
 * where comments and blank lines fall). Anything else throws a Bail.
 */
export class BlockParser {
  /** The line after the collection last parsed. */
  line = 0;
  /** The end of this parse's items in `itemStack`. */
  private top = 0;
  /** Duplicate keys, as the `yaml` package reports them (the pair is kept all the same), in document order. */
  readonly errors: YAMLParseError[] = [];
  private readonly text: string;
  /**
   * What `inlineValue` and `afterValue` found besides their return value. Fields rather
   * than a result object per value: those objects were a fifth of what a parse allocated.
   */
  private valueNextLine = 0;
  private valueAttachable = false;
  private afterHasTrailing = false;
  private afterMaxCommentIndent = -1;
  private afterEnd = 0;
  /** The first ` #` of the text at or after `commentFrom` (-1: none), for `commentAt`. */
  private commentFrom = Number.MAX_SAFE_INTEGER;
  private nextComment = -1;

  constructor(
    private readonly lines: SourceLines,
    private readonly schema: Schema,
  ) {
    this.text = lines.text;
    trimItemStack();
  }

  /** The block collection whose first item starts at column `col` of `line`. */
  collection(line: number, col: number, depth: number): { node: YAMLMap | YAMLSeq; trailing: Trailing | undefined } {
    if (depth > MAX_DEPTH) bail('deep nesting');
    const pos = (this.lines.start[line] as number) + col;
    if (this.isDash(pos, this.lines.end[line] as number)) return this.seq(line, col, depth);
    return this.map(line, col, depth);
  }

  /** A flow collection at the start of `line`, as a document's root (nothing may follow it but `...`). */
  rootFlow(line: number): YAMLMap | YAMLSeq {
    const node = this.inlineValue(line, this.lines.contentStart(line), -1, 0);
    this.line = this.valueNextLine;
    return node as YAMLMap | YAMLSeq;
  }

  private map(line: number, n: number, depth: number): { node: YAMLMap; trailing: Trailing | undefined } {
    const { lines, text } = this;
    const base = this.top;
    const start = (lines.start[line] as number) + n;
    let keyPos = start;
    let l = line;
    let offset = start;
    let keySet: Set<unknown> | undefined;
    for (;;) {
      const lineEnd = lines.end[l] as number;
      const colon = this.keyColon(keyPos, lineEnd);
      if (colon < 0) bail('not a mapping key');
      const key = this.scalarAt(keyPos, colon);
      const keyValue = key.value;
      // Against the keys so far (SameValueZero, as a Set compares): the pairs' own keys, or a Set past 8 of them.
      const count = this.top - base;
      if (keySet === undefined && count > 8) keySet = keysOf(base, this.top);
      if (keySet ? keySet.has(keyValue) : hasKey(base, this.top, keyValue)) {
        // The `yaml` package compares keys with ===: NaN is never a duplicate there.
        if (keyValue !== keyValue) bail('duplicate NaN key');
        // After an empty value, where the package places the error depends on how its lexer split the line break.
        const before = count > 0 ? ((itemStack[this.top - 1] as Pair).value as BlockNode) : undefined;
        if (before && rangeStart(before) === rangeValueEnd(before) && rangeEnd(before) !== keyPos)
          bail('duplicate key after an empty value');
        this.errors.push(new YAMLParseError([keyPos, keyPos + 1], 'DUPLICATE_KEY', 'Map keys must be unique'));
      }
      keySet?.add(keyValue);
      let vpos = colon + 1;
      while (vpos < lineEnd && text.charCodeAt(vpos) === 32) vpos++;
      let value: BlockNode;
      let next: number;
      let trailing: Trailing | undefined;
      if (vpos === lineEnd || text.charCodeAt(vpos) === 35) {
        next = this.skipFiller(l + 1);
        // (A marker has no indentation; the line's content start is its start plus its indentation, without a call.)
        const indent =
          next < lines.count && !(lines.indent[next] === 0 && lines.isMarker(next))
            ? (lines.indent[next] as number)
            : -1;
        if (
          indent > n ||
          (indent === n &&
            this.isDash((lines.start[next] as number) + (lines.indent[next] as number), lines.end[next] as number))
        ) {
          const inner = this.collection(next, indent, depth + 1);
          value = inner.node;
          trailing = inner.trailing;
          next = this.line;
        } else value = this.emptyValue(l, vpos, next, n, indent === n);
      } else {
        value = this.inlineValue(l, vpos, n, depth);
        next = this.afterValue(this.valueNextLine, n, this.valueAttachable ? value : undefined);
        trailing = this.afterTrailing();
      }
      itemStack[this.top++] = newPair(key, value);
      offset = rangeEnd(value);
      const indent = next < lines.count ? (lines.indent[next] as number) : -1;
      // A marker line (`---`, `...`) has no indentation: only such a line is asked.
      if (indent < n || (indent === 0 && lines.isMarker(next))) {
        this.line = next;
        const map = newMap(this.schema, this.take(base) as Pair[]);
        return { node: map, trailing: this.close(map, start, offset, n, trailing) };
      }
      if (indent > n) bail('bad indentation');
      l = next;
      keyPos = (lines.start[l] as number) + (lines.indent[l] as number);
    }
  }

  private seq(line: number, n: number, depth: number): { node: YAMLSeq; trailing: Trailing | undefined } {
    const { lines, text } = this;
    const base = this.top;
    const start = (lines.start[line] as number) + n;
    let l = line;
    let dash = start;
    let offset = start;
    for (;;) {
      const lineEnd = lines.end[l] as number;
      let vpos = dash + 1;
      while (vpos < lineEnd && text.charCodeAt(vpos) === 32) vpos++;
      let value: BlockNode;
      let next: number;
      let trailing: Trailing | undefined;
      const col = vpos - (lines.start[l] as number);
      if (vpos === lineEnd || text.charCodeAt(vpos) === 35) {
        next = this.skipFiller(l + 1);
        const indent =
          next < lines.count && !(lines.indent[next] === 0 && lines.isMarker(next))
            ? (lines.indent[next] as number)
            : -1;
        if (indent > n) {
          const inner = this.collection(next, indent, depth + 1);
          value = inner.node;
          trailing = inner.trailing;
          next = this.line;
        } else value = this.emptyValue(l, vpos, next, n, false);
      } else if (this.isDash(vpos, lineEnd) || this.keyColon(vpos, lineEnd) >= 0) {
        const inner = this.collection(l, col, depth + 1);
        value = inner.node;
        trailing = inner.trailing;
        next = this.line;
      } else {
        value = this.inlineValue(l, vpos, n, depth);
        next = this.afterValue(this.valueNextLine, n, this.valueAttachable ? value : undefined);
        trailing = this.afterTrailing();
      }
      itemStack[this.top++] = value;
      offset = rangeEnd(value);
      const indent = next < lines.count ? (lines.indent[next] as number) : -1;
      const nextDash =
        indent === n &&
        this.isDash((lines.start[next] as number) + (lines.indent[next] as number), lines.end[next] as number);
      if (indent < n || (indent === 0 && lines.isMarker(next)) || (indent === n && !nextDash)) {
        this.line = next;
        const seq = newSeq(this.schema, this.take(base));
        return { node: seq, trailing: this.close(seq, start, offset, n, trailing) };
      }
      if (indent > n) bail('bad indentation');
      l = next;
      dash = (lines.start[l] as number) + (lines.indent[l] as number);
    }
  }

  /** The items on the stack from `base` on, taken off it. */
  private take(base: number): unknown[] {
    const items = takeItems(base, this.top);
    this.top = base;
    return items;
  }

  /** Sets a finished collection's range; returns what its parent inherits. */
  private close(
    node: YAMLMap | YAMLSeq,
    start: number,
    offset: number,
    indent: number,
    given: Trailing | undefined,
  ): Trailing | undefined {
    // Called right after the last value's `afterValue`: its fields are still those of that value.
    const trailing =
      given === LAST_AFTER_VALUE ? { maxCommentIndent: this.afterMaxCommentIndent, end: this.afterEnd } : given;
    if (trailing && indent !== 0 && trailing.maxCommentIndent >= indent) {
      setRange(node, start, offset, trailing.end);
      return undefined;
    }
    setRange(node, start, offset, offset);
    return trailing;
  }

  /**
   * An empty value after `key:` or `-` (at `pos`, after the indicator and its
   * spaces) on line `l`, with filler lines up to `next`. A comment among them
   * stretches its range; before a next key at the same indent, the filler
   * from the second line break after the last deeper comment is left out.
   */
  private emptyValue(l: number, pos: number, next: number, n: number, beforeKey: boolean): Scalar {
    const lines = this.lines;
    let hasComment = pos < (lines.end[l] as number);
    let last = next - 1;
    let end = next < lines.count ? lines.contentStart(next) : this.text.length;
    if (beforeKey) {
      let deep = l;
      for (let i = l + 1; i < next; i++) if (lines.isComment(i) && (lines.indent[i] as number) > n) deep = i;
      if (last >= deep + 1) {
        last = deep + 1;
        end = lines.end[last] as number;
      }
    }
    for (let i = l + 1; i <= last && !hasComment; i++) hasComment = lines.isComment(i);
    const node = resolvePlainScalar('');
    setRange(node, pos, pos, hasComment ? end : pos);
    return node;
  }

  /**
   * After a value ending at a line end: deeper comment lines (and blank lines
   * before them) join a flow value's range, as the `yaml` parser attaches
   * them; the rest is trailing filler.
   */
  private afterValue(from: number, n: number, attachTo: BlockNode | undefined): number {
    const lines = this.lines;
    let i = from;
    let attaching = attachTo !== undefined;
    let remaining = false;
    let maxCommentIndent = -1;
    for (; i < lines.count && lines.isFiller(i); i++) {
      if (!lines.isComment(i)) remaining = true;
      else if (attaching && (lines.indent[i] as number) > n) {
        if (attachTo) setRangeEnd(attachTo, lines.next[i] as number);
        remaining = false;
        maxCommentIndent = -1;
      } else {
        attaching = false;
        remaining = true;
        maxCommentIndent = Math.max(maxCommentIndent, lines.indent[i] as number);
      }
    }
    const more = i < lines.count;
    this.afterHasTrailing = remaining || more;
    this.afterMaxCommentIndent = maxCommentIndent;
    this.afterEnd = more ? lines.contentStart(i) : this.text.length;
    return i;
  }

  /** The trailing filler `afterValue` found, made an object only when a collection ends on it. */
  private afterTrailing(): Trailing | undefined {
    return this.afterHasTrailing ? LAST_AFTER_VALUE : undefined;
  }

  /** A scalar, flow collection or block scalar starting at `pos` on line `l` (its next line and whether comments may join it: `valueNextLine`, `valueAttachable`). */
  private inlineValue(l: number, pos: number, n: number, depth: number): BlockNode {
    const { lines, text } = this;
    const lineEnd = lines.end[l] as number;
    const c = text.charCodeAt(pos);
    if (c === 124 || c === 62) {
      const block = readBlockScalar(lines, l, pos, n);
      this.valueNextLine = block.nextLine;
      this.valueAttachable = false;
      return block.node;
    }
    let node: BlockNode;
    let end: number;
    if (c === 91 || c === 123) {
      if (depth > MAX_DEPTH) bail('deep nesting');
      const flow = readFlowCollection(lines, l, pos, n, this.schema);
      this.lineRest(flow.end, lines.end[flow.line] as number);
      setRange(flow.node, pos, flow.end, lines.next[flow.line] as number);
      this.valueNextLine = flow.line + 1;
      this.valueAttachable = true;
      return flow.node;
    } else if (c === 34 || c === 39) {
      const at: QuotedLines = { lines, line: l, blockIndent: n };
      const quoted = readQuotedValue(at, pos);
      node = quoted.node;
      end = quoted.end;
      // A double-quoted value may close on a later line: what follows it is on that line.
      l = at.line;
      this.lineRest(end, lines.end[l] as number);
    } else {
      this.plainStart(pos, lineEnd);
      // The value runs to a comment or the line's end, without the spaces before it; a `: ` in it is a mapping.
      const stop = this.commentAt(pos, lineEnd);
      if (this.colonBefore(pos, stop, lineEnd) >= 0) bail('mapping in a value');
      end = stop;
      while (end > pos && text.charCodeAt(end - 1) === 32) end--;
      node = resolvePlainScalar(text.slice(pos, end));
    }
    setRange(node, pos, end, lines.next[l] as number);
    this.valueNextLine = l + 1;
    this.valueAttachable = true;
    return node;
  }

  /** Only spaces and a comment may follow a value on its line. */
  private lineRest(pos: number, lineEnd: number): void {
    if (pos === lineEnd) return;
    if (this.text.charCodeAt(pos) !== 32) bail('text after a value');
    while (pos < lineEnd && this.text.charCodeAt(pos) === 32) pos++;
    if (pos < lineEnd && this.text.charCodeAt(pos) !== 35) bail('text after a value');
  }

  /** Plain scalars may not start with an indicator (those we do not handle included). */
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
      // A quoted scalar that goes on to the next line is no key here: a value (`- "...`) read by readQuotedValue.
      if (!closesOnLine(text, pos, lineEnd)) return -1;
      i = readQuotedScalar(text, pos, lineEnd).end;
      if (text.charCodeAt(i) !== 58) return -1;
    } else {
      this.plainStart(pos, lineEnd);
      // The first `: ` (or `:` ending the line) before a comment.
      i = this.colonBefore(pos, this.commentAt(pos, lineEnd), lineEnd);
      if (i < 0) return -1;
    }
    if (i + 1 < lineEnd && text.charCodeAt(i + 1) !== 32) return -1;
    return i;
  }

  /** The key scalar in text[pos, colon); a plain one ends at its last character (`key :` has spaces before the colon). */
  private scalarAt(pos: number, colon: number): Scalar {
    const c = this.text.charCodeAt(pos);
    let end = colon;
    if (c !== 34 && c !== 39) while (end > pos && this.text.charCodeAt(end - 1) === 32) end--;
    const node =
      c === 34 || c === 39
        ? readQuotedScalar(this.text, pos, colon).node
        : resolvePlainScalar(this.text.slice(pos, end));
    if (node.source === '<<' && node.type === 'PLAIN') bail('merge key');
    setRange(node, pos, end, end);
    return node;
  }

  /**
   * Where a comment starts on the line (a `#` after a space, from `pos` + 1 on; a `#` at `pos` itself is
   * no plain scalar's start), or `lineEnd`. The text's next ` #` is kept: lines are read forward, so
   * most lines find it already known, and a text without comments searches once.
   */
  private commentAt(pos: number, lineEnd: number): number {
    if (pos < this.commentFrom || (this.nextComment >= 0 && this.nextComment < pos)) {
      this.commentFrom = pos;
      this.nextComment = this.text.indexOf(' #', pos);
    }
    const space = this.nextComment;
    return space >= 0 && space + 1 < lineEnd ? space + 1 : lineEnd;
  }

  /**
   * The first `:` in [pos, stop) followed by a space or ending the line (at `lineEnd`), or -1: found by
   * `indexOf` (a builtin, fast on a cold thread) rather than a loop over each character.
   */
  private colonBefore(pos: number, stop: number, lineEnd: number): number {
    const text = this.text;
    let colon = text.indexOf(':', pos);
    while (colon >= 0 && colon < stop) {
      if (colon + 1 === lineEnd || text.charCodeAt(colon + 1) === 32) return colon;
      colon = text.indexOf(':', colon + 1);
    }
    return -1;
  }

  private isDash(pos: number, lineEnd: number): boolean {
    return this.text.charCodeAt(pos) === 45 && (pos + 1 === lineEnd || this.text.charCodeAt(pos + 1) === 32);
  }

  /** The first line at or after `from` that is neither blank nor only a comment. */
  private skipFiller(from: number): number {
    let i = from;
    while (i < this.lines.count && this.lines.isFiller(i)) i++;
    return i;
  }
}
