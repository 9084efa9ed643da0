import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { splitCountingLines, splitDocuments } from './split-documents.js';

const texts = (input: string): string[] => splitDocuments(input).map((c) => c.text);

describe('splitDocuments', () => {
  it('splits at marker lines and keeps each marker with the document it opens', () => {
    assert.deepEqual(texts('a: 1\n---\nb: 2\n--- # c\nc: 3\n'), ['a: 1\n', '---\nb: 2\n', '--- # c\nc: 3\n']);
  });
  it('records the line each chunk starts at', () => {
    assert.deepEqual(
      splitDocuments('a: 1\nb: 2\n---\nc: 3\n---\nd: 4').map((c) => c.startLine),
      [0, 2, 4],
    );
  });
  it('is not fooled by ---- or ---x or indented markers', () => {
    assert.deepEqual(texts('a: |\n  ---\nb: ----\n---x: 1\n'), ['a: |\n  ---\nb: ----\n---x: 1\n']);
  });
  it('keeps directives and leading comments with the next document', () => {
    assert.deepEqual(texts('%YAML 1.2\n---\na: 1\n'), ['%YAML 1.2\n---\na: 1\n']);
    assert.deepEqual(texts('# header\n---\na: 1\n---\nb: 2\n'), ['# header\n---\na: 1\n', '---\nb: 2\n']);
  });
  it('handles CRLF line ends and a marker with content', () => {
    assert.deepEqual(texts('a: 1\r\n---\r\nb: 2\r\n--- {c: 3}\r\n'), ['a: 1\r\n', '---\r\nb: 2\r\n', '--- {c: 3}\r\n']);
  });
  it('returns one empty chunk for empty text', () => {
    assert.deepEqual(splitDocuments(''), [{ text: '', start: 0, startLine: 0 }]);
  });
  it("counts the text's line feeds as it splits, whatever the text ends or starts with", () => {
    const cases = [
      '',
      '\n',
      'a',
      'a: 1',
      'a: 1\n',
      '---\n',
      '---',
      '\n\n---\n\n',
      'a: 1\r\n---\r\nb: 2\r\n',
      '# c\n%YAML 1.1\n---\na: 1',
    ];
    cases.push(
      'a: 1\n---\nb: 2\n--- # c\nc: 3\n',
      '---\n---\n---',
      'a: |\n  ---\n----\n---x\n',
      `${'k: v\n---\n'.repeat(300)}z: 1`,
    );
    for (const text of cases) {
      const { chunks, lineFeeds } = splitCountingLines(text);
      assert.equal(lineFeeds, text.split('\n').length - 1, JSON.stringify(text));
      assert.deepEqual(chunks, splitDocuments(text), JSON.stringify(text));
    }
  });
});
