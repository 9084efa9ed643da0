import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { bytes, isQuantity, milliCpu, parseQuantity } from './quantity';

describe('quantities', () => {
  it('accepts the syntax the API server accepts', () => {
    for (const v of ['500m', '1.5', '128Mi', '2Gi', '1e3', '.5', '+1', 3, 0.25])
      assert.equal(isQuantity(v), true, String(v));
    for (const v of ['', 'abc', '1.5.5', '128MB', '1Ki5', 'm', Infinity, null, {}])
      assert.equal(isQuantity(v), false, JSON.stringify(v));
  });

  it('reads values in base units', () => {
    assert.equal(parseQuantity('128Mi'), 128 * 2 ** 20);
    assert.equal(parseQuantity('1G'), 1e9);
    assert.ok(Number.isNaN(parseQuantity('1Q')));
    assert.equal(milliCpu('100m'), 100);
    assert.equal(milliCpu('0.5'), 500);
    assert.equal(milliCpu('1.0001'), 1001, 'rounded up');
    assert.equal(bytes('1Ki'), 1024);
    assert.equal(bytes('junk'), 0);
  });
});
