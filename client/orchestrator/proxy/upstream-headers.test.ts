import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { upstreamHeaders } from './upstream-headers';

describe('upstreamHeaders (what nginx passes on from a backend)', () => {
  it('keeps ordinary headers in order, repeated ones included', () => {
    const raw = ['Content-Type', 'text/plain', 'Set-Cookie', 'a=1', 'Set-Cookie', 'b=2'];
    assert.deepEqual(upstreamHeaders(raw), { ok: true, rawHeaders: raw, dropped: [] });
  });

  it('refuses Content-Length with Transfer-Encoding, in either order and any case', () => {
    for (const raw of [
      ['Content-Length', '5', 'Transfer-Encoding', 'chunked'],
      ['transfer-encoding', 'chunked', 'CONTENT-LENGTH', '5'],
    ]) {
      const r = upstreamHeaders(raw);
      assert.equal(r.ok, false);
      assert.match(!r.ok ? r.reason : '', /Content-Length and Transfer-Encoding/);
    }
  });

  it('refuses a NUL in a header value or name', () => {
    assert.equal(upstreamHeaders(['X-A', 'a\0b']).ok, false);
    assert.equal(upstreamHeaders(['X-\0', 'a']).ok, false);
  });

  it('leaves out a header whose value has another control character, keeping the rest', () => {
    assert.deepEqual(upstreamHeaders(['X-A', 'a\u0001b', 'X-B', 'fine\tvalue']), {
      ok: true,
      rawHeaders: ['X-B', 'fine\tvalue'],
      dropped: ['X-A'],
    });
  });
});
