import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { HEAP_GROWING_PERCENT, limitHeapGrowth } from './heap-growth';

describe('limitHeapGrowth', () => {
  it('sets the heap growing factor unless the command line or NODE_OPTIONS names one', () => {
    const set: string[] = [];
    assert.equal(
      limitHeapGrowth([], '', (f) => set.push(f)),
      true,
    );
    assert.deepEqual(set, [`--heap-growing-percent=${HEAP_GROWING_PERCENT}`]);
    assert.equal(
      limitHeapGrowth(['--heap-growing-percent=80'], '', (f) => set.push(f)),
      false,
    );
    assert.equal(
      limitHeapGrowth([], '--max-old-space-size=512 --heap_growing_percent=50', (f) => set.push(f)),
      false,
    );
    assert.equal(set.length, 1);
  });
});
