import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { applyDelta, objectDelta } from './object-delta';
import { deepFreeze } from './object';

type Obj = Record<string, unknown>;

/** What the log's replay does: the old version's JSON, the delta's JSON applied to it. */
function replayed(old: Obj, next: Obj): string | undefined {
  const ops = objectDelta(old, next);
  if (ops === undefined) return undefined;
  const base = JSON.parse(JSON.stringify(old)) as Obj;
  assert.ok(applyDelta(base, JSON.parse(JSON.stringify(ops))));
  return JSON.stringify(base);
}

function assertRoundTrip(old: Obj, next: Obj): void {
  const text = replayed(old, next);
  if (text !== undefined) assert.equal(text, JSON.stringify(next));
}

/** A small random JSON-ish value; `keys` holds awkward key names too. */
function randomValue(rand: () => number, depth: number): unknown {
  const keys = ['a', 'b', 'status', '__proto__', '0', '7', 'constructor', 'é', ''];
  const pick = rand();
  if (depth === 0 || pick < 0.3) {
    const leaves = [1, 0, -1.5, 'x', '', null, true, false, undefined, NaN];
    return leaves[Math.floor(rand() * leaves.length)];
  }
  if (pick < 0.45) return Array.from({ length: Math.floor(rand() * 3) }, () => randomValue(rand, depth - 1));
  const obj: Obj = {};
  for (let i = Math.floor(rand() * 4); i > 0; i--) {
    const key = keys[Math.floor(rand() * keys.length)]!;
    Object.defineProperty(obj, key, {
      value: randomValue(rand, depth - 1),
      writable: true,
      enumerable: true,
      configurable: true,
    });
  }
  return obj;
}

/** `old` changed at random: keys kept (shared), replaced, removed, added, reordered, nested objects mutated. */
function mutate(rand: () => number, old: Obj, depth: number): Obj {
  const entries = Object.entries(old);
  if (rand() < 0.1) entries.reverse();
  const out: Obj = {};
  for (const [key, value] of entries) {
    const r = rand();
    if (r < 0.15) continue;
    const changed =
      r < 0.5
        ? value
        : value !== null && typeof value === 'object' && !Array.isArray(value) && depth > 0
          ? mutate(rand, value as Obj, depth - 1)
          : randomValue(rand, 2);
    Object.defineProperty(out, key, { value: changed, writable: true, enumerable: true, configurable: true });
  }
  if (rand() < 0.4) {
    const added = randomValue(rand, 2);
    const key = ['new', 'a', '3', '__proto__'][Math.floor(rand() * 4)]!;
    Object.defineProperty(out, key, { value: added, writable: true, enumerable: true, configurable: true });
  }
  return out;
}

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

/**
 * The delta as first written (a path array made for every key descended into, `Object.keys` per level):
 * the reference the walk with one key stack must match operation for operation.
 */
function referenceDelta(old: Obj, next: Obj): unknown[] | undefined {
  const own = (o: object, k: string) => Object.prototype.hasOwnProperty.call(o, k);
  const plain = (v: unknown): v is Obj =>
    typeof v === 'object' &&
    v !== null &&
    !Array.isArray(v) &&
    [Object.prototype, null].includes(Object.getPrototypeOf(v) as object | null);
  const diff = (a: Obj, b: Obj, path: string[], ops: unknown[]): boolean => {
    const nextKeys = Object.keys(b);
    let i = 0;
    for (const key of Object.keys(a)) {
      if (a[key] === undefined || !own(b, key) || b[key] === undefined) continue;
      while (i < nextKeys.length && b[nextKeys[i]!] === undefined) i++;
      if (nextKeys[i] !== key) return false;
      i++;
    }
    for (const key of Object.keys(a)) {
      const before = a[key];
      if (before === undefined) continue;
      const after = own(b, key) ? b[key] : undefined;
      if (after === undefined) ops.push([[...path, key]]);
      else if (after !== before) {
        const at = [...path, key];
        if (!(plain(before) && plain(after) && diff(before, after, at, ops))) ops.push([at, after]);
      }
    }
    for (; i < nextKeys.length; i++)
      if (b[nextKeys[i]!] !== undefined) ops.push([[...path, nextKeys[i]!], b[nextKeys[i]!]]);
    return true;
  };
  const ops: unknown[] = [];
  return diff(old, next, [], ops) ? ops : undefined;
}

