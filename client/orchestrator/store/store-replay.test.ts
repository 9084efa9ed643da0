import { strict as assert } from 'node:assert';
import { cpSync, mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import type { KubeObject } from './object';
import { ObjectStore, type StoreEvent } from './object-store';
import { load, type LoadedState } from './write-ahead-log';

const PODS = '/pods';

function seeded(seed: number): () => number {
  let s = seed >>> 0;
  return () => {
    s = (s * 1664525 + 1013904223) >>> 0;
    return s / 2 ** 32;
  };
}

function pod(name: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: { name, namespace: 'default', labels: { app: 'x' } },
    spec: { containers: [{ name: 'app', image: 'nginx' }], tolerations: [] },
    status: { phase: 'Pending' },
  };
}

/** The state as text, object by object in key order: equal text, equal store (key order inside objects too). */
function text(entries: Iterable<[string, string]>): string {
  return JSON.stringify([...entries].sort((a, b) => (a[0] < b[0] ? -1 : 1)));
}

function loadedText(state: LoadedState): string {
  return text(state.entries.map(([r, k, o]) => [`${r} ${k}`, JSON.stringify(o)]));
}

/**
 * Random writes (creates, status writes as the kubelet makes them, bindings, full updates with keys
 * reordered, deletes with and without finalizers), some concurrent, with compactions in between, then `tail`
 * writes one at a time after a last compaction. Answers the state after every resourceVersion, as watchers saw it.
 */
async function churn(
  dir: string,
  seed: number,
  writes: number,
  tail = 0,
): Promise<{ states: Map<number, string>; store: ObjectStore }> {
  const rand = seeded(seed);
  const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir, compactBytes: 16 * 1024 });
  const model = new Map<string, string>();
  const states = new Map<number, string>([[0, text([])]]);
  store.subscribe('*', (e: StoreEvent) => {
    const key = `${e.resource} ${e.object.metadata.namespace}/${e.object.metadata.name}`;
    if (e.type === 'DELETED') model.delete(key);
    else model.set(key, JSON.stringify(e.object));
    states.set(e.rv, text(model));
  });
  const names = Array.from({ length: 12 }, (_, i) => `p${i}`);
  const one = async (): Promise<void> => {
    const name = names[Math.floor(rand() * names.length)]!;
    const old = store.get(PODS, 'default', name);
    const r = rand();
    if (!old) return void (await store.create(PODS, pod(name)));
    if (r < 0.35) {
      const status = {
        ...(old.status as object),
        phase: rand() < 0.5 ? 'Running' : 'Pending',
        n: Math.floor(rand() * 9),
      };
      const conditions = rand();
      if (conditions < 0.3) Object.assign(status, { conditions: [{ type: 'Ready', status: 'True' }] });
      else if (conditions < 0.5) delete (status as { conditions?: unknown }).conditions;
      await store.update(PODS, { ...old, status }, { statusOnly: true });
    } else if (r < 0.5) {
      const spec = { ...(old.spec as object), nodeName: `node-${Math.floor(rand() * 3)}` };
      await store.update(PODS, { ...old, metadata: { ...old.metadata }, spec }, { fresh: true });
    } else if (r < 0.65) {
      // A full update as a client sends it: keys in another order, a label added or removed, an odd key.
      const copy = JSON.parse(JSON.stringify(old)) as KubeObject;
      const labels = { ...copy.metadata.labels };
      if (rand() < 0.5) labels[`l${Math.floor(rand() * 3)}`] = 'v';
      else delete labels.app;
      const { kind, apiVersion, ...rest } = copy;
      const reordered = { kind, apiVersion, ...rest, metadata: { ...copy.metadata, labels } };
      if (rand() < 0.3)
        Object.defineProperty(reordered, '__proto__', {
          value: { x: 1 },
          enumerable: true,
          writable: true,
          configurable: true,
        });
      await store.update(PODS, rand() < 0.5 ? reordered : copy);
    } else if (r < 0.75) {
      await store.delete(PODS, 'default', name, rand() < 0.5 ? { finalizers: ['keep'] } : {});
    } else if (r < 0.85 && old.metadata.finalizers) {
      const metadata = { ...old.metadata, finalizers: [] as string[] };
      await store.update(PODS, { ...old, metadata });
    } else await store.delete(PODS, 'default', name).catch(() => undefined);
  };
  for (let n = 0; n < writes;) {
    const together = 1 + Math.floor(rand() * 4);
    await Promise.all(Array.from({ length: together }, () => one().catch(() => undefined)));
    n += together;
    if (rand() < 0.02) await store.compact();
  }
  // Then writes on top of the last snapshot, without another compaction.
  await store.compact();
  for (let n = 0; n < tail; n++) await one().catch(() => undefined);
  return { states, store };
}

