import type { Position, Range } from 'vscode-languageserver-types';

/**
 * Converts UTF-16 offsets (what both the `yaml` package and LSP use) to LSP
 * positions with a sorted table of line starts: O(log n) per lookup.
 */
export class TextLines {
  private starts: number[] | undefined;

  /** The table is built on the first lookup: most documents have no finding and need none. */
  constructor(private readonly text: string) {}

  private get lineStarts(): number[] {
    if (this.starts) return this.starts;
    const text = this.text;
    const starts = [0];
    for (let i = 0; i < text.length; i++) {
      const c = text.charCodeAt(i);
      if (c === 10 /* \n */) starts.push(i + 1);
      else if (c === 13 /* \r */ && text.charCodeAt(i + 1) !== 10) starts.push(i + 1);
    }
    this.starts = starts;
    return starts;
  }

  /** How many lines the text has (a line after its last line break included). */
  get lineCount(): number {
    return this.lineStarts.length;
  }

  positionAt(offset: number): Position {
    const clamped = Math.max(0, Math.min(offset, this.text.length));
    let low = 0;
    let high = this.lineStarts.length - 1;
    while (low < high) {
      const mid = (low + high + 1) >> 1;
      if ((this.lineStarts[mid] ?? 0) <= clamped) low = mid;
      else high = mid - 1;
    }
    return { line: low, character: clamped - (this.lineStarts[low] ?? 0) };
  }

  /** The offset of a line and character, clamped to the text. */
  offsetAt(line: number, character: number): number {
    if (line >= this.lineStarts.length) return this.text.length;
    return Math.min(this.text.length, (this.lineStarts[Math.max(0, line)] ?? 0) + Math.max(0, character));
  }

  rangeAt(start: number, end: number): Range {
    return { start: this.positionAt(start), end: this.positionAt(Math.max(start, end)) };
  }
}
