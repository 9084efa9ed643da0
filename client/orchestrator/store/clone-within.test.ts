import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { clone, cloneWithin, deepFreeze, MAX_NESTING_DEPTH, nestingDepth } from './object';

/** `{"a":{"a":...}}` (objects) or `[[...]]` (arrays), `depth` levels of them. */
function nested(depth: number, arrays = false): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = arrays ? [v] : { a: v };
  return v;
}

/** The old way: the depth check, then the copy. */
function reference(value: unknown, limit = MAX_NESTING_DEPTH): unknown {
  return nestingDepth(value, limit) > limit ? undefined : clone(value);
}

describe('cloneWithin', () => {
  const hostile: [string, unknown][] = [
    ['scalars', [0, -0, 1.5, 1e21, 2 ** 53 + 2, -1e-7, true, false, null, '']],
    [
      'own __proto__ and constructor keys',
      JSON.parse('{"__proto__":{"polluted":1},"constructor":{"prototype":2},"a":[{"__proto__":[]}]}'),
    ],
    ['unicode keys and values', { 'ключ\u0000': '\ud83d\ude00', '\u2028': ['\ud800'], é: { 'e\u0301': 1 } }],
    [
      'a frozen stored object',
      deepFreeze({ metadata: { name: 'p', labels: { a: 'b' } }, spec: { containers: [{ name: 'c' }] } }),
    ],
    ['empty containers', { a: {}, b: [], c: [[], {}] }],
    ['objects exactly at the limit', nested(MAX_NESTING_DEPTH)],
    ['objects one past the limit', nested(MAX_NESTING_DEPTH + 1)],
    ['arrays exactly at the limit', nested(MAX_NESTING_DEPTH, true)],
    ['arrays one past the limit', nested(MAX_NESTING_DEPTH + 1, true)],
    ['far past the limit', nested(5000)],
  ];

  for (const [name, value] of hostile) {
    it(`copies as clone does, refusing what nestingDepth refuses: ${name}`, () => {
      const want = reference(value);
      const got = cloneWithin(value);
      assert.equal(got === undefined, want === undefined);
      if (got === undefined) return;
      assert.deepStrictEqual(got, want);
      assert.equal(JSON.stringify(got), JSON.stringify(value));
      if (typeof value === 'object' && value !== null) {
        assert.notEqual(got, value, 'a copy, not the value');
        assert.equal(Object.isFrozen(got), false, 'the copy is mutable');
      }
    });
  }

  it('keeps a __proto__ key as an own key and pollutes no prototype', () => {
    const got = cloneWithin(JSON.parse('{"__proto__":{"polluted":1}}') as Record<string, unknown>)!;
    assert.equal(Object.getPrototypeOf(got), Object.prototype);
    assert.deepEqual(Object.keys(got), ['__proto__']);
    assert.equal(({} as Record<string, unknown>).polluted, undefined);
  });

  it('takes a smaller limit', () => {
    assert.deepEqual(cloneWithin({ a: { b: 1 } }, 2), { a: { b: 1 } });
    assert.equal(cloneWithin({ a: { b: {} } }, 2), undefined);
    assert.equal(cloneWithin('scalar', 0), 'scalar');
    assert.equal(cloneWithin({}, 0), undefined);
  });
});
