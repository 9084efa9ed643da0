/**
 * `validate`'s index records out of memory: appended records read back byte
 * for byte whatever their size (empty, a few bytes, across the file's 4 KiB
 * windows, larger than a chunk), in any order, while being appended and after,
 * with every chunk in the file, with some kept in memory first and with none
 * (no folder); nothing is left in the folder. And the index entries themselves
 * (every fact of real documents) read back the same from the file.
 */
import assert from 'node:assert/strict';
import { mkdtempSync, readdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { seeded } from '../test-support/seeded-random.js';
import { FactArena } from './fact-arena.js';
import { SpilledBytes } from './spilled-bytes.js';
import { StringTable } from './string-table.js';

function records(seed: number, count: number): Uint8Array[] {
  const random = seeded(seed);
  const out: Uint8Array[] = [];
  for (let i = 0; i < count; i++) {
    const r = random();
    const size = r < 0.01 ? 300_000 + i : r < 0.05 ? 5_000 + i : r < 0.1 ? 0 : Math.floor(random() * 400);
    const bytes = new Uint8Array(size);
    for (let k = 0; k < size; k++) bytes[k] = (i * 31 + k * 7) & 0xff;
    out.push(bytes);
  }
  return out;
}

function read(spilled: SpilledBytes, position: number, length: number): Uint8Array {
  const at = spilled.locate(position, length);
  return Uint8Array.from(spilled.view.subarray(at, at + length));
}

function roundTrip(directory: string | undefined, budget: number, seed: number): boolean {
  const given = records(seed, 3_000);
  const spilled = new SpilledBytes(directory, budget, 'test records');
  const random = seeded(seed + 1);
  const positions: number[] = [];
  given.forEach((bytes, i) => {
    positions.push(spilled.append(bytes));
    if (random() < 0.1) {
      const k = Math.floor(random() * (i + 1));
      assert.deepEqual(read(spilled, positions[k] ?? 0, given[k]?.length ?? 0), given[k], `record ${k} during`);
    }
  });
  const order = given.map((_, i) => i);
  for (let i = order.length - 1; i > 0; i--) {
    const j = Math.floor(random() * (i + 1));
    [order[i], order[j]] = [order[j] ?? 0, order[i] ?? 0];
  }
  for (const i of [...given.keys(), ...order])
    assert.deepEqual(read(spilled, positions[i] ?? 0, given[i]?.length ?? 0), given[i], `record ${i}`);
  const was = spilled.spilled;
  spilled.close();
  return was;
}

describe('SpilledBytes', () => {
  it('reads back every record as appended, from a file that has no name, with any budget', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kw-spill-bytes-test-'));
    try {
      for (const [seed, budget] of [
        [1, 0],
        [2, 1 << 20],
        [3, 0],
      ] as const) {
        assert.equal(roundTrip(directory, budget, seed), true, `seed ${seed} spilled`);
        assert.deepEqual(readdirSync(directory), [], 'nothing left in the folder');
      }
      // Under the budget, nothing goes to a file.
      assert.equal(roundTrip(directory, 2 ** 40, 4), false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('keeps every record in memory where no file can be made', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kw-spill-bytes-test-'));
    try {
      const file = join(directory, 'a-file');
      writeFileSync(file, '');
      assert.equal(roundTrip(join(directory, 'missing'), 0, 5), false);
      assert.equal(roundTrip(file, 0, 6), false);
      assert.equal(roundTrip(undefined, 0, 7), false);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });

  it('gives the index entries back as they were put, from the file', () => {
    const directory = mkdtempSync(join(tmpdir(), 'kw-spill-bytes-test-'));
    try {
      const strings = new StringTable();
      const arena = new FactArena(strings, directory, 0);
      const random = seeded(8);
      const values: unknown[][] = [];
      const positions: number[] = [];
      for (let i = 0; i < 20_000; i++) {
        const fields = [
          { start: { line: i, character: 2 }, end: { line: i, character: 9 + (i % 50) } },
          { app: `web-${i % 300}`, tier: 'x'.repeat(i % 7) },
          i % 3 === 0 ? undefined : [1.5, -i, `name-${i}`, i % 11 === 0 ? 'y'.repeat(6_000) : '', null, true],
          new Map([[`key-${i % 9}`, { start: { line: 1, character: 0 }, end: { line: 1, character: 3 } }]]),
        ];
        values.push(fields);
        const at = arena.put(fields);
        assert.notEqual(at, undefined);
        positions.push(at ?? 0);
      }
      assert.equal(arena.spilled, true);
      for (let n = 0; n < 40_000; n++) {
        const i = n < 20_000 ? n : Math.floor(random() * values.length);
        const field = n % 4;
        const back = arena.read(positions[i] ?? 0, field, 4);
        assert.deepEqual(
          JSON.parse(JSON.stringify(back ?? null, replacer)),
          JSON.parse(JSON.stringify(values[i]?.[field] ?? null, replacer)),
          `entry ${i} field ${field}`,
        );
      }
      arena.close();
      assert.deepEqual(readdirSync(directory), []);
    } finally {
      rmSync(directory, { recursive: true, force: true });
    }
  });
});

/** Maps as their pairs, ranges as their numbers (a packed range reads back as one with getters). */
function replacer(_key: string, value: unknown): unknown {
  if (value instanceof Map) return [...(value as Map<unknown, unknown>)];
  if (typeof value === 'object' && value !== null && 'start' in value && 'end' in value) {
    const { start, end } = value as {
      start: { line: number; character: number };
      end: { line: number; character: number };
    };
    return [start.line, start.character, end.line, end.character];
  }
  return value;
}
