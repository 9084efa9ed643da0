/**
 * The worker's findings by chunk text, made on first use, are what `new Map(entries)` of the chunks in
 * order gives: the later of two equal texts wins, the same Map at every read, and a taken entry stays taken.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ChunkFindings } from './diagnostics.js';
import { precomputedFindings } from './precomputed-findings.js';

const findings = (n: number): ChunkFindings => ({
  relative: [],
  untyped: { manifest: n % 2 === 0, diagnostics: [] },
});

describe('precomputedFindings', () => {
  it('maps each chunk text to its findings as new Map(entries) does, once', () => {
    const chunks = [{ text: 'a: 1\n' }, { text: '---\nb: 2\n' }, { text: 'a: 1\n' }, { text: '' }];
    const found = chunks.map((_, i) => findings(i));
    const precomputed = precomputedFindings('k', chunks, found);
    assert.equal(precomputed.key, 'k');
    const expected = new Map(chunks.map((c, i) => [c.text, found[i]]));
    assert.deepEqual([...precomputed.byText], [...expected]);
    assert.equal(precomputed.byText.get('a: 1\n'), found[2]);
    assert.equal(precomputed.byText, precomputed.byText);
    precomputed.byText.delete('a: 1\n');
    assert.equal(precomputed.byText.has('a: 1\n'), false);
    assert.equal(precomputed.byText.size, 2);
  });
});
