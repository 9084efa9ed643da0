import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { deepFreeze, jsonEqual, sameSpec, setOwn, type JsonObject, type KubeObject } from './object';

describe('deepFreeze', () => {
  it('freezes every object and array beneath, an own __proto__ key and null-prototype objects included', () => {
    const hidden: JsonObject = { inner: { x: 1 } };
    const bare = Object.create(null) as JsonObject;
    bare.list = [{ y: [2, { z: 3 }] }];
    const value: JsonObject = { a: [[{ b: {} }]], bare, text: 'é', n: null };
    setOwn(value, '__proto__', hidden);
    const frozen = deepFreeze(value);
    assert.equal(frozen, value);
    const seen: unknown[] = [];
    const walk = (v: unknown): void => {
      if (typeof v !== 'object' || v === null) return;
      seen.push(v);
      assert.ok(Object.isFrozen(v), JSON.stringify(v));
      for (const child of Object.values(v)) walk(child);
    };
    walk(value);
    assert.equal(seen.length, 12);
    assert.ok(Object.isFrozen((Object.getOwnPropertyDescriptor(value, '__proto__')!.value as JsonObject).inner));
    assert.equal(Object.getPrototypeOf(value), Object.prototype);
  });

  it('leaves a frozen part as it is, and scalars alone', () => {
    const shared = Object.freeze({ open: { x: 1 } });
    const obj = deepFreeze({ shared, own: { y: 2 } });
    assert.ok(Object.isFrozen(obj.own));
    assert.ok(!Object.isFrozen(shared.open), 'a frozen part is taken as frozen whole, not walked again');
    assert.equal(deepFreeze(5), 5);
    assert.equal(deepFreeze(null), null);
  });
});

describe('sameSpec', () => {
  /** What the store compared before: the objects without metadata, status and the type, copied. */
  const specCopy = (obj: JsonObject): JsonObject => {
    const rest: JsonObject = {};
    for (const [k, v] of Object.entries(obj))
      if (k !== 'metadata' && k !== 'status' && k !== 'apiVersion' && k !== 'kind') setOwn(rest, k, v);
    return rest;
  };

  it('answers as jsonEqual of the spec parts, on random objects with awkward keys and undefined values', () => {
    let seed = 7;
    const rand = () => (seed = (seed * 1103515245 + 12345) % 2 ** 31) / 2 ** 31;
    const keys = ['spec', 'status', 'metadata', 'kind', 'apiVersion', 'data', '__proto__', '0', 'x'];
    const leaves: unknown[] = [1, 'a', null, undefined, { a: 1 }, { a: 2 }, [1], [1, 2], { a: undefined }];
    const make = (): JsonObject => {
      const obj: JsonObject = {};
      for (let n = Math.floor(rand() * 5); n > 0; n--)
        setOwn(obj, keys[Math.floor(rand() * keys.length)]!, leaves[Math.floor(rand() * leaves.length)]);
      return obj;
    };
    let equal = 0;
    for (let i = 0; i < 20_000; i++) {
      const a = make();
      const b = rand() < 0.3 ? { ...a, status: 'changed', metadata: { name: 'n' } } : make();
      if (rand() < 0.1) setOwn(b, '__proto__', { a: 1 });
      const expected = jsonEqual(specCopy(a), specCopy(b));
      if (expected) equal++;
      assert.equal(sameSpec(a as unknown as KubeObject, b as unknown as KubeObject), expected, JSON.stringify([a, b]));
    }
    assert.ok(equal > 1000 && equal < 19_000, `${equal} equal pairs`);
  });
});
