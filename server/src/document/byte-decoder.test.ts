import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { ByteDecoder, decodeFileBytes } from './byte-decoder.js';

const TEXT = 'kind: ConfigMap # é 😀\n';
const le = Buffer.concat([Buffer.from([0xff, 0xfe]), Buffer.from(TEXT, 'utf16le')]);

describe('decoding file bytes as kubectl reads them', () => {
  it('decodes UTF-16 by its byte order mark and drops a UTF-8 one', () => {
    assert.equal(decodeFileBytes(le), TEXT);
    assert.equal(decodeFileBytes(Buffer.from(le).swap16()), TEXT);
    assert.equal(decodeFileBytes(Buffer.concat([Buffer.from([0xef, 0xbb, 0xbf]), Buffer.from(TEXT)])), TEXT);
    assert.equal(decodeFileBytes(Buffer.from(TEXT)), TEXT);
  });

  it('keeps a sequence cut between blocks whole, and notes overlong forms and surrogates', () => {
    const bytes = Buffer.from(TEXT);
    const decoder = new ByteDecoder();
    const text = [...bytes].map((b, i) => decoder.decode(Buffer.from([b]), i === bytes.length - 1).text).join('');
    assert.equal(text, TEXT);
    for (const bad of [
      [0xc0, 0xaf],
      [0xe0, 0x80, 0xaf],
      [0xed, 0xa0, 0x80],
      [0xf4, 0x90, 0x80, 0x80],
    ]) {
      const { problems } = new ByteDecoder().decode(Buffer.from([0x61, 0x62, 0x63, ...bad, 0x0a]), true);
      assert.equal(problems[0]?.offset, 3, bad.join(' '));
    }
  });
});
