import type { Position } from 'vscode-languageserver-types';
import { lastIndexWhere } from './last-index-where.js';
import type { ManifestFile } from './manifest-file.js';

/**
 * Positions and offsets of a whole parsed file as `new TextLines(text)` of its whole text gives them
 * (clamping, hostile line numbers and all), read from its chunks' own line tables instead: an open
 * document's file (its pieces' chunks) then needs no string of the whole text nor a table of its lines.
 * A chunk starts at a line start and the chunks cover the text end to end (splitDocuments), and a lone
 * CR, a line break for TextLines, is an LF in the chunks: one character for one.
 */
export class FileLines {
  private readonly chunks: ManifestFile['chunks'];
  private readonly length: number;
  private readonly lineCount: number;

  constructor(file: ManifestFile) {
    this.chunks = file.chunks;
    const last = this.chunks[this.chunks.length - 1];
    this.length = last ? last.chunk.start + last.chunk.text.length : 0;
    this.lineCount = last ? last.chunk.startLine + last.parsed.lines.lineCount : 1;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.length));
    // (NaN: TextLines' search ends on the first line, the character NaN.)
    if (Number.isNaN(clamped)) return { line: 0, character: clamped };
    const at = this.chunkIndex((c) => c.start <= clamped);
    const entry = this.chunks[at];
    if (!entry) return { line: 0, character: clamped };
    const local = entry.parsed.lines.positionAt(clamped - entry.chunk.start);
    return { line: local.line + entry.chunk.startLine, character: local.character };
  }

  /** The offset of a line and character, clamped to the text (a character past its line runs on, as TextLines'). */
  offsetAt(line: number, character: number): number {
    if (line >= this.lineCount) return this.length;
    const wanted = Math.max(0, line);
    // TextLines reads its table at that index: anything but a whole number there is the first line's start.
    const start = Number.isInteger(wanted) ? this.lineStart(wanted) : 0;
    return Math.min(this.length, start + Math.max(0, character));
  }

  private lineStart(line: number): number {
    const entry = this.chunks[this.chunkIndex((c) => c.startLine <= line)];
    if (!entry) return 0;
    return entry.chunk.start + entry.parsed.lines.offsetAt(line - entry.chunk.startLine, 0);
  }

  /** The last chunk for which `before` holds (it holds for a prefix of the chunks); -1 when none. */
  private chunkIndex(before: (chunk: ManifestFile['chunks'][number]['chunk']) => boolean): number {
    return lastIndexWhere(this.chunks, (entry) => before(entry.chunk));
  }
}
