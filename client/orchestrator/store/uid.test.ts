import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { newUid } from './uid';

const V4 = /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/;

describe('object uids', () => {
  it('are random version 4 UUIDs, distinct across many batches, each kept as it was made', () => {
    const seen = new Set<string>();
    const first = newUid();
    // Several thousand: the generator's batches end and start again many times over.
    for (let i = 0; i < 20_000; i++) {
      const uid = newUid();
      assert.match(uid, V4);
      assert.ok(!seen.has(uid), `${uid} made twice`);
      seen.add(uid);
    }
    // A uid made before later batches overwrote the generator's buffer is unchanged.
    assert.match(first, V4);
    assert.ok(!seen.has(first));
  });

  it('use every hex digit in every random position (not a fixed pattern)', () => {
    const digits = Array.from({ length: 36 }, () => new Set<string>());
    for (let i = 0; i < 2_000; i++) [...newUid()].forEach((c, at) => digits[at]!.add(c));
    digits.forEach((set, at) => {
      if ([8, 13, 18, 23].includes(at)) assert.deepEqual([...set], ['-']);
      else if (at === 14) assert.deepEqual([...set], ['4']);
      else if (at === 19) assert.deepEqual([...set].sort(), ['8', '9', 'a', 'b']);
      else assert.equal(set.size, 16, `position ${at}`);
    });
  });
});
