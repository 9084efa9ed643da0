import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLanguageService } from '../language-service.js';

const service = createLanguageService();
const HEAD = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: a\n';

/** Each syntax error as `line:column code`, with the text it underlines. */
const shown = (text: string): string[] => {
  const lines = text.split('\n');
  return service
    .diagnostics(text)
    .map((d) => {
      const { start, end } = d.range;
      const under = (lines[start.line] ?? '').slice(
        start.character,
        start.line === end.line ? end.character : undefined,
      );
      return `${start.line}:${start.character} ${String(d.code)} ${under}`;
    })
    .sort();
};

describe('YAML syntax errors are reported where the mistake is', () => {
  it('an unclosed double or single quote: where the quote opens, not at the end of the document', () => {
    for (const q of ['"', "'"]) {
      const text = `${HEAD}data:\n  a: ${q}unclosed\n  b: c\n  d: e\n---\n${HEAD}`;
      assert.deepEqual(shown(text), [`5:5 yaml-syntax/MISSING_CHAR ${q}unclosed`]);
    }
  });

  it('an unclosed flow sequence or mapping: where the bracket opens', () => {
    const seq = shown(`${HEAD}data:\n  a: [1, 2\n  b: c\n`);
    assert.ok(seq.includes('5:5 yaml-syntax/BAD_INDENT [1, 2'), seq.join('\n'));
    const map = shown(`${HEAD}data: {a: 1\n  b: c\nfoo: g\n`);
    assert.ok(map.includes('4:6 yaml-syntax/BAD_INDENT {a: 1'), map.join('\n'));
    assert.ok(
      map.every((d) => !d.startsWith('7:')),
      map.join('\n'),
    );
  });

  it('a line indented deeper than its siblings: on that line, as kubectl says "line 5: mapping values are not allowed"', () => {
    const text = `${HEAD}   namespace: b\ndata:\n  d: e\n`;
    assert.deepEqual(shown(text), [
      '4:3 yaml-syntax/BLOCK_AS_IMPLICIT_KEY namespace: b',
      '4:3 yaml-syntax/MULTILINE_IMPLICIT_KEY namespace: b',
    ]);
  });

  it('a line indented less than its siblings: on that line', () => {
    const text = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n    name: a\n  namespace: b\n';
    assert.deepEqual(shown(text), ['4:0 yaml-syntax/BAD_INDENT  ']);
  });
});
