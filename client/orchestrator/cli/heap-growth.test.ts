import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { limitHeapGrowth } from './heap-growth';

describe('limitHeapGrowth', () => {
  it('sets the factor asked for, unless the command line or NODE_OPTIONS names one', () => {
    const set: string[] = [];
    const record = (f: string) => set.push(f);
    assert.equal(limitHeapGrowth('50', [], '', record), true);
    assert.deepEqual(set, ['--heap-growing-percent=50']);
    assert.equal(limitHeapGrowth('50', ['--heap-growing-percent=80'], '', record), false);
    assert.equal(limitHeapGrowth('50', [], '--max-old-space-size=512 --heap_growing_percent=50', record), false);
    assert.equal(set.length, 1);
  });

  it('does nothing by default, nor for a value that is not a whole number from 1 to 1000', () => {
    const set: string[] = [];
    const record = (f: string) => set.push(f);
    for (const value of [undefined, '', '0', '1.5', '-5', '1e3', '1001', '99999', ' 50', '50 --expose-gc', '0x10'])
      assert.equal(limitHeapGrowth(value, [], '', record), false, String(value));
    assert.deepEqual(set, []);
    assert.equal(limitHeapGrowth('1000', [], '', record), true);
  });
});
