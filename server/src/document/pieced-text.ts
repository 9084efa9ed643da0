import { lfForLoneCr } from './manifest-file.js';
import { splitDocuments } from './split-documents.js';
import { cutAtChunks, cutIntoPieces } from './text-pieces.js';
import type { TextPiece, TextPieces } from './text-pieces.js';

/** Pieces are cut at chunk starts once they grow past this many UTF-16 units (a chunk larger is a piece alone). */
export const PIECE_LENGTH = 16 * 1024;

/**
 * One version of an open document's text, in pieces (see TextPieces). An edit makes a new version that
 * shares every piece it does not touch; the pieces it touches are joined, edited and cut again, so an
 * edit of a large file allocates a few pieces' worth of text, not a new copy of the whole (which, over
 * 128 KiB, V8 puts in its large-object space, fresh pages each time).
 */
export class PiecedText implements TextPieces {
  /** Where each piece starts. */
  private readonly starts: number[];
  private whole: string | undefined;
  readonly length: number;

  constructor(readonly pieces: readonly TextPiece[]) {
    this.starts = [];
    let length = 0;
    for (const piece of pieces) {
      this.starts.push(length);
      length += piece.text.length;
    }
    this.length = length;
    if (pieces.length === 1) this.whole = pieces[0]!.text;
  }

  /** The whole text, built once per version. */
  text(): string {
    this.whole ??= this.pieces.map((p) => p.text).join('');
    return this.whole;
  }

  /** The piece holding `offset` (the last one for the end of the text). */
  private pieceAt(offset: number): number {
    let low = 0;
    let high = this.starts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if (this.starts[mid]! <= offset) low = mid;
      else high = mid - 1;
    }
    return low;
  }

  charCodeAt(offset: number): number {
    if (offset < 0 || offset >= this.length) return NaN;
    const i = this.pieceAt(offset);
    return this.pieces[i]!.text.charCodeAt(offset - this.starts[i]!);
  }

  /** As String's `substring` (which reads NaN as 0 and `undefined` as 0, or as the length for `to`). */
  substring(from: number, to: number): string {
    const a = clamp(from, 0, this.length);
    const b = clamp(to, this.length, this.length);
    const start = Math.min(a, b);
    const end = Math.max(a, b);
    if (this.whole !== undefined) return this.whole.substring(start, end);
    const first = this.pieceAt(start);
    const base = this.starts[first]!;
    const piece = this.pieces[first]!.text;
    if (end - base <= piece.length) return piece.substring(start - base, end - base);
    const last = this.pieceAt(end - 1);
    let text = piece.substring(start - base);
    for (let i = first + 1; i < last; i++) text += this.pieces[i]!.text;
    return text + this.pieces[last]!.text.substring(0, end - this.starts[last]!);
  }

  /**
   * The text with [start, end) replaced by `inserted` (0 <= start <= end <= length). The pieces from
   * the one holding `start - 4` (so the `---` and the character after it that start that piece are
   * untouched: it still starts a chunk) to the one holding `end` (whose end, a chunk start, the edit
   * leaves too) are joined, edited and cut again; the next piece joins them when the edit has made
   * their last chunk one that `splitDocuments` joins to the next (comments or directives only).
   */
  replaced(start: number, end: number, inserted: string): PiecedText {
    // The text as it was opened (one piece): cut at its chunks first, as its readers split them (no split
    // here), so that this edit, like the next, makes again only the piece it touches.
    const only = this.pieces.length === 1 ? this.pieces[0]! : undefined;
    if (only && only.text.length > PIECE_LENGTH) {
      const cut = cutAtChunks(only, PIECE_LENGTH);
      if (cut.length > 1) return new PiecedText(cut).replaced(start, end, inserted);
    }
    const first = this.pieceAt(Math.max(0, start - 4));
    let last = this.pieceAt(end);
    const base = this.starts[first]!;
    let joined = '';
    for (let i = first; i <= last; i++) joined += this.pieces[i]!.text;
    let region = joined.slice(0, start - base) + inserted + joined.slice(end - base);
    for (;;) {
      const next = this.pieces[last + 1]?.text;
      // Where the next piece starts, followed by what decides whether its `---` is a marker.
      const probe = next === undefined ? region : region + next.slice(0, 4);
      const file = lfForLoneCr(probe);
      const chunks = splitDocuments(file);
      if (next !== undefined && chunks[chunks.length - 1]!.start !== region.length) {
        region += next;
        last++;
        continue;
      }
      if (next !== undefined) chunks.pop();
      const cut = cutIntoPieces(region, file.slice(0, region.length), chunks, PIECE_LENGTH);
      // The whole text deleted: one empty piece.
      if (cut.length === 0 && this.pieces.length === last - first + 1) cut.push({ text: '' });
      return new PiecedText([...this.pieces.slice(0, first), ...cut, ...this.pieces.slice(last + 1)]);
    }
  }
}

function clamp(offset: number | undefined, ifUndefined: number, length: number): number {
  if (offset === undefined) return ifUndefined;
  return Number.isNaN(offset) ? 0 : Math.max(0, Math.min(offset, length));
}
