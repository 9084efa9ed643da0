import { strict as assert } from 'node:assert';
import { mkdtempSync, readdirSync, readFileSync, rmSync, truncateSync, unlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import type { KubeObject } from './object';
import { ObjectStore } from './object-store';
import { load, StoreDamageError } from './stored-state';

const CM = '/configmaps';
const cm = (name: string): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
});

/** A store with a, b in the snapshot and c, d, e in the log after it. */
async function storeDir(): Promise<string> {
  const dir = mkdtempSync(join(tmpdir(), 'kw-state-'));
  const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
  for (const n of ['a', 'b']) await store.create(CM, cm(n));
  await store.compact();
  for (const n of ['c', 'd', 'e']) await store.create(CM, cm(n));
  await store.close();
  return dir;
}

const names = (entries: [string, string, KubeObject][]) => entries.map((e) => e[2].metadata.name).sort();
const files = (dir: string) => readdirSync(dir).sort();

/** Each damage is refused naming the file (nothing changed); with recover the file is kept aside. */
async function damaged(
  damage: (dir: string) => void,
  expected: { file: string; message: RegExp; recovered: string[]; aside?: string },
): Promise<void> {
  const dir = await storeDir();
  try {
    damage(dir);
    const before = files(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]);
    await assert.rejects(load(dir), (e: Error) => {
      assert.ok(e instanceof StoreDamageError, String(e));
      assert.ok(e.message.includes(join(dir, expected.file)), e.message);
      assert.match(e.message, expected.message);
      assert.match(e.message, /--recover/);
      return true;
    });
    assert.deepEqual(
      files(dir).map((f) => [f, readFileSync(join(dir, f), 'utf8')]),
      before,
      'a refusal changes nothing',
    );
    const lines: string[] = [];
    const store = await ObjectStore.open({
      clock: new FakeClock(),
      dataDir: dir,
      recover: true,
      report: (l) => lines.push(l),
    });
    assert.deepEqual(
      store.list(CM).items.map((o) => o.metadata.name),
      expected.recovered,
    );
    assert.match(lines.join('\n'), new RegExp(`recovered ${expected.recovered.length} objects`));
    assert.ok(lines.join('\n').includes(join(dir, expected.file)), lines.join('\n'));
    const aside = files(dir).filter((f) => f.includes('.damaged-'));
    assert.ok(
      aside.some((f) => f.startsWith(expected.aside ?? expected.file)),
      `kept aside: ${aside.join(', ')}`,
    );
    await store.create(CM, cm('after'));
    await store.close();
    // What was recovered is whole again: the next start is clean.
    const again = await load(dir);
    assert.deepEqual(names(again.entries), [...expected.recovered, 'after'].sort());
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

describe('loading a damaged store', () => {
  it('refuses an empty snapshot', () =>
    damaged((dir) => truncateSync(join(dir, 'snapshot.json'), 0), {
      file: 'snapshot.json',
      message: /snapshot\.json: it is empty/,
      recovered: ['c', 'd', 'e'],
    }));

  it('refuses a truncated snapshot', () =>
    damaged((dir) => truncateSync(join(dir, 'snapshot.json'), 40), {
      file: 'snapshot.json',
      message: /cannot be read/,
      recovered: ['c', 'd', 'e'],
    }));

  it('refuses a missing snapshot the log names', () =>
    damaged((dir) => unlinkSync(join(dir, 'snapshot.json')), {
      file: 'snapshot.json',
      message: /snapshot\.json is missing; .*resourceVersion 2/,
      recovered: ['c', 'd', 'e'],
      aside: 'wal.jsonl',
    }));

  it('refuses a log with a record missing from the middle', () =>
    damaged(
      (dir) => {
        const path = join(dir, 'wal.jsonl');
        const lines = readFileSync(path, 'utf8').split('\n');
        writeFileSync(path, lines.filter((l) => !l.includes('"default/d"')).join('\n'));
      },
      { file: 'wal.jsonl', message: /resourceVersion 4 to 4 are missing/, recovered: ['a', 'b', 'c', 'e'] },
    ));

  it('refuses a corrupt line before the last', () =>
    damaged(
      (dir) => {
        const path = join(dir, 'wal.jsonl');
        writeFileSync(path, readFileSync(path, 'utf8').replace('"default/d"', '"default/d'));
      },
      { file: 'wal.jsonl', message: /unreadable record at byte \d+/, recovered: ['a', 'b', 'c', 'e'] },
    ));

  it('still cuts a torn last line off silently, saying so in the log', async () => {
    const dir = await storeDir();
    try {
      const path = join(dir, 'wal.jsonl');
      writeFileSync(path, readFileSync(path, 'utf8') + '{"rv":6,"r":"/configmaps","k":"defa');
      const lines: string[] = [];
      const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir, report: (l) => lines.push(l) });
      assert.deepEqual(names(store.list(CM).items.map((o) => ['', '', o as KubeObject])), ['a', 'b', 'c', 'd', 'e']);
      assert.match(lines.join('\n'), /wal\.jsonl: dropped an incomplete last record/);
      assert.equal(
        files(dir).some((f) => f.includes('.damaged-')),
        false,
      );
      await store.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
