import { strict as assert } from 'node:assert';
import { promises as fs, mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import type { StatusError } from './errors';
import { MAX_NESTING_DEPTH, nestingDepth, type KubeObject } from './object';
import { ObjectStore } from './object-store';

const CM = '/configmaps';
const cm = (name: string, data: unknown = { k: name }): KubeObject => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data,
});

function nested(depth: number): unknown {
  let v: unknown = 'leaf';
  for (let i = 0; i < depth; i++) v = { a: v };
  return v;
}

async function inDir(run: (dir: string) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kw-store-fail-'));
  try {
    await run(dir);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Makes the next fsync of any file fail once (as a full or failing disk does), after the bytes were written. */
async function failNextSync(dir: string): Promise<void> {
  const probe = await fs.open(join(dir, 'probe'), 'w');
  const proto = Object.getPrototypeOf(probe) as { datasync: () => Promise<void> };
  await probe.close();
  const original = proto.datasync;
  proto.datasync = function () {
    proto.datasync = original;
    return Promise.reject(Object.assign(new Error('EIO: i/o error, fdatasync'), { code: 'EIO' }));
  };
}

describe('store failures', () => {
  it('reads as the log holds it: writes in flight do not show (and reads do not wait for them)', async () => {
    await inDir(async (dir) => {
      const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
      const a = await store.create(CM, cm('a'));
      await store.create(CM, cm('b'));
      await store.create(CM, cm('d'));
      const durable = store.durableResourceVersion;
      const names = () =>
        store.listDurable(CM, 'default').items.map((o) => `${o.metadata.name}=${JSON.stringify(o.data)}`);
      const inFlight = Promise.all([
        store.update(CM, { ...cm('a', { k: 'changed' }), metadata: { ...a.metadata } }),
        store.delete(CM, 'default', 'b'),
        store.create(CM, cm('c')),
      ]);
      // Not yet durable: the reads show the state before them, with the log's resourceVersion.
      assert.deepEqual(store.getDurable(CM, 'default', 'a')?.data, { k: 'a' });
      assert.ok(store.getDurable(CM, 'default', 'b'));
      assert.equal(store.getDurable(CM, 'default', 'c'), undefined);
      assert.deepEqual(
        store.listDurable(CM).items.map((o) => o.metadata.name),
        ['a', 'b', 'd'],
      );
      assert.equal(store.listDurable(CM).resourceVersion, durable);
      assert.equal(store.listDurable(CM, 'other').items.length, 0);
      // A watch started now: what the log holds, then the writes in flight as events once durable.
      const seen: string[] = [];
      const stop = store.watch(CM, {}, (e) => seen.push(`${e.type} ${e.object.metadata.name ?? ''}`));
      assert.deepEqual(seen, ['ADDED a', 'ADDED b', 'ADDED d']);
      await inFlight;
      stop();
      assert.deepEqual(seen.slice(3), ['MODIFIED a', 'DELETED b', 'ADDED c']);
      assert.deepEqual(names(), ['a={"k":"changed"}', 'c={"k":"c"}', 'd={"k":"d"}']);
      assert.equal(store.listDurable(CM).resourceVersion, store.resourceVersion);
      // A batch the log fails never shows at all.
      await failNextSync(dir);
      const failing = store.create(CM, cm('e'));
      assert.equal(store.getDurable(CM, 'default', 'e'), undefined);
      await assert.rejects(failing);
      assert.equal(store.getDurable(CM, 'default', 'e'), undefined);
      assert.deepEqual(
        store.listDurable(CM).items.map((o) => o.metadata.name),
        ['a', 'c', 'd'],
      );
      await store.close();
    });
  });

  it('undoes a write the log could not make durable, and the next write works', async () => {
    await inDir(async (dir) => {
      const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
      const a = await store.create(CM, cm('a'));
      await failNextSync(dir);
      // One batch: a new object, a change to an existing one and a removal all fail together.
      const next = { ...cm('a', { k: 'changed' }), metadata: { ...a.metadata } };
      const results = await Promise.allSettled([
        store.create(CM, cm('b')),
        store.update(CM, next),
        store.create(CM, cm('c')),
      ]);
      for (const r of results) {
        assert.equal(r.status, 'rejected');
        assert.equal((r.reason as StatusError).reason, 'InternalError');
      }
      assert.equal(store.get(CM, 'default', 'b'), undefined, 'a failed create is not served');
      assert.equal(store.get(CM, 'default', 'c'), undefined);
      assert.deepEqual(store.get(CM, 'default', 'a')?.data, { k: 'a' }, 'a failed update is undone');
      assert.equal(store.resourceVersion, a.metadata.resourceVersion);
      const d = await store.create(CM, cm('d'));
      assert.equal(d.metadata.resourceVersion, String(Number(a.metadata.resourceVersion) + 1));
      await store.close();
      assert.doesNotMatch(readFileSync(join(dir, 'wal.jsonl'), 'utf8'), /"default\/b"|changed/);
      const reopened = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
      assert.deepEqual(
        reopened.list(CM).items.map((o) => [o.metadata.name, o.data]),
        [
          ['a', { k: 'a' }],
          ['d', { k: 'd' }],
        ],
      );
      await reopened.close();
    });
  });

  it('refuses an object nested deeper than the limit without changing anything', async () => {
    await inDir(async (dir) => {
      const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
      await assert.rejects(store.create(CM, cm('deep', nested(MAX_NESTING_DEPTH))), (e: StatusError) => {
        assert.equal(e.reason, 'BadRequest');
        return true;
      });
      await assert.rejects(store.create(CM, cm('deeper', nested(1_000_000))), /nested more than 1000 levels/);
      assert.equal(store.resourceVersion, '0');
      // At the limit (the object is one level, data another): stored, and read back after a restart.
      const ok = await store.create(CM, cm('ok', nested(MAX_NESTING_DEPTH - 1)));
      assert.equal(nestingDepth(ok), MAX_NESTING_DEPTH);
      await store.close();
      const reopened = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
      assert.equal(nestingDepth(reopened.get(CM, 'default', 'ok')), MAX_NESTING_DEPTH);
      await reopened.close();
    });
  });

  it('creates its files 600 and its directory 700 whatever the umask, and tightens older ones', async () => {
    await inDir(async (root) => {
      const dir = join(root, 'store');
      const old = process.umask(0);
      try {
        const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
        await store.create(CM, cm('a'));
        await store.compact();
        await store.close();
        assert.equal(statSync(dir).mode & 0o777, 0o700);
        assert.equal(statSync(join(dir, 'wal.jsonl')).mode & 0o777, 0o600);
        assert.equal(statSync(join(dir, 'snapshot.json')).mode & 0o777, 0o600);
        await fs.chmod(dir, 0o755);
        await fs.chmod(join(dir, 'wal.jsonl'), 0o644);
        await fs.chmod(join(dir, 'snapshot.json'), 0o666);
        writeFileSync(join(dir, 'snapshot.json.tmp'), '', { mode: 0o666 });
        const again = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
        await again.close();
        assert.equal(statSync(dir).mode & 0o777, 0o700);
        assert.equal(statSync(join(dir, 'wal.jsonl')).mode & 0o777, 0o600);
        assert.equal(statSync(join(dir, 'snapshot.json')).mode & 0o777, 0o600);
      } finally {
        process.umask(old);
      }
    });
  });
});

describe('nestingDepth', () => {
  it('counts objects and arrays without recursion and stops past the limit', () => {
    assert.equal(nestingDepth('x'), 0);
    assert.equal(nestingDepth({ a: [1, { b: {} }] }), 4);
    assert.equal(nestingDepth(nested(5_000_000), 10), 11);
  });
});
