import { test } from 'node:test';
import assert from 'node:assert/strict';
import { jsonEqual, nestingDepth } from './object';
import { sameJson } from './same-json';
import { jsonDepth } from './json-depth';

const cases: [unknown, unknown][] = [
  [
    { a: 1, b: [1, { c: 'x' }] },
    { b: [1, { c: 'x' }], a: 1 },
  ],
  [{ a: 1, b: undefined }, { a: 1 }],
  [{ a: 1 }, { a: 1, b: undefined }],
  [{ a: 1 }, { a: 2 }],
  [{ a: 1 }, { a: 1, b: null }],
  [
    [1, 2],
    [1, 2, 3],
  ],
  [[undefined], [null]],
  [[], {}],
  [{}, []],
  [{ 0: 'a' }, ['a']],
  [null, {}],
  [1, '1'],
  [JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": {"x": 1}}')],
  [JSON.parse('{"__proto__": {"x": 1}}'), JSON.parse('{"__proto__": {"x": 2}}')],
  [JSON.parse('{"__proto__": {"x": 1}}'), {}],
  [Object.create({ inherited: 1 }) as object, {}],
  [Object.freeze({ a: Object.freeze([1]) }), { a: [1] }],
];

test('sameJson answers as jsonEqual: key order, undefined as absent, own keys, arrays against objects', () => {
  for (const [a, b] of cases) {
    assert.equal(sameJson(a, b), jsonEqual(a, b), JSON.stringify([a, b]));
    assert.equal(sameJson(b, a), jsonEqual(b, a), JSON.stringify([b, a]));
  }
});

test('jsonDepth answers as nestingDepth, and stops past the limit on hostile nesting', () => {
  const values: unknown[] = [0, 'x', null, {}, [], { a: { b: [{}] } }, [[[]]], JSON.parse('{"__proto__": {"a": {}}}')];
  for (const v of values) assert.equal(jsonDepth(v, 1000), nestingDepth(v), JSON.stringify(v));
  let deep: unknown = {};
  for (let i = 0; i < 100_000; i++) deep = [deep];
  assert.equal(jsonDepth(deep, 1000), 1001);
  assert.equal(jsonDepth(deep, 1000), nestingDepth(deep));
});
