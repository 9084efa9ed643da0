/**
 * The `validate` path on an open document's pieces against a fresh open of the same text: after every
 * change event of random sequences (values, names and labels changed, markers added and removed so
 * pieces join and split, CRLF and lone CRs, surrogate halves, templates, hostile values: fractions,
 * huge numbers, `__proto__` keys, deep nesting), what a long-lived language service publishes from a
 * PiecedTextDocument's pieces (`diagnostics`, `workspace.diagnostics`, `immutableFields` against the
 * committed text) equals what a new service publishes from the whole text as a string; so does a hover
 * asked now and then between the edits (a reader of the whole string, beside the pieces' parse).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import type { Diagnostic } from 'vscode-languageserver-types';
import { PiecedTextDocument } from './document/pieced-text-document.js';
import type { TextPieces } from './document/text-pieces.js';
import { createLanguageService } from './language-service.js';
import type { LanguageService } from './language-service.js';
import { seeded } from './test-support/seeded-random.js';
import { deploymentsFile as file, randomChange as change } from './test-support/edited-manifests.js';

const URI = 'file:///workspace/app/edited.yaml';
const OTHER = 'file:///workspace/app/other.yaml';

/** What the validation handler publishes for an open document once it is indexed (without git and kustomize renders). */
function publish(service: LanguageService, text: string | TextPieces, committed: string): Diagnostic[] {
  service.updateCrds(URI, text);
  service.kustomize.update(URI, text);
  return [
    ...service.diagnostics(text, { manifestsAround: true }),
    ...service.workspace.diagnostics(URI, text),
    ...service.immutableFields(text, committed),
  ];
}

describe('validate on the pieces', () => {
  for (const seed of [1, 2, 3, 4]) {
    it(`publishes what a fresh open of the same text publishes, edit after edit (seed ${seed})`, () => {
      const next = seeded(100 + seed);
      const committed = file(150 + seed * 100, next);
      const other = file(20, next).replaceAll('name: web-', 'name: other-');
      const document = new PiecedTextDocument(URI, 'yaml', 1, committed);
      const warm = createLanguageService();
      warm.workspace.update(OTHER, other);
      publish(warm, document.content, committed);
      let pieces = 1;
      for (let step = 0; step < 60; step++) {
        const count = next() < 0.15 ? 2 : 1;
        const changes: TextDocumentContentChangeEvent[] = [];
        for (let c = 0; c < count; c++) {
          const one = change(document, next);
          changes.push(one);
          document.update([one], step + 2);
        }
        pieces = Math.max(pieces, document.content.pieces.length);
        const got = publish(warm, document.content, committed);
        const text = document.getText();
        const cold = createLanguageService();
        cold.workspace.update(OTHER, other);
        const expected = publish(cold, text, committed);
        assert.deepStrictEqual(got, expected, `seed ${seed}, step ${step}: ${JSON.stringify(changes)}`);
        if (step % 7 === 3) {
          // A hover between edits reads the whole string; the next edit's pieces parse from its result.
          const offset = Math.floor(next() * text.length);
          assert.deepStrictEqual(
            warm.hover(text, offset),
            cold.hover(text, offset),
            `seed ${seed}, step ${step}: hover`,
          );
        }
      }
      assert.ok(pieces > 3, `the edits cut the file into ${pieces} pieces`);
    });
  }
});
