import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { base64DecodedLength, base64ErrorOffset } from './base64-error-offset';

describe('base64ErrorOffset', () => {
  it('accepts padded standard base64, empty text and line breaks anywhere', () => {
    for (const ok of ['', 'YQ==', 'YWI=', 'YWJj', 'YWJjZA==', 'YW\nJj', 'YWJj\r\n', 'YQ=\n=', 'YR==']) {
      assert.equal(base64ErrorOffset(ok), undefined, JSON.stringify(ok));
    }
  });

  it('names the byte the decoder stops at', () => {
    assert.equal(base64ErrorOffset('not base64!'), 3); // the space
    assert.equal(base64ErrorOffset('YWJj!'), 4);
    assert.equal(base64ErrorOffset('YQ'), 0); // unpadded: the quantum's start
    assert.equal(base64ErrorOffset('YWJjZ'), 4);
    assert.equal(base64ErrorOffset('YQ='), 3); // the second '=' is missing
    assert.equal(base64ErrorOffset('Y==='), 1); // padding too early
    assert.equal(base64ErrorOffset('YQ==YQ=='), 4); // data after the padding
    assert.equal(base64ErrorOffset('YQ=x'), 2);
    assert.equal(base64ErrorOffset('YWJ-'), 3); // URL alphabet
    assert.equal(base64ErrorOffset('é'), 0);
  });

  it('counts the decoded bytes', () => {
    assert.equal(base64DecodedLength('YWJjZA=='), 4);
    assert.equal(base64DecodedLength('YW\nJj'), 3);
  });
});