describe('the log replayed equals the store in memory (updates logged as changes)', () => {
  it('after a random sequence of writes and compactions, over several seeds', async () => {
    for (const seed of [1, 2, 3]) {
      const dir = mkdtempSync(join(tmpdir(), 'kw-replay-'));
      try {
        const { states, store } = await churn(dir, seed, 500, 100);
        const rv = Number(store.resourceVersion);
        await store.close();
        const log = readFileSync(join(dir, 'wal.jsonl'), 'utf8');
        assert.match(log, /"b":\d+,"p":\[/, 'no update was logged as a change');
        const state = await load(dir);
        assert.equal(state.rv, rv);
        assert.equal(loadedText(state), states.get(rv));
        // And a store opened on it serves the same objects.
        const again = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
        const served = again
          .list(PODS)
          .items.map((o): [string, string] => [`${PODS} default/${o.metadata.name}`, JSON.stringify(o)]);
        assert.equal(text(served), states.get(rv));
        await again.close();
      } finally {
        rmSync(dir, { recursive: true, force: true });
      }
    }
  });

  it('a crash at every record boundary, and inside every record, loads the state of the last whole record', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-replay-'));
    const copy = mkdtempSync(join(tmpdir(), 'kw-replay-cut-'));
    try {
      const { states, store } = await churn(dir, 7, 300, 120);
      await store.close();
      const log = readFileSync(join(dir, 'wal.jsonl'));
      let start = 0;
      let checked = 0;
      while (start < log.length) {
        const end = log.indexOf(0x0a, start) + 1;
        for (const cut of [start, start + Math.floor((end - start) / 2), end]) {
          rmSync(copy, { recursive: true, force: true });
          cpSync(dir, copy, { recursive: true });
          writeFileSync(join(copy, 'wal.jsonl'), log.subarray(0, cut));
          const state = await load(copy);
          assert.equal(loadedText(state), states.get(state.rv), `cut at byte ${cut}`);
          checked++;
        }
        start = end;
      }
      assert.ok(checked > 30, `only ${checked} cuts`);
    } finally {
      rmSync(dir, { recursive: true, force: true });
      rmSync(copy, { recursive: true, force: true });
    }
  });

  it('a crash between writing the snapshot and cutting the log (the old log beside the new snapshot) loses nothing', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-replay-'));
    try {
      const { states, store } = await churn(dir, 11, 300);
      const before = readFileSync(join(dir, 'wal.jsonl'));
      await store.compact();
      const rv = Number(store.resourceVersion);
      await store.close();
      writeFileSync(join(dir, 'wal.jsonl'), before);
      const state = await load(dir);
      assert.equal(state.rv, rv);
      assert.equal(loadedText(state), states.get(rv));
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('refuses a change whose base version is not the one before it, naming it, and skips it with --recover', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-replay-'));
    try {
      const store = await ObjectStore.open({ clock: new FakeClock(), dataDir: dir });
      const created = await store.create(PODS, pod('a'));
      await store.update(PODS, { ...created, status: { phase: 'Running' } }, { statusOnly: true });
      await store.close();
      const path = join(dir, 'wal.jsonl');
      writeFileSync(path, readFileSync(path, 'utf8').replace('"b":1,', '"b":7,'));
      await assert.rejects(
        load(dir),
        /resourceVersion 2 at byte \d+ is to version 7 of \/pods default\/a, which is not there/,
      );
      const state = await load(dir, { recover: true });
      assert.equal((state.entries[0]![2].status as { phase: string }).phase, 'Pending');
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });
});
