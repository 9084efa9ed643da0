import type { Diagnostic } from 'vscode-languageserver-types';

/** A diagnostic computed on a document moved down to where the document starts in its file. */
export function shiftDiagnostic(d: Diagnostic, lines: number): Diagnostic {
  if (lines === 0) return d;
  return {
    ...d,
    range: {
      start: { line: d.range.start.line + lines, character: d.range.start.character },
      end: { line: d.range.end.line + lines, character: d.range.end.character },
    },
  };
}
