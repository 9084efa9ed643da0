import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { deepFreeze, setOwn, type JsonObject } from './object';

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