describe('objectDelta / applyDelta', () => {
  it('a status write is logged as its status and resourceVersion only', () => {
    const spec = { containers: [{ name: 'app', image: 'nginx' }] };
    const old = deepFreeze({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', resourceVersion: '5', labels: { app: 'x' } },
      spec,
      status: { phase: 'Pending' },
    });
    const next = { ...old, metadata: { ...old.metadata, resourceVersion: '9' }, status: { phase: 'Running' } };
    assert.deepEqual(objectDelta(old, next), [
      [['metadata', 'resourceVersion'], '9'],
      [['status', 'phase'], 'Running'],
    ]);
    assertRoundTrip(old, next);
  });

  it('removes keys, treats undefined as absent, sets arrays whole', () => {
    const old = { a: 1, b: [1, 2], c: { d: 1, e: 2 }, u: undefined };
    const next = { a: 1, b: [1, 2], c: { d: 1 }, u: undefined, v: undefined };
    assert.deepEqual(objectDelta(old, next), [[['b'], [1, 2]], [['c', 'e']]]);
    assertRoundTrip(old, next);
  });

  it('writes an object whole where the key order would differ, and the whole object when the top moved', () => {
    assert.equal(objectDelta({ a: 1, b: 2 }, { b: 2, a: 1 }), undefined);
    // A new integer-like key goes before the others in V8's order: not something a replay can append.
    assert.equal(objectDelta({ a: 1 }, { a: 1, 5: 2 }), undefined);
    assert.deepEqual(objectDelta({ x: 1, m: { a: 1, b: 2 } }, { x: 1, m: { b: 2, a: 1 } }), [[['m'], { b: 2, a: 1 }]]);
  });

  it('keeps a __proto__ key an own key and never touches a prototype', () => {
    const old = JSON.parse('{"m":{"__proto__":{"x":1}}}') as Obj;
    const next = JSON.parse('{"m":{"__proto__":{"x":2},"polluted":1}}') as Obj;
    assertRoundTrip(old, next);
    const base = JSON.parse(JSON.stringify(old)) as Obj;
    assert.ok(applyDelta(base, [[['__proto__', 'polluted'], 1]]) === false);
    assert.ok(applyDelta(base, [[['__proto__'], { polluted: 1 }]]));
    assert.equal(({} as Obj).polluted, undefined);
    assert.equal(Object.getPrototypeOf(base), Object.prototype);
  });

  it('refuses malformed or misfitting operations, leaving the base as it was', () => {
    const base = { a: { b: 1 }, c: [1] };
    const before = JSON.stringify(base);
    for (const ops of [
      'x',
      [1],
      [[[]]],
      [[['a'], 1, 2]],
      [[[1], 2]],
      [[['z', 'y'], 1]],
      [[['c', '0'], 1]],
      [[['a', 'b'], 2], [['a', 'nope']]],
    ])
      assert.equal(applyDelta(base, ops), false, JSON.stringify(ops));
    assert.equal(JSON.stringify(base), before);
  });

  it('replays to the same JSON text over random changes (differential)', () => {
    const rand = seeded(18);
    let delta = 0;
    for (let n = 0; n < 5000; n++) {
      const old = (randomValue(rand, 4) ?? {}) as Obj;
      if (typeof old !== 'object' || Array.isArray(old)) continue;
      const next = mutate(rand, old, 3);
      if (replayed(old, next) !== undefined) delta++;
      assertRoundTrip(old, next);
    }
    assert.ok(delta > 1000, `only ${delta} changes made a delta`);
  });

  it('gives the operations of the first form, in its order, over random changes (differential)', () => {
    const rand = seeded(1806);
    let compared = 0;
    for (let n = 0; n < 20000; n++) {
      const old = (randomValue(rand, 5) ?? {}) as Obj;
      if (typeof old !== 'object' || Array.isArray(old)) continue;
      const next = mutate(rand, old, 4);
      // Deep nesting, a null-prototype level and a failed walk before a good one, now and then.
      if (n % 97 === 0) {
        let deep: Obj = { leaf: n };
        for (let d = 0; d < 200; d++) deep = { [`k${d % 3}`]: deep };
        old.deep = deep;
        next.deep = { ...deep, added: true };
      }
      if (n % 89 === 0) next.nul = Object.assign(Object.create(null) as Obj, { a: 1 });
      if (n % 83 === 0) assert.equal(objectDelta({ a: 1, b: 2 }, { b: 2, a: 1 }), undefined);
      const ours = objectDelta(old, next);
      assert.deepEqual(ours, referenceDelta(old, next));
      compared++;
    }
    assert.ok(compared > 10000, `only ${compared} pairs compared`);
  });
});
