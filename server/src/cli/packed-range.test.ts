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
    for (const r of [
      range(0, 0, 0, 0),
      range(3, 7, 3, 19),
      range(0, 15 * 2 ** 20, 2 ** 31 - 1, 2 ** 31 - 1),
      // Around the short form's limits (columns under 4,096, spans under 64 lines).
      range(2 ** 31 - 1, 4095, 2 ** 31 - 1 + 63, 4095),
      range(7, 4096, 7, 0),
      range(7, 0, 7, 4096),
      range(7, 1, 7 + 64, 1),
      range(9, 5, 8, 5),
      range(1.5, 0, 2, 0),
      range(-1, 0, 0, 0),
    ]) {
      const packed = PackedRange.of(r);
      assert.ok(packed);
      assert.deepEqual({ start: packed.start, end: packed.end }, r, JSON.stringify(r));
      assert.equal(JSON.stringify(packed), JSON.stringify(r));
    }
  });

  it('packs only plain ranges', () => {
    for (const r of [range(1, 2, 3, 4), range(1, 2, 3, 5000)]) {
      const packed = PackedRange.of(r);
      assert.ok(packed);
      assert.equal(PackedRange.of(packed), undefined);
    }
    for (const other of [
      {},
      { start: 'a', end: 'b' },
      { start: { line: 1 }, end: { line: 2, character: 0 } },
      { start: { line: '1', character: 0 }, end: { line: 2, character: 0 } },
      [range(0, 0, 0, 0)],
      new Map([['start', 1]]),
      { ...range(0, 0, 0, 1), uri: 'file:///a.yaml' },
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
    const isPacked = (v: unknown): boolean => typeof v === 'object' && v !== null && !Object.hasOwn(v, 'start');
    assert.ok(isPacked(copy.nameRange));
    // One range met twice stays one.
    assert.equal(copy.again, copy.nameRange);
    assert.ok(isPacked(copy.ports[0]?.range));
    assert.ok(isPacked(copy.keys.get('k')));
    assert.equal(
      JSON.stringify({ ...copy, keys: [...copy.keys] }),
      JSON.stringify({ ...entry, keys: [...entry.keys] }),
    );
    // The original is untouched.
    assert.equal(entry.nameRange, shared);
  });
});
