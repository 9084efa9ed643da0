import { bail } from './bail.js';

/**
 * The four tables of the text being parsed, shared by every parse (one at a time on
 * a thread: a text's lines are needed only while it is parsed) and overwritten by
 * the next: four arrays grown by `push` for each document were a tenth of what its
 * parse allocated. The entry at `count` is undefined; those past it are a previous
 * text's. Tables grown past `KEEP_LINES` by a long text are dropped by the next parse,
 * so a huge document's tables are not kept for the rest of the process.
 */
interface Tables {
  readonly start: number[];
  readonly end: number[];
  readonly next: number[];
  readonly indent: number[];
}
const KEEP_LINES = 1 << 16;
/** Spaces from `lastIndex` on (never past a line's end: a line break or carriage return is no space). */
const SPACES = / */y;
let tables: Tables = { start: [], end: [], next: [], indent: [] };

/**
 * The lines of a text: where each starts, where its content ends (before
 * `\n` or `\r\n`), where the next starts, and its indentation in spaces.
 * Tabs and lone carriage returns are outside the fast path. Valid until the
 * next `SourceLines` is made (see above): entries `[0, count)`, then undefined.
 */
export class SourceLines {
  readonly start: number[];
  /** End of the line's text, before its line break. */
  readonly end: number[];
  /** Start of the next line (after the line break), or the text length. */
  readonly next: number[];
  readonly indent: number[];
  readonly count: number;

  constructor(
    readonly text: string,
    from: number,
  ) {
    if (tables.start.length > KEEP_LINES) tables = { start: [], end: [], next: [], indent: [] };
    const { start: START, end: END, next: NEXT, indent: INDENT } = tables;
    this.start = START;
    this.end = END;
    this.next = NEXT;
    this.indent = INDENT;
    if (text.includes('\t')) bail('tab');
    let cr = text.indexOf('\r', from);
    let pos = from;
    let count = 0;
    const length = text.length;
    while (pos < length) {
      let nl = text.indexOf('\n', pos);
      if (nl < 0) nl = length;
      let end = nl;
      if (nl < length && nl > pos && text.charCodeAt(nl - 1) === 13) end = nl - 1;
      if (cr >= 0 && cr < end) bail('lone carriage return');
      if (cr >= 0 && cr < nl + 1) cr = text.indexOf('\r', nl + 1);
      // The indentation's end found by a sticky pattern (native code) rather than a loop over each space.
      SPACES.lastIndex = pos;
      SPACES.test(text);
      const i = SPACES.lastIndex;
      START[count] = pos;
      END[count] = end;
      NEXT[count] = nl < length ? nl + 1 : length;
      INDENT[count] = i - pos;
      count++;
      pos = nl + 1;
    }
    // Past the last line reads as undefined, as it did with arrays of this text alone.
    (START as unknown[])[count] = undefined;
    (END as unknown[])[count] = undefined;
    (NEXT as unknown[])[count] = undefined;
    (INDENT as unknown[])[count] = undefined;
    this.count = count;
  }

  /** Position of the line's first non-space character (its end when blank). */
  contentStart(line: number): number {
    return (this.start[line] as number) + (this.indent[line] as number);
  }

  isBlank(line: number): boolean {
    return this.contentStart(line) === this.end[line];
  }

  /** Blank or holding only a comment. */
  isFiller(line: number): boolean {
    // contentStart's sum written out: this runs for every line after a value, and a call costs on a cold thread.
    const c = (this.start[line] as number) + (this.indent[line] as number);
    return c === this.end[line] || this.text.charCodeAt(c) === 35;
  }

  isComment(line: number): boolean {
    const c = (this.start[line] as number) + (this.indent[line] as number);
    return c < (this.end[line] as number) && this.text.charCodeAt(c) === 35;
  }

  /** A `---` or `...` marker line (at column 0, followed by a space or the line end). */
  isMarker(line: number): boolean {
    const s = this.start[line] as number;
    const t = this.text;
    // Most lines start with neither character: no `startsWith` for them.
    const c = t.charCodeAt(s);
    if (c !== 45 && c !== 46) return false;
    if (!(t.startsWith('---', s) || t.startsWith('...', s))) return false;
    return s + 3 === this.end[line] || t.charCodeAt(s + 3) === 32;
  }
}
