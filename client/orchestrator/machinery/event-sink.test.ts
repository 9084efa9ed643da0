import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { EventRecorder } from './event-recorder';
import { EventSink } from './event-sink';
import { EVENTS } from './informer-factory';

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } });
const cm = (name: string) => ({ apiVersion: 'v1', kind: 'ConfigMap', metadata: { name, namespace: 'default' } });
const turn = () => new Promise<void>((resolve) => setImmediate(resolve));
const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

/** Waits (up to 5 s) until `done` says so: the log's fsyncs take real time. */
async function until(done: () => boolean): Promise<void> {
  for (let i = 0; i < 500 && !done(); i++) await sleep(10);
}

async function withLoggedStore(fn: (store: ObjectStore, clock: FakeClock) => Promise<void>): Promise<void> {
  const dir = mkdtempSync(join(tmpdir(), 'kw-event-sink-'));
  const clock = new FakeClock();
  const store = await ObjectStore.open({ clock, dataDir: dir });
  try {
    await fn(store, clock);
  } finally {
    await store.close();
    rmSync(dir, { recursive: true, force: true });
  }
}

/** Writes ConfigMaps one after the other, each as soon as the one before is acknowledged, until stopped. */
function keepWriting(store: ObjectStore): { stop: () => Promise<number> } {
  let stopped = false;
  const loop = (async () => {
    let n = 0;
    while (!stopped) await store.create('/configmaps', cm(`busy-${n++}`));
    return n;
  })();
  return {
    stop: () => {
      stopped = true;
      return loop;
    },
  };
}

describe('EventSink', () => {
  it("a burst's Events are stored after its writes, in the order recorded, with the times they were recorded", async () => {
    await withLoggedStore(async (store, clock) => {
      const recorder = new EventRecorder(store, clock);
      const record = recorder.for({ component: 'default-scheduler' });
      const recordedAt: string[] = [];
      const writes: Promise<unknown>[] = [];
      for (let i = 0; i < 20; i++) {
        const p = await store.create('/pods', pod(`p-${i}`));
        clock.advance(1000);
        recordedAt.push(new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z'));
        record(p, 'Normal', 'Scheduled', `Successfully assigned default/p-${i} to node-1`);
        // The burst's next write is in flight before the Event could be written.
        writes.push(store.update('/pods', { ...p, metadata: { ...p.metadata }, spec: { nodeName: 'node-1' } }));
      }
      assert.equal(store.list(EVENTS, 'default').items.length, 0);
      await Promise.all(writes);
      const lastPodWrite = Number(store.resourceVersion);
      // Written later than recorded: the times still say when each happened.
      clock.advance(60_000);
      await until(() => store.list(EVENTS, 'default').items.length === 20);
      const events = store
        .list(EVENTS, 'default')
        .items.slice()
        .sort((a, b) => Number(a.metadata.resourceVersion) - Number(b.metadata.resourceVersion));
      assert.equal(events.length, 20);
      events.forEach((e, i) => {
        assert.equal(e.message, `Successfully assigned default/p-${i} to node-1`);
        assert.equal(e.firstTimestamp, recordedAt[i]);
        assert.equal(e.lastTimestamp, recordedAt[i]);
        assert.equal(e.count, 1);
        assert.ok(Number(e.metadata.resourceVersion) > lastPodWrite);
      });
    });
  });

  it('a repeat recorded later keeps the first time and takes its own as the last, whenever they are written', async () => {
    await withLoggedStore(async (store, clock) => {
      const recorder = new EventRecorder(store, clock);
      const record = recorder.for({ component: 'kubelet', host: 'node-1' });
      const p = await store.create('/pods', pod('p'));
      const first = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      record(p, 'Warning', 'BackOff', 'Back-off restarting failed container');
      clock.advance(5000);
      const last = new Date(clock.now()).toISOString().replace(/\.\d+Z$/, 'Z');
      record(p, 'Warning', 'BackOff', 'Back-off restarting failed container');
      clock.advance(60_000);
      await recorder.flush();
      const [event, ...others] = store.list(EVENTS, 'default').items;
      assert.equal(others.length, 0);
      assert.equal(event!.count, 2);
      assert.equal(event!.firstTimestamp, first);
      assert.equal(event!.lastTimestamp, last);
    });
  });

  it('while the store is never idle, at most maxWaiting items wait; the rest are written at once, oldest first', async () => {
    await withLoggedStore(async (store) => {
      const written: string[] = [];
      const sink = new EventSink<string>(
        store,
        (name) => {
          written.push(name);
          return store.create('/configmaps', cm(name)).then(() => undefined);
        },
        3,
      );
      const busy = keepWriting(store);
      await turn();
      for (let i = 0; i < 10; i++) sink.push(`event-${i}`);
      for (let i = 0; i < 20; i++) await turn();
      assert.deepEqual(
        written,
        Array.from({ length: 7 }, (_, i) => `event-${i}`),
      );
      assert.equal(sink.waiting, 3);
      assert.ok((await busy.stop()) > 0);
      await sink.flush();
      assert.deepEqual(
        written,
        Array.from({ length: 10 }, (_, i) => `event-${i}`),
      );
      assert.equal(
        store.list('/configmaps', 'default').items.filter((c) => c.metadata.name?.startsWith('event-')).length,
        10,
      );
    });
  });

  it('an item whose write throws or fails is dropped; the others are written and the flush ends', async () => {
    await withLoggedStore(async (store) => {
      const sink = new EventSink<string>(store, (name) => {
        if (name === 'throws') throw new Error('refused');
        if (name === 'fails') return Promise.reject(new Error('failed'));
        return store.create('/configmaps', cm(name)).then(() => undefined);
      });
      for (const name of ['a', 'throws', 'b', 'fails', 'c']) sink.push(name);
      await sink.flush();
      const names = store.list('/configmaps', 'default').items.map((c) => c.metadata.name);
      assert.deepEqual(names, ['a', 'b', 'c']);
    });
  });

  it('once the store is idle the waiting items are written without a flush', async () => {
    await withLoggedStore(async (store) => {
      const sink = new EventSink<string>(store, (name) => store.create('/configmaps', cm(name)).then(() => undefined));
      const busy = keepWriting(store);
      await turn();
      for (let i = 0; i < 600; i++) sink.push(`event-${i}`);
      for (let i = 0; i < 10; i++) await turn();
      assert.equal(sink.waiting, 600);
      await busy.stop();
      await until(() => sink.waiting === 0);
      assert.equal(sink.waiting, 0);
      await sink.flush();
      const names = store.list('/configmaps', 'default').items.map((c) => c.metadata.name ?? '');
      assert.equal(names.filter((n) => n.startsWith('event-')).length, 600);
    });
  });
});
