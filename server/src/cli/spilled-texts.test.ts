/**
 * `validate`'s messages in a nameless temporary file read back as they were
 * given (lone surrogates, empty, longer than a block, repeated, read in any
 * order, before and after being written out), leaving nothing in the folder;
 * where no file can be made (a folder that does not exist, a file instead of a
 * folder) they stay in memory and read back the same.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { seeded } from '../test-support/seeded-random.js';
import { SpilledTexts } from './spilled-texts.js';
import { StringTable } from './string-table.js';

function texts(seed: number, count: number): string[] {
  const random = seeded(seed);
  const pieces = ['', 'é', '漢字', '\ud800', '\udc00x', '😀', '"<&>', '\n\r\t', '\0', 'ConfigMap `cfg-'];
  const out: string[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    if (r < 0.3 && out.length > 0) out.push(out[Math.floor(random() * out.length)] ?? '');
    else if (r < 0.31) out.push('x'.repeat(40_000 + i) + '\ud83d');
    else {
      let t = '';
      for (let k = Math.floor(random() * 8); k > 0; k--) t += pieces[Math.floor(random() * pieces.length)] ?? '';
      out.push(`${t}${i}`);
    }
  }
  return out;
}

function roundTrip(directory: string | undefined, given: readonly string[], seed: number): boolean {
  const spilled = new SpilledTexts(new StringTable(), directory);
  const ids: number[] = [];
  const random = seeded(seed);
  given.forEach((t, i) => {
    ids.push(spilled.put(t));
    // Some read back while still being written.
    if (random() < 0.1) {
      const k = Math.floor(random() * (i + 1));
      assert.equal(spilled.get(ids[k] ?? -1), given[k], `text ${k} during`);
    }
  });
  const order = given.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  for (const i of [...given.keys(), ...order]) assert.equal(spilled.get(ids[i] ?? -1), given[i], `text ${i}`);
  const was = spilled.spilled;
  spilled.close();
  return was;
}

describe('SpilledTexts', () => {
  it('reads back every text as given, from a file that has no name', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kw-spill-test-'));
    try {
      for (const seed of [1, 2, 3]) {
        assert.equal(roundTrip(directory, texts(seed, 12_000), seed), true);
        assert.deepEqual(readdirSync(directory), []);
      }
      const open = new SpilledTexts(new StringTable(), directory);
      assert.equal(open.spilled, true);
      open.put('held');
      assert.deepEqual(readdirSync(directory), [], 'nothing named while open');
      open.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('reads a text written after the block last read back, when that block reached the end of the file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kw-spill-test-'));
    try {
      const spilled = new SpilledTexts(new StringTable(), directory);
      const text = (i: number) => `${String(i).padStart(4, '0')}${'m'.repeat(996)}`; // 2,000 bytes each
      const ids: number[] = [];
      for (let i = 0; i < 40; i++) ids.push(spilled.put(text(i)));
      // The last text written out so far: its block is read from where the file then ended.
      assert.equal(spilled.get(ids[31] ?? -1), text(31));
      for (let i = 40; i < 80; i++) ids.push(spilled.put(text(i)));
      // Written out since, inside that block's span.
      for (const i of [33, 40, 63]) assert.equal(spilled.get(ids[i] ?? -1), text(i), `text ${i}`);
      spilled.close();
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('keeps texts in memory where no temporary file can be made', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kw-spill-test-'));
    try {
      const file = join(directory, 'a-file');
      writeFileSync(file, '');
      for (const where of [join(directory, 'missing', 'deeper'), file, undefined])
        assert.equal(roundTrip(where, texts(7, 3_000), 7), false, String(where));
      assert.deepEqual(readdirSync(directory), ['a-file']);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});
