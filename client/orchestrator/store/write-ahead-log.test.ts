import { strict as assert } from 'node:assert';
import { appendFileSync, existsSync, mkdtempSync, readFileSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { batchBytes, encodeRecord, load, WriteAheadLog, type SnapshotState } from './write-ahead-log';

const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
const empty = (): SnapshotState => ({ rv: 0, entries: [] });
const sleep = (ms: number) => new Promise((r) => setTimeout(r, ms));

describe('WriteAheadLog', () => {
  it('drops a torn last line and cuts it from the file', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-wal-'));
    try {
      const { wal } = await WriteAheadLog.open(dir, empty);
      await wal.append({ rv: 1, r: '/configmaps', k: 'default/a', o: cm('a') });
      await wal.append({ rv: 2, r: '/configmaps', k: 'default/b', o: cm('b') });
      await wal.close();
      appendFileSync(join(dir, 'wal.jsonl'), '{"rv":3,"r":"/configmaps","k":"default/c","o":{"api');
      const state = await load(dir);
      assert.equal(state.tornTail, true);
      assert.equal(state.rv, 2);
      assert.deepEqual(
        state.entries.map((e) => e[1]),
        ['default/a', 'default/b'],
      );
      assert.ok(readFileSync(join(dir, 'wal.jsonl'), 'utf8').endsWith('"b","namespace":"default"}}}\n'));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a log damaged before its last line', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-wal-'));
    try {
      appendFileSync(join(dir, 'wal.jsonl'), 'garbage\n{"rv":1,"r":"/configmaps","k":"default/a","o":null}\n');
      await assert.rejects(load(dir), /unreadable record at byte 0/);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('shares one fsync between appends made together and keeps their order', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-wal-'));
    try {
      const { wal } = await WriteAheadLog.open(dir, empty);
      const order: number[] = [];
      await Promise.all(
        [1, 2, 3, 4].map((rv) =>
          wal.append({ rv, r: '/configmaps', k: `default/${rv}`, o: cm(String(rv)) }).then(() => order.push(rv)),
        ),
      );
      await wal.close();
      assert.deepEqual(order, [1, 2, 3, 4]);
      const lines = readFileSync(join(dir, 'wal.jsonl'), 'utf8').trim().split('\n');
      assert.deepEqual(
        lines.map((l) => (JSON.parse(l) as { rv: number }).rv),
        [1, 2, 3, 4],
      );
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('replays only log lines newer than the snapshot', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-wal-'));
    try {
      let snapshot: SnapshotState = empty();
      const { wal } = await WriteAheadLog.open(dir, () => snapshot);
      await wal.append({ rv: 1, r: '/configmaps', k: 'default/a', o: cm('a') });
      snapshot = { rv: 1, entries: [['/configmaps', 'default/a', cm('a')]] };
      await wal.compact();
      await wal.append({ rv: 2, r: '/configmaps', k: 'default/a', o: null });
      await wal.close();
      const state = await load(dir);
      assert.equal(state.rv, 2);
      assert.equal(state.replayed, 1);
      assert.deepEqual(state.entries, []);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compacts once the writes pause, or at once when the log is four times due and 16 times compactBytes', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-wal-'));
    try {
      let rv = 0;
      const state = (): SnapshotState => ({ rv, entries: [] });
      const { wal } = await WriteAheadLog.open(dir, state, { compactBytes: 1000, quietMs: 100 });
      const logBytes = () => statSync(join(dir, 'wal.jsonl')).size;
      const burst = (n: number) =>
        Promise.all(
          Array.from({ length: n }, () => {
            rv++;
            return wal.append({ rv, r: '/configmaps', k: `default/c${rv}`, o: cm(`c${rv}`) });
          }),
        );
      // Past compactBytes in one batch: still the whole log, no snapshot until the writes pause.
      await burst(20);
      assert.ok(logBytes() > 1000 && logBytes() < 4000, `${logBytes()} bytes`);
      assert.equal(existsSync(join(dir, 'snapshot.json')), false);
      const deadline = Date.now() + 10_000;
      while (!existsSync(join(dir, 'snapshot.json')) && Date.now() < deadline) await sleep(20);
      assert.ok(existsSync(join(dir, 'snapshot.json')), 'compacted after the pause');
      await wal.flushed();
      assert.ok(logBytes() < 100, `${logBytes()} bytes after compaction`);
      // Four times due and 16 times compactBytes in one batch: compacted before the log is idle again.
      await burst(200);
      await wal.flushed();
      assert.ok(logBytes() < 100, `${logBytes()} bytes after a big burst`);
      await wal.close();
      const loaded = await load(dir);
      assert.equal(loaded.rv, rv);
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});

describe('encodeRecord and batchBytes', () => {
  it('encode a record as its JSON line in UTF-8, non-ASCII and lone surrogates included', () => {
    for (const value of ['plain', 'é ü € 😀', '\ud800 alone', '\udc00\ud800', 'y'.repeat(70_000), '\u00ff\n"\\']) {
      const record = {
        rv: 7,
        r: '/configmaps',
        k: 'default/a',
        o: { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'a' }, data: { value } },
      };
      const bytes = encodeRecord(record);
      assert.deepEqual(bytes, Buffer.from(`${JSON.stringify(record)}\n`));
      assert.deepEqual(JSON.parse(bytes.toString('utf8')), record);
    }
    assert.throws(() => encodeRecord({ rv: 1, r: '/x', k: 'a', o: { n: 1n } as never }));
  });

  it('batchBytes is the batch joined', () => {
    const lines = [
      '{"a":1}\n',
      '{"é":"ü€😀"}\n',
      '',
      '{"x":"\ud800"}\n',
      `${'y'.repeat(70_000)}\n`,
      '{"z":"\u00ff"}\n',
    ];
    for (let n = 0; n <= lines.length; n++) {
      const batch = lines.slice(0, n).map((line) => ({ line: Buffer.from(line) }));
      assert.deepEqual(batchBytes(batch), Buffer.from(lines.slice(0, n).join('')));
    }
  });

  it('batchBytes of lines encoded in a row, across chunks and beside lines of their own, is their text joined', () => {
    const records = Array.from({ length: 2_000 }, (_, i) => ({
      rv: i + 1,
      r: '/configmaps',
      k: `default/c${i}`,
      o: { ...cm(`c${i}`), data: { value: i % 7 === 0 ? `é😀${'z'.repeat(i * 13)}` : '\ud800' } },
    }));
    const lines = records.map((record) => ({ line: encodeRecord(record) }));
    const text = records.map((record) => `${JSON.stringify(record)}\n`);
    for (let i = 0; i < records.length; i++) assert.equal(lines[i]!.line.toString('utf8'), text[i]);
    for (const size of [2, 3, 40, 333, 2_000])
      for (let i = 0; i < records.length; i += size)
        assert.equal(batchBytes(lines.slice(i, i + size)).toString('utf8'), text.slice(i, i + size).join(''));
    // Lines encoded later do not change the bytes of earlier ones.
    const before = batchBytes(lines.slice(0, 50)).toString('utf8');
    for (let i = 0; i < 500; i++)
      encodeRecord({ rv: i, r: '/x', k: 'y', o: { ...cm('w'), data: { v: 'w'.repeat(i) } } });
    assert.equal(batchBytes(lines.slice(0, 50)).toString('utf8'), before);
  });
});
