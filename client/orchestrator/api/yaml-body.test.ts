import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { nestingDepth } from '../store/object';
import { parseYamlBody } from './yaml-body';

const parse = (text: string) => parseYamlBody(Buffer.from(text));
const refuses = (text: string, pattern: RegExp) =>
  assert.throws(
    () => parse(text),
    (e: Error & { code?: number }) => e.code === 400 && pattern.test(e.message),
  );

describe('YAML request bodies', () => {
  it('reads one document with YAML 1.1 scalars, as kubectl converts YAML', () => {
    assert.deepEqual(
      parse('apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\ndata: {mode: "0755"}\nx: [yes, 0755, 1.5]\n'),
      {
        apiVersion: 'v1',
        kind: 'ConfigMap',
        metadata: { name: 'a' },
        data: { mode: '0755' },
        x: [true, 493, 1.5],
      },
    );
  });

  it('keeps __proto__ as an own key and leaves prototypes alone', () => {
    const value = parse('metadata:\n  labels:\n    __proto__: {polluted: "yes"}\n') as {
      metadata: { labels: Record<string, unknown> };
    };
    assert.deepEqual(Object.getOwnPropertyNames(value.metadata.labels), ['__proto__']);
    assert.equal(Object.getPrototypeOf(value.metadata.labels), Object.prototype);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('refuses hostile YAML with a 400 and its position', () => {
    refuses('a: 1\n---\nb: 2\n', /holds more than one document; send one \(the second starts at line 2, column 1\)/);
    refuses('a: 1\nb: c: d\n', /error decoding YAML: .* at line 2, column \d+/);
    refuses('a: 1\na: 2\n', /Map keys must be unique \("a"\) at line 2, column 1/);
    refuses('', /holds no document/);
    refuses(
      `a: [${'1,'.repeat(100_001)}]\n`,
      /more than 100000 values at line 1, column \d+ \(YAML bodies may hold 100000; send larger objects as JSON\)/,
    );
    refuses(Array.from({ length: 100_001 }, (_, i) => `k${i}: v\n`).join(''), /more than 100000 values/);
    refuses(
      '---\na: 1\n...\nb: 2\n',
      /holds more than one document; send one \(the second starts at line 4, column 1\)/,
    );
    assert.deepEqual(parse('# comment\n---\na: 1\n...\n'), { a: 1 });
    let bomb = 'a0: &a0 [x, x, x, x, x, x, x, x, x, x]\n';
    for (let i = 1; i < 12; i++)
      bomb += `a${i}: &a${i} [${Array(10)
        .fill(`*a${i - 1}`)
        .join(', ')}]\n`;
    refuses(bomb, /more than 100 aliases|Excessive alias count/);
    let small = 'a0: &a0 [x, x]\n';
    for (let i = 1; i < 9; i++) small += `a${i}: &a${i} [*a${i - 1}, *a${i - 1}, *a${i - 1}, *a${i - 1}]\n`;
    refuses(small, /Excessive alias count/);
    refuses(`a: [&x 1, ${'*x, '.repeat(101)}]\n`, /more than 100 aliases at line 1, column \d+/);
    // Each shape of nesting, past the limit (and, for flow, far past where the parser's stack would end).
    refuses(`a: ${'['.repeat(501)}${']'.repeat(501)}\n`, /exceeded max depth .* at line 1, column 504/);
    refuses(`a: ${'['.repeat(1_000_000)}\n`, /exceeded max depth/);
    refuses(`a: ${'{b: '.repeat(600)}${'}'.repeat(600)}\n`, /exceeded max depth/);
    let nested = '';
    for (let i = 0; i < 1200; i++) nested += `${' '.repeat(i)}k:\n`;
    refuses(nested, /exceeded max depth .* at line \d+, column \d+/);
    refuses(`${'- '.repeat(800)}x\n`, /exceeded max depth/);
    // Within the limit, one after another in the same process: no stack is exhausted.
    for (let round = 0; round < 3; round++)
      assert.equal(nestingDepth(parse(`a: ${'['.repeat(499)}${']'.repeat(499)}\n`)), 500);
    // An alias of a deep value used deep down: refused once expanded.
    const wrap = (inner: string) => `${'['.repeat(490)}${inner}${']'.repeat(490)}`;
    refuses(
      `a: &d1 ${wrap('1')}\nb: &d2 ${wrap('*d1')}\nc: ${wrap('*d2')}\n`,
      /exceeded max depth \(objects and arrays may nest 1000/,
    );
  });
});
