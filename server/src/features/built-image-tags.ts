import type { Diagnostic } from 'vscode-languageserver-types';
import { TextLines } from '../document/text-lines.js';
import type { TextPieces } from '../document/text-pieces.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import type { BuiltImages } from '../workspace/built-images.js';

/**
 * Drops the image-tag warnings of images the workspace builds: Run builds them and
 * applies a content-hash tag, so `image: web` there is pinned, not `latest`.
 */
export function withoutBuiltImages(
  diagnostics: Diagnostic[],
  given: string | TextPieces,
  built: BuiltImages,
): Diagnostic[] {
  if (!diagnostics.some((d) => d.code === DiagnosticCode.imageTag)) return diagnostics;
  // (An open document's whole text is built only here, for a finding on an image's tag.)
  const text = typeof given === 'string' ? given : given.text();
  const lines = new TextLines(text);
  return diagnostics.filter((d) => {
    if (d.code !== DiagnosticCode.imageTag) return true;
    const start = lines.offsetAt(d.range.start.line, d.range.start.character);
    const end = lines.offsetAt(d.range.end.line, d.range.end.character);
    const image = text.slice(start, end).replace(/^(["'])(.*)\1$/s, '$2');
    return !built.has(image);
  });
}
