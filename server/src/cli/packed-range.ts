import type { Position, Range } from 'vscode-languageserver-types';

/**
 * A range as `validate`'s workspace index entries keep it: its four numbers in
 * one object instead of a range and two positions (40 instead of 120 bytes; a
 * large file's entries hold about four per document). Read as any range: each
 * read of `start` or `end` makes the position.
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

  /** `value` packed when it is a plain range (`{ start, end }` of line and character numbers). */
  static of(value: object): PackedRange | undefined {
    if (value instanceof PackedRange || !('start' in value) || !('end' in value)) return undefined;
    const { start, end } = value;
    if (!isPosition(start) || !isPosition(end)) return undefined;
    return new PackedRange(start.line, start.character, end.line, end.character);
  }
}

function isPosition(value: unknown): value is Position {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Position).line === 'number' &&
    typeof (value as Position).character === 'number'
  );
}
