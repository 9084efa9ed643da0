import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonEqual, nestingDepth } from './object';

/** Pairs and whether they are equal (either way round), as the store's compare must answer. */
const cases: [unknown, unknown, boolean][] = [
  [{ a: 1, b: [1, { c: 'x' }] }, { b: [1, { c: 'x' }], a: 1 }, true],
  [{ a: 1, b: undefined }, { a: 1 }, true],
  [{ a: 1 }, { a: 1, b: undefined }, true],
  [{ a: 1 }, { a: 2 }, false],
  [{ a: 1 }, { a: 1, b: null }, false],
  [[1, 2], [1, 2, 3], false],
  [[undefined], [null], false],
  [[], {}, false],
  [{}, [], false],
  [{ 0: 'a' }, ['a'], false],
  [null, {}, false],
  [1, '1', false],
  [JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": {"x": 1}}'), true],
  [JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": {"x": 2}}'), false],
  [JSON.parse('{"__proto__": {"x": 1}}'), {}, false],
  [Object.create({ inherited: 1 }) as object, {}, true],
  [Object.freeze({ a: Object.freeze([1]) }), { a: [1] }, true],
];

test('jsonEqual: key order ignored, undefined as absent, own keys only, arrays are not objects', () => {
  for (const [a, b, equal] of cases) {
    assert.equal(jsonEqual(a, b), equal, JSON.stringify([a, b]));
    assert.equal(jsonEqual(b, a), equal, JSON.stringify([b, a]));
  }
});

test('nestingDepth counts objects and arrays, own keys only, and stops past the limit on hostile nesting', () => {
  const values: [unknown, number][] = [
    [0, 0],
    ['x', 0],
    [null, 0],
    [{}, 1],
    [[], 1],
    [{ a: { b: [{}] } }, 4],
    [[[[]]], 3],
    [JSON.parse('{"__proto__": {"a": {}}}'), 3],
    [Object.create({ inherited: {} }) as object, 1],
  ];
  for (const [v, depth] of values) assert.equal(nestingDepth(v, 1000), depth, JSON.stringify(v));
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(nestingDepth(deep, 1000), 1001);
  assert.equal(nestingDepth(deep), 1001);
});
