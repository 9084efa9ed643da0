import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { BoundedMap } from './bounded-map';

describe('BoundedMap', () => {
  it('forgets the oldest key inserted to make room, round after round', () => {
    const m = new BoundedMap<string, number>(3);
    for (let i = 0; i < 10; i++) {
      m.set(`k${i}`, i);
      assert.equal(m.size, Math.min(i + 1, 3));
      // The last three keys, and no other, are there.
      for (let j = 0; j <= i; j++) assert.equal(m.get(`k${j}`), j > i - 3 ? j : undefined, `after k${i}: k${j}`);
    }
  });

  it('replaces the value of a key it holds without forgetting another', () => {
    const m = new BoundedMap<string, string>(2);
    m.set('a', '1');
    m.set('b', '1');
    m.set('a', '2');
    assert.equal(m.size, 2);
    assert.equal(m.get('a'), '2');
    assert.equal(m.get('b'), '1');
    // `a` is still the oldest inserted: the next new key replaces it.
    m.set('c', '1');
    assert.equal(m.has('a'), false);
    assert.deepEqual([m.get('b'), m.get('c')], ['1', '1']);
  });

  it('takes hostile keys as any other and refuses a limit below one', () => {
    const m = new BoundedMap<string, number>(2);
    m.set('__proto__', 1);
    m.set('constructor', 2);
    assert.equal(m.get('__proto__'), 1);
    assert.equal(m.get('constructor'), 2);
    assert.throws(() => new BoundedMap(0), RangeError);
    assert.throws(() => new BoundedMap(Number.NaN), RangeError);
  });
});
