/**
 * PiecedTextDocument against vscode-languageserver-textdocument's TextDocument, edit for edit: random
 * sequences of change events (CRLF, lone CR, surrogate pairs split by an edit's range, ranges past the
 * end or reversed, several changes in one event, whole-text replacements, markers added and removed so
 * pieces join and split) give the same text, positions, line count and line ranges; and the readers of
 * its pieces see what they would in the whole text (its chunks, templates, CRDs).
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TextDocument } from 'vscode-languageserver-textdocument';
import type { Position, TextDocumentContentChangeEvent } from 'vscode-languageserver-textdocument';
import { lfForLoneCr, TEMPLATE_ACTION } from './manifest-file.js';
import { PiecedTextDocument } from './pieced-text-document.js';
import { PIECE_LENGTH } from './pieced-text.js';
import { splitDocuments } from './split-documents.js';
import { documentChunks, isTemplated } from './text-pieces.js';
import { seeded } from '../test-support/seeded-random.js';

const INSERTS = [
  'x',
  'two',
  '\n',
  '\r\n',
  '\r',
  '---\n',
  '\n---',
  '\n--- \n',
  '---',
  '-',
  '# note\n',
  '%YAML 1.2\n',
  '\uD83D',
  '\uDE00',
  '😀',
  '{{ x }}',
  '{{',
  '}}',
  '',
  'a: 1\r\nb: 2\r\n',
];

function deployment(i: number, eol: string): string {
  const lines = ['apiVersion: apps/v1', 'kind: Deployment', 'metadata:', `  name: web-${i}`, 'spec:', '  replicas: 1'];
  return lines.join(eol) + eol;
}

/** A file of `count` documents, some with CRLF or lone CR line ends, some only comments. */
function file(count: number, next: () => number): string {
  let text = '';
  for (let i = 0; i < count; i++) {
    const eol = next() < 0.8 ? '\n' : next() < 0.5 ? '\r\n' : '\r';
    text += `${i === 0 && next() < 0.5 ? '' : `---${eol}`}${next() < 0.05 ? `# only a note${eol}` : deployment(i, eol)}`;
  }
  return text;
}

function position(doc: TextDocument, next: () => number): Position {
  const line = Math.floor(next() * (doc.lineCount + 2)) - (next() < 0.05 ? 3 : 0);
  const character = next() < 0.1 ? 1000 : Math.floor(next() * 30) - (next() < 0.05 ? 2 : 0);
  return { line, character };
}

function change(doc: TextDocument, next: () => number): TextDocumentContentChangeEvent {
  const text = INSERTS[Math.floor(next() * INSERTS.length)] ?? '';
  if (next() < 0.01) return { text: next() < 0.5 ? '' : `${text}\n${doc.getText().slice(0, 5000)}` };
  const start = position(doc, next);
  // Mostly short ranges (a key typed, a line deleted), sometimes long ones (over pieces), sometimes reversed.
  const long = next() < 0.1;
  const end = {
    line: start.line + (long ? Math.floor(next() * 1500) : next() < 0.3 ? 1 : 0),
    character: Math.floor(next() * 20),
  };
  const range = next() < 0.05 ? { start: end, end: start } : { start, end };
  return next() < 0.5 ? { range, text } : { range, rangeLength: 0, text };
}

function same(ours: PiecedTextDocument, theirs: TextDocument, next: () => number, step: string): void {
  const text = theirs.getText();
  assert.equal(ours.version, theirs.version, step);
  assert.equal(ours.lineCount, theirs.lineCount, step);
  for (let k = 0; k < 20; k++) {
    const offset = Math.floor(next() * (text.length + 4)) - 2;
    assert.deepEqual(ours.positionAt(offset), theirs.positionAt(offset), `${step}: positionAt(${offset})`);
    const at = position(theirs, next);
    assert.equal(ours.offsetAt(at), theirs.offsetAt(at), `${step}: offsetAt(${JSON.stringify(at)})`);
    const range = { start: at, end: position(theirs, next) };
    assert.equal(ours.getText(range), theirs.getText(range), `${step}: getText(${JSON.stringify(range)})`);
    const line = Math.floor(next() * (theirs.lineCount + 2)) - 1;
    assert.deepEqual(ours.getLineRange(line), theirs.getLineRange(line), `${step}: getLineRange(${line})`);
    assert.equal(ours.getEOLCharacters(line), theirs.getEOLCharacters(line), `${step}: getEOLCharacters(${line})`);
  }
  // Read from the pieces before the whole text is built.
  const content = ours.content;
  const file = lfForLoneCr(text);
  assert.deepEqual(documentChunks(content), splitDocuments(file), `${step}: chunks`);
  assert.equal(isTemplated(content), TEMPLATE_ACTION.test(file), `${step}: templated`);
  assert.equal(content.length, text.length, `${step}: length`);
  assert.equal(ours.getText(), text, `${step}: text`);
}

describe('PiecedTextDocument', () => {
  for (const seed of [1, 2, 3, 4, 5, 6]) {
    it(`gives what TextDocument gives after the same random edits (seed ${seed})`, () => {
      const next = seeded(seed);
      const start = file(200 + seed * 150, next);
      const theirs = TextDocument.create('file:///a.yaml', 'yaml', 1, start);
      const ours = new PiecedTextDocument('file:///a.yaml', 'yaml', 1, start);
      let most = 0;
      for (let step = 0; step < 250; step++) {
        const count = next() < 0.15 ? 2 + Math.floor(next() * 3) : 1;
        const changes: TextDocumentContentChangeEvent[] = [];
        // Each change against the text as the ones before it left it (as the editor sends them).
        const scratch = TextDocument.create('file:///b.yaml', 'yaml', 0, theirs.getText());
        for (let c = 0; c < count; c++) {
          const one = change(scratch, next);
          changes.push(one);
          TextDocument.update(scratch, [one], 0);
        }
        TextDocument.update(theirs, changes, step + 2);
        ours.update(changes, step + 2);
        most = Math.max(most, ours.content.pieces.length);
        same(ours, theirs, next, `seed ${seed}, step ${step}`);
      }
      // The edits cut the file into pieces (and the pieces stay small).
      assert.ok(most > 1, `pieces: ${most}`);
    });
  }

  it('keeps the pieces of a large file small after edits, and those the edit did not touch', () => {
    const next = seeded(7);
    const text = file(3000, next);
    const ours = new PiecedTextDocument('file:///a.yaml', 'yaml', 1, text);
    ours.update([{ range: { start: { line: 5, character: 0 }, end: { line: 5, character: 0 } }, text: 'x' }], 2);
    const before = ours.content.pieces;
    assert.ok(before.length > 5, `pieces: ${before.length}`);
    for (const piece of before) assert.ok(piece.text.length <= PIECE_LENGTH * 2, `piece of ${piece.text.length}`);
    const line = Math.floor(ours.lineCount / 2);
    ours.update([{ range: { start: { line, character: 0 }, end: { line, character: 0 } }, text: 'x' }], 3);
    const after = ours.content.pieces;
    const kept = after.filter((p) => before.includes(p)).length;
    assert.ok(kept >= before.length - 3, `kept ${kept} of ${before.length}`);
  });

  it('throws on a change that is neither an edit nor a whole text, as TextDocument does', () => {
    const ours = new PiecedTextDocument('file:///a.yaml', 'yaml', 1, 'a: 1\n');
    const bad = { text: 'x', rangeLength: 1 } as unknown as TextDocumentContentChangeEvent;
    assert.throws(() => ours.update([bad], 2), /Unknown change event/);
  });
});
