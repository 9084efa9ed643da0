import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { FieldError } from './field-error';
import { isValidNumberOrName, validateNumberOrName } from './ports';

describe('isValidNumberOrName', () => {
  it('answers exactly when validateNumberOrName finds nothing, with and without a defaulted 0', () => {
    const ports: unknown[] = [
      0,
      1,
      80,
      65535,
      65536,
      -1,
      1.5,
      Number.NaN,
      Infinity,
      2 ** 53,
      'http',
      'web-8080',
      'a',
      '8080',
      '-web',
      'web-',
      'we--b',
      'WEB',
      'abcdefghijklmnop',
      '',
      undefined,
      null,
      true,
      {},
      ['http'],
    ];
    for (const allowZero of [false, true])
      for (const port of ports) {
        const out: FieldError[] = [];
        validateNumberOrName(port, ['spec', 'ports', 0, 'targetPort'], out, allowZero);
        assert.equal(isValidNumberOrName(port, allowZero), out.length === 0, `${String(port)} allowZero=${allowZero}`);
      }
  });
});
