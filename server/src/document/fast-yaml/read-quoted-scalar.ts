import { Scalar } from 'yaml';
import { bail } from './bail.js';
import { newScalar } from './nodes.js';
import type { SourceLines } from './source-lines.js';

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };
const HEX = /^[0-9a-fA-F]+$/;

/**
 * A single- or double-quoted scalar starting at `start` (its quote) that
 * closes before `lineEnd`; multi-line quoted scalars bail. Returns the node
 * (range not set) and the position after the closing quote.
 */
export function readQuotedScalar(text: string, start: number, lineEnd: number): { node: Scalar; end: number } {
  return text.charCodeAt(start) === 39 ? readSingle(text, start, lineEnd) : readDouble(text, start, lineEnd);
}

/** Whether the quoted scalar starting at `start` (its quote) closes before `lineEnd`. */
export function closesOnLine(text: string, start: number, lineEnd: number): boolean {
  const quote = text.charCodeAt(start);
  for (let i = start + 1; i < lineEnd; i++) {
    const c = text.charCodeAt(i);
    if (quote === 34 && c === 92) i++;
    else if (c === quote) {
      if (quote === 39 && i + 1 < lineEnd && text.charCodeAt(i + 1) === 39) i++;
      else return true;
    }
  }
  return false;
}

/**
 * Where a quoted value may go on over lines: the text's lines, the line it starts on (moved to the line it
 * closes on) and the indentation of the block holding it, which every further line must be deeper than.
 */
export interface QuotedLines {
  readonly lines: SourceLines;
  line: number;
  readonly blockIndent: number;
}

/**
 * As `readQuotedScalar`, for a value (never a key): a double-quoted one may go on over lines (shell
 * commands split with escaped line breaks), folded as YAML folds them: a line break between text is a
 * space, each blank line a line feed, spaces at the end of a line and at the start of the next are
 * dropped, an escaped line break joins the lines. `at.line` is left on the line it closes on. Bails
 * on what it does not reproduce exactly: a single-quoted one over lines, a carriage return, a blank
 * line after an escaped line break, a `---` or `...` line, a line not deeper than the block.
 */
export function readQuotedValue(at: QuotedLines, start: number): { node: Scalar; end: number } {
  const { text, end } = at.lines;
  const lineEnd = end[at.line] as number;
  return text.charCodeAt(start) === 39 ? readSingle(text, start, lineEnd) : readDouble(text, start, lineEnd, at);
}

function readSingle(text: string, start: number, lineEnd: number): { node: Scalar; end: number } {
  let value = '';
  let from = start + 1;
  for (;;) {
    const q = text.indexOf("'", from);
    if (q < 0 || q >= lineEnd) bail('multi-line single-quoted scalar');
    value += text.slice(from, q);
    if (text.charCodeAt(q + 1) === 39 && q + 1 < lineEnd) {
      value += "'";
      from = q + 2;
      continue;
    }
    const node = newScalar(value);
    node.source = value;
    node.type = Scalar.QUOTE_SINGLE;
    return { node, end: q + 1 };
  }
}

function readDouble(
  text: string,
  start: number,
  firstLineEnd: number,
  at?: QuotedLines,
): { node: Scalar; end: number } {
  let value = '';
  let from = start + 1;
  let lineEnd = firstLineEnd;
  for (let i = from; ; i++) {
    if (i >= lineEnd) {
      if (at === undefined) bail('multi-line double-quoted scalar');
      // A line break in the text: the line's trailing spaces go; one break is a space, each blank line a line feed.
      let kept = lineEnd;
      while (kept > from && text.charCodeAt(kept - 1) === 32) kept--;
      value += text.slice(from, kept);
      const blanks = nextQuotedLine(at);
      value += blanks === 0 ? ' ' : '\n'.repeat(blanks);
      from = at.lines.contentStart(at.line);
      lineEnd = at.lines.end[at.line] as number;
      i = from - 1;
      continue;
    }
    const c = text.charCodeAt(i);
    if (c === 34) {
      value += text.slice(from, i);
      const node = newScalar(value);
      node.source = value;
      node.type = Scalar.QUOTE_DOUBLE;
      return { node, end: i + 1 };
    }
    if (c !== 92) continue;
    value += text.slice(from, i);
    const e = text.charAt(i + 1);
    if (i + 1 >= lineEnd) {
      if (at === undefined) bail('escaped line break');
      // An escaped line break joins the lines: nothing of it, nor of the next line's indentation, is kept.
      if (nextQuotedLine(at) > 0) bail('blank line after an escaped line break');
      from = at.lines.contentStart(at.line);
      lineEnd = at.lines.end[at.line] as number;
      i = from - 1;
      continue;
    }
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      i += 1;
    } else {
      const length = HEX_LENGTH[e];
      if (length === undefined) bail('unknown escape');
      const hex = text.slice(i + 2, i + 2 + length);
      if (hex.length !== length || i + 2 + length > lineEnd || !HEX.test(hex)) bail('bad hex escape');
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) bail('code point out of range');
      value += String.fromCodePoint(code);
      i += 1 + length;
    }
    from = i + 1;
  }
}

/**
 * Moves `at.line` from a line a quoted scalar goes on past to the next line with text, returning how many
 * blank lines it skipped. Bails where the `yaml` package would end the scalar or report an error, and on
 * carriage returns (their folding is not reproduced).
 */
function nextQuotedLine(at: QuotedLines): number {
  const { lines } = at;
  let l = at.line;
  let blanks = 0;
  for (;;) {
    if (lines.next[l] !== (lines.end[l] as number) + 1) bail('quoted scalar: carriage return or end of text');
    l++;
    if (l >= lines.count) bail('unterminated quoted scalar');
    if (lines.isMarker(l)) bail('document marker in a quoted scalar');
    if (!lines.isBlank(l)) break;
    blanks++;
  }
  if ((lines.indent[l] as number) <= at.blockIndent) bail('quoted scalar indentation');
  at.line = l;
  return blanks;
}
