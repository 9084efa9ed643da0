import type { Position, Range, TextDocument, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { PiecedText } from './pieced-text.js';
import type { TextPieces } from './text-pieces.js';

const LF = 10;
const CR = 13;
const isEol = (code: number): boolean => code === LF || code === CR;

/**
 * An open document whose text is kept in pieces (PiecedText): an edit does not make a new string of the
 * whole file. Its text, positions and line count are those of vscode-languageserver-textdocument's
 * TextDocument after the same edits (its line table kept the same way); `getText()` builds the whole
 * string once per version, for the readers that need it; the readers on an edit's path take `content`.
 */
export class PiecedTextDocument implements TextDocument {
  private current: PiecedText;
  /** Where each line starts; undefined until a reader needs it (or after an edit that splits a CRLF). */
  private lineStarts: number[] | undefined;

  constructor(
    readonly uri: string,
    readonly languageId: string,
    private versionNumber: number,
    text: string,
  ) {
    this.current = new PiecedText([{ text }]);
  }

  get version(): number {
    return this.versionNumber;
  }

  /** This version's text, as pieces. */
  get content(): TextPieces {
    return this.current;
  }

  get lineCount(): number {
    return this.lines().length;
  }

  getText(range?: Range): string {
    if (!range) return this.current.text();
    return this.current.substring(this.offsetAt(range.start), this.offsetAt(range.end));
  }

  positionAt(given: number): Position {
    const offset = Math.max(Math.min(given, this.current.length), 0);
    const lines = this.lines();
    let low = 0;
    let high = lines.length;
    while (low < high) {
      const mid = (low + high) >> 1;
      if (lines[mid]! > offset) high = mid;
      else low = mid + 1;
    }
    const line = low - 1;
    return { line, character: this.beforeEol(offset, lines[line]!) - lines[line]! };
  }

  offsetAt(position: Position): number {
    const lines = this.lines();
    if (position.line >= lines.length) return this.current.length;
    if (position.line < 0) return 0;
    const start = lines[position.line]!;
    if (position.character <= 0) return start;
    const next = position.line + 1 < lines.length ? lines[position.line + 1]! : this.current.length;
    return this.beforeEol(Math.min(start + position.character, next), start);
  }

  getLineRange(line: number): Range {
    const lines = this.lines();
    if (line >= lines.length) {
      const last = lines.length - 1;
      return {
        start: { line: last, character: 0 },
        end: { line: last, character: this.current.length - lines[last]! },
      };
    }
    if (line < 0) return { start: { line: 0, character: 0 }, end: { line: 0, character: 0 } };
    const start = lines[line]!;
    const end = this.beforeEol(line + 1 < lines.length ? lines[line + 1]! : this.current.length, start);
    return { start: { line, character: 0 }, end: { line, character: end - start } };
  }

  getEOLCharacters(line: number): string {
    const lines = this.lines();
    if (line >= lines.length || line < 0) return '';
    const next = line + 1 < lines.length ? lines[line + 1]! : this.current.length;
    return this.current.substring(this.beforeEol(next, lines[line]!), next);
  }

  /** Applies the changes in order, as TextDocument.update does. */
  update(changes: readonly TextDocumentContentChangeEvent[], version: number): void {
    for (const change of changes) {
      const candidate = change as { text?: unknown; range?: Range; rangeLength?: unknown };
      if (
        typeof candidate.text === 'string' &&
        candidate.range !== undefined &&
        (candidate.rangeLength === undefined || typeof candidate.rangeLength === 'number')
      )
        this.edit(wellFormed(candidate.range), candidate.text);
      else if (
        typeof candidate.text === 'string' &&
        candidate.range === undefined &&
        candidate.rangeLength === undefined
      ) {
        this.current = new PiecedText([{ text: candidate.text }]);
        this.lineStarts = undefined;
      } else throw new Error('Unknown change event received');
    }
    this.versionNumber = version;
  }

  /**
   * One edit. Past the end of the text, TextDocument's line table can get holes (a range starting on a
   * line after the last, as many lines long as the text it inserts), and its offsets then `undefined` or
   * NaN, which its string calls read as JavaScript does: the same here, so the two stay the same.
   */
  private edit(range: Range, inserted: string): void {
    const start = this.offsetAt(range.start) as number | undefined;
    const end = this.offsetAt(range.end) as number | undefined;
    const length = this.current.length;
    // What `text.substring(0, start)` and `text.substring(end)` read them as.
    const kept = start === undefined ? length : clamp(start, length);
    const from = end === undefined ? 0 : clamp(end, length);
    const text =
      from >= kept
        ? this.current.replaced(kept, from, inserted)
        : this.current.replaced(kept, kept, inserted + this.current.substring(from, kept));
    this.current = text;
    const insertedEnd = (start as number) + inserted.length;
    const at = (offset: number): number => text.charCodeAt(Number.isNaN(offset) ? 0 : Math.trunc(offset));
    // A CR and an LF brought together across the edit's ends: one line break less than the parts say.
    if (
      (at((start as number) - 1) === CR && at(start as number) === LF) ||
      (at(insertedEnd - 1) === CR && at(insertedEnd) === LF)
    ) {
      this.lineStarts = undefined;
      return;
    }
    let lines = this.lineStarts;
    if (!lines) return;
    const startLine = Math.max(range.start.line, 0);
    const endLine = Math.max(range.end.line, 0);
    const added: number[] = [];
    lineStartsIn(inserted, start as number, added);
    if (endLine - startLine === added.length)
      for (let i = 0; i < added.length; i++) lines[i + startLine + 1] = added[i]!;
    // (Spread, a very long list of arguments would overflow the stack.)
    else if (added.length < 10_000) lines.splice(startLine + 1, endLine - startLine, ...added);
    else this.lineStarts = lines = [...lines.slice(0, startLine + 1), ...added, ...lines.slice(endLine + 1)];
    const moved = inserted.length - ((end as number) - (start as number));
    if (moved !== 0) for (let i = startLine + 1 + added.length; i < lines.length; i++) lines[i]! += moved;
  }

  private lines(): number[] {
    if (this.lineStarts) return this.lineStarts;
    const starts = [0];
    const { pieces } = this.current;
    let base = 0;
    // (No CRLF spans two pieces: every piece but the first starts with `---`.)
    for (const { text } of pieces) {
      lineStartsIn(text, base, starts);
      base += text.length;
    }
    this.lineStarts = starts;
    return starts;
  }

  /** `offset` moved back over the line break it follows, not before `lineStart`. */
  private beforeEol(offset: number, lineStart: number): number {
    let at = offset;
    while (at > lineStart && isEol(this.current.charCodeAt(at - 1))) at--;
    return at;
  }
}

/** Adds to `starts` the start of the line after each line break in `text` (CRLF, CR or LF), offset by `base`. */
function lineStartsIn(text: string, base: number, starts: number[]): void {
  if (!text.includes('\r')) {
    // LFs only (most files): found by a search, not read a character at a time.
    for (let i = text.indexOf('\n'); i >= 0; i = text.indexOf('\n', i + 1)) starts.push(base + i + 1);
    return;
  }
  for (let i = 0; i < text.length; i++) {
    const code = text.charCodeAt(i);
    if (!isEol(code)) continue;
    if (code === CR && text.charCodeAt(i + 1) === LF) i++;
    starts.push(base + i + 1);
  }
}

/** An offset as a string method reads it (NaN: 0), within [0, length]. */
function clamp(offset: number, length: number): number {
  return Number.isNaN(offset) ? 0 : Math.max(0, Math.min(offset, length));
}

/** The range with its start before its end. */
function wellFormed(range: Range): Range {
  const { start, end } = range;
  if (start.line > end.line || (start.line === end.line && start.character > end.character))
    return { start: end, end: start };
  return range;
}

/** What `new TextDocuments(...)` takes to make and edit these documents. */
export const PiecedTextDocuments = {
  create: (uri: string, languageId: string, version: number, text: string): PiecedTextDocument =>
    new PiecedTextDocument(uri, languageId, version, text),
  update(document: PiecedTextDocument, changes: TextDocumentContentChangeEvent[], version: number): PiecedTextDocument {
    document.update(changes, version);
    return document;
  },
};
