import type { Position, Range } from 'vscode-languageserver-types';

/**
 * A range as `validate`'s workspace index entries keep it: its four numbers in
 * one object instead of a range and two positions (56 instead of 120 bytes; a
 * large file's entries hold about four per document), or two for the usual
 * short range (`ShortRange`, 40 bytes). Read as any range: each read of
 * `start` or `end` makes the position.
 */
export class PackedRange implements Range {
  private constructor(
    private readonly startLine: number,
    private readonly startCharacter: number,
    private readonly endLine: number,
    private readonly endCharacter: number,
  ) {}

  get start(): Position {
    return { line: this.startLine, character: this.startCharacter };
  }

  get end(): Position {
    return { line: this.endLine, character: this.endCharacter };
  }

  toJSON(): Range {
    return { start: this.start, end: this.end };
  }

  /** The range of these four numbers, packed (the short form when it fits). */
  static from(startLine: number, startCharacter: number, endLine: number, endCharacter: number): Range {
    const start = { line: startLine, character: startCharacter };
    const end = { line: endLine, character: endCharacter };
    return ShortRange.fits(start, end)
      ? new ShortRange(start, end)
      : new PackedRange(startLine, startCharacter, endLine, endCharacter);
  }

  /**
   * `value` packed when it is a plain range: `{ start, end }` of line and character numbers and nothing else
   * (an object with more keys would lose them).
   */
  static of(value: object): Range | undefined {
    if (value instanceof PackedRange || value instanceof ShortRange || !('start' in value) || !('end' in value))
      return undefined;
    const { start, end } = value;
    if (!isPosition(start) || !isPosition(end) || Object.keys(value).length !== 2) return undefined;
    return ShortRange.fits(start, end)
      ? new ShortRange(start, end)
      : new PackedRange(start.line, start.character, end.line, end.character);
  }
}

/** Columns below this (and line spans below `SPAN`) fit a `ShortRange`. */
const COLUMN = 2 ** 12;
const SPAN = 2 ** 6;

/**
 * A range of whole numbers within one small object: its start line, and its
 * start column, end column and line span packed into one small integer
 * (12 + 12 + 6 bits, so always a small integer to the engine).
 */
class ShortRange implements Range {
  private readonly line: number;
  private readonly packed: number;

  constructor(start: Position, end: Position) {
    this.line = start.line;
    this.packed = start.character + end.character * COLUMN + (end.line - start.line) * COLUMN * COLUMN;
  }

  static fits(start: Position, end: Position): boolean {
    const span = end.line - start.line;
    return (
      Number.isInteger(start.line) &&
      start.line >= 0 &&
      start.line < 2 ** 31 &&
      isColumn(start.character) &&
      isColumn(end.character) &&
      Number.isInteger(span) &&
      span >= 0 &&
      span < SPAN
    );
  }

  get start(): Position {
    return { line: this.line, character: this.packed % COLUMN };
  }

  get end(): Position {
    return {
      line: this.line + Math.floor(this.packed / (COLUMN * COLUMN)),
      character: Math.floor(this.packed / COLUMN) % COLUMN,
    };
  }

  toJSON(): Range {
    return { start: this.start, end: this.end };
  }
}

function isColumn(n: number): boolean {
  return Number.isInteger(n) && n >= 0 && n < COLUMN;
}

function isPosition(value: unknown): value is Position {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Position).line === 'number' &&
    typeof (value as Position).character === 'number'
  );
}
