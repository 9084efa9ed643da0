/**
 * Hover, completion, code actions, symbols, folding and selection ranges on an open document's pieces
 * against a fresh service given the whole text as a string: after every change event of random edit
 * sequences (hostile text included, see edited-manifests.ts), a long-lived language service asked with a
 * PiecedTextDocument's pieces (after validating them, or straight after the edit, as a request that comes
 * before the edit's publish) answers exactly what a new service answers from `getText()`, at random
 * cursors (near the edit, anywhere, past a line's end, past the last line, negative, fractional).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Diagnostic, Range } from 'vscode-languageserver-types';
import { PiecedTextDocument } from './document/pieced-text-document.js';
import type { TextPieces } from './document/text-pieces.js';
import { createLanguageService } from './language-service.js';
import type { LanguageService } from './language-service.js';
import { seeded } from './test-support/seeded-random.js';
import { deploymentsFile, randomChange } from './test-support/edited-manifests.js';

const URI = 'file:///workspace/app/edited.yaml';
const OTHER = 'file:///workspace/app/other.yaml';

/** A cursor: mostly on or near the last change's line, sometimes anywhere or out of the text. */
function cursor(doc: PiecedTextDocument, near: Position, next: () => number): Position {
  const pick = next();
  if (pick < 0.55) return { line: near.line + Math.floor(next() * 3) - 1, character: Math.floor(next() * 30) };
  if (pick < 0.7) return { line: Math.floor(next() * doc.lineCount), character: Math.floor(next() * 30) };
  if (pick < 0.9) {
    // Where a line's key starts (or its end): a key's completion.
    const line = Math.floor(next() * doc.lineCount);
    const text = doc.getText(doc.getLineRange(line));
    return { line, character: next() < 0.7 ? text.length - text.trimStart().length : text.length };
  }
  const odd = [-1, doc.lineCount - 1, doc.lineCount, doc.lineCount + 5, 2.5, Number.NaN];
  return { line: odd[Math.floor(next() * odd.length)]!, character: next() < 0.5 ? 400 : -3 };
}

/** Every feature at these cursors, as the language-features handler asks them. */
function answers(
  service: LanguageService,
  text: string | TextPieces,
  offsets: readonly number[],
  positions: readonly Position[],
  diagnostics: readonly Diagnostic[],
): unknown {
  const range: Range = { start: positions[0]!, end: positions[1]! };
  // A feature that throws (the handler logs it and answers nothing) must throw the same.
  const or = <T>(run: () => T): T | { thrown: string } => {
    try {
      return run();
    } catch (error) {
      return { thrown: String(error) };
    }
  };
  return {
    hovers: offsets.map((offset) => or(() => service.hover(text, offset))),
    completions: offsets.map((offset) => or(() => service.complete(text, offset))),
    selections: or(() => service.selectionRanges(text, positions)),
    actions: or(() => service.codeActions(text, URI, range, diagnostics)),
    symbols: or(() => service.symbols(text)),
    folding: or(() => service.foldingRanges(text)),
  };
}

describe('features on the pieces', () => {
  for (const seed of [1, 2, 3]) {
    it(`answer what a fresh service answers from the whole text, edit after edit (seed ${seed})`, () => {
      const next = seeded(300 + seed);
      const opened = deploymentsFile(150 + seed * 100, next);
      const other = deploymentsFile(20, next).replaceAll('name: web-', 'name: other-');
      const document = new PiecedTextDocument(URI, 'yaml', 1, opened);
      const warm = createLanguageService();
      warm.workspace.update(OTHER, other);
      warm.diagnostics(document.content);
      let pieces = 1;
      let asked = 0;
      let offered = 0;
      for (let step = 0; step < 50; step++) {
        const count = next() < 0.15 ? 2 : 1;
        const changes: TextDocumentContentChangeEvent[] = [];
        for (let c = 0; c < count; c++) {
          const one = randomChange(document, next, { templates: seed === 3 });
          changes.push(one);
          document.update([one], step + 2);
        }
        pieces = Math.max(pieces, document.content.pieces.length);
        // As the server: the edit validated first (the same pieces then parsed once), or a request first.
        if (next() < 0.6) warm.diagnostics(document.content, { manifestsAround: true });
        const text = document.getText();
        const cold = createLanguageService();
        cold.workspace.update(OTHER, other);
        const diagnostics = cold.diagnostics(text, { manifestsAround: true });
        const near = 'range' in changes[0]! ? changes[0].range.start : { line: 0, character: 0 };
        const positions = [0, 1, 2, 3, 4, 5].map(() => cursor(document, near, next));
        const offsets = positions.map((p) => document.offsetAt(p));
        // The diagnostics on the cursors' lines and a few others: their quick fixes.
        const lines = new Set(positions.map((p) => p.line));
        const fixes = diagnostics.filter((d, i) => lines.has(d.range.start.line) || i % 17 === step % 17);
        const got = answers(warm, document.content, offsets, positions, fixes);
        const expected = answers(cold, text, offsets, positions, fixes);
        assert.deepStrictEqual(got, expected, `seed ${seed}, step ${step}: ${JSON.stringify(changes)}`);
        const { hovers, completions } = expected as { hovers: unknown[]; completions: unknown[][] };
        asked += hovers.filter((h) => h !== null && !Object.hasOwn(h as object, 'thrown')).length;
        offered += completions.filter((c) => Array.isArray(c) && c.length > 0).length;
      }
      assert.ok(pieces > 3, `the edits cut the file into ${pieces} pieces`);
      // (Once a `{{ x }}` is typed in (seed 3), the file is a template: no hover nor completion until it goes.)
      if (seed !== 3)
        assert.ok(asked > 20 && offered > 20, `${asked} hovers and ${offered} completions answered something`);
    });
  }
});
