/**
 * `validate`'s index entries keep their ranges packed: read back, a packed
 * range gives the same positions (and JSON) as the range it was made of,
 * whatever the numbers (a 15 MB one-line document's columns included); what
 * is not a plain range is not packed; entries copied through the string
 * table with it keep every other fact.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Range } from 'vscode-languageserver-types';
import { PackedRange } from './packed-range.js';
import { StringTable } from './string-table.js';

const range = (a: number, b: number, c: number, d: number): Range => ({
  start: { line: a, character: b },
  end: { line: c, character: d },
});

describe('PackedRange', () => {
  it('reads back as the range it was made of, for any numbers', () => {
    for (const r of [range(0, 0, 0, 0), range(3, 7, 3, 19), range(0, 15 * 2 ** 20, 2 ** 31 - 1, 2 ** 31 - 1)]) {
      const packed = PackedRange.of(r);
      assert.ok(packed);
      assert.deepEqual({ start: packed.start, end: packed.end }, r);
      assert.equal(JSON.stringify(packed), JSON.stringify(r));
    }
  });

  it('packs only plain ranges', () => {
    const packed = PackedRange.of(range(1, 2, 3, 4));
    assert.ok(packed);
    assert.equal(PackedRange.of(packed), undefined);
    for (const other of [
      {},
      { start: 'a', end: 'b' },
      { start: { line: 1 }, end: { line: 2, character: 0 } },
      { start: { line: '1', character: 0 }, end: { line: 2, character: 0 } },
      [range(0, 0, 0, 0)],
      new Map([['start', 1]]),
    ])
      assert.equal(PackedRange.of(other), undefined, JSON.stringify(other));
  });

  it('copies an entry through the string table with its ranges packed and every other fact kept', () => {
    const shared = range(5, 0, 5, 9);
    const entry = {
      kind: 'Service',
      name: 'web',
      nameRange: shared,
      again: shared,
      labels: { app: 'web', start: 'x', end: 'y' },
      ports: [{ port: 80, range: range(9, 4, 9, 6) }],
      keys: new Map([['k', range(1, 1, 1, 2)]]),
      none: [] as unknown[],
    };
    const copy = new StringTable().detach(entry, (v) => PackedRange.of(v));
    assert.ok(copy.nameRange instanceof PackedRange);
    // One range met twice stays one.
    assert.equal(copy.again, copy.nameRange);
    assert.ok(copy.ports[0]?.range instanceof PackedRange);
    assert.ok(copy.keys.get('k') instanceof PackedRange);
    assert.equal(
      JSON.stringify({ ...copy, keys: [...copy.keys] }),
      JSON.stringify({ ...entry, keys: [...entry.keys] }),
    );
    // The original is untouched.
    assert.equal(entry.nameRange, shared);
  });
});
