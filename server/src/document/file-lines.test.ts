/**
 * FileLines (positions read from a parsed file's chunks) against TextLines of the whole text: the same
 * position for every offset and the same offset for every line and character, odd ones included, on
 * texts with LF, CRLF and lone CR line ends, markers, comments-only documents, an empty text and texts
 * without a final line break.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { FileLines } from './file-lines.js';
import { parseManifestFile } from './manifest-file.js';
import { reparseManifestFile } from '../reparse-manifest-file.js';
import { ChunkCache } from './manifest-file.js';
import { asPieces } from './text-pieces.js';
import { PiecedTextDocument } from './pieced-text-document.js';
import { TextLines } from './text-lines.js';
import { seeded } from '../test-support/seeded-random.js';

const PARTS = ['a: 1', 'kind: Pod', '---', '--- # c', '# only', '%YAML 1.2', '  - x', '', '😀', '\uD83D', 'b: "x\ry"'];
const EOLS = ['\n', '\r\n', '\r'];

function randomText(next: () => number): string {
  let text = '';
  const lines = Math.floor(next() * 60);
  for (let i = 0; i < lines; i++) {
    text += PARTS[Math.floor(next() * PARTS.length)]!;
    if (i < lines - 1 || next() < 0.5) text += EOLS[Math.floor(next() * EOLS.length)]!;
  }
  return text;
}

function assertSame(text: string, lines: FileLines, next: () => number, label: string): void {
  const whole = new TextLines(text);
  const count = whole.lineCount;
  const offsets = [-5, 0, text.length, text.length + 3, Number.NaN, 1.5];
  for (let i = 0; i < 40; i++) offsets.push(Math.floor(next() * (text.length + 1)));
  for (const offset of offsets)
    assert.deepStrictEqual(lines.positionAt(offset), whole.positionAt(offset), `${label}: positionAt(${offset})`);
  const odd = [-1, count - 1, count, count + 4, 0.5, Math.floor(count / 2) + 0.5, count - 1.5, Number.NaN];
  const characters = [-2, 0, 3, 200, 1.5, Number.NaN];
  for (const line of [...odd, ...Array.from({ length: 20 }, () => Math.floor(next() * count))])
    for (const character of characters)
      assert.strictEqual(
        lines.offsetAt(line, character),
        whole.offsetAt(line, character),
        `${label}: offsetAt(${line}, ${character})`,
      );
}

describe('FileLines', () => {
  it('gives the positions and offsets TextLines gives of the whole text', () => {
    const next = seeded(11);
    for (let round = 0; round < 300; round++) {
      const text = randomText(next);
      assertSame(text, new FileLines(parseManifestFile(text)), next, `text ${JSON.stringify(text)}`);
    }
  });

  it("gives them from an edited open document's pieces", () => {
    const next = seeded(12);
    const cache = new ChunkCache();
    let text = '';
    for (let i = 0; i < 3000; i++) text += `${i === 0 ? '' : '---\n'}a: ${i}\r\nb:\r  - ${i}\n`;
    const document = new PiecedTextDocument('file:///x.yaml', 'yaml', 1, text);
    let file = reparseManifestFile(asPieces(text), undefined, cache);
    for (let step = 0; step < 40; step++) {
      const line = Math.floor(next() * document.lineCount);
      const insert = ['x', '\r', '\n---\n', '\r\n', ''][Math.floor(next() * 5)]!;
      document.update([{ range: { start: { line, character: 1 }, end: { line, character: 3 } }, text: insert }], step);
      file = reparseManifestFile(document.content, file, cache);
      assertSame(document.getText(), new FileLines(file), next, `step ${step}`);
    }
    assert.ok(document.content.pieces.length > 3);
  });
});
