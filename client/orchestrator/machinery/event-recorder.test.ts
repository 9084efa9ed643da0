import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { EventRecorder } from './event-recorder';
import { EVENTS } from './informer-factory';

const pod = (name: string) => ({ apiVersion: 'v1', kind: 'Pod', metadata: { name, namespace: 'default' } });

describe('EventRecorder', () => {
  it('writes each Event whole, the parts Events repeat shared between them', async () => {
    const clock = new FakeClock();
    const store = await ObjectStore.open({ clock });
    const recorder = new EventRecorder(store, clock);
    const a = await store.create('/pods', pod('a'));
    const b = await store.create('/pods', pod('b'));
    const kubelet = recorder.for({ component: 'kubelet', host: 'node-1' });
    const image = 'nginx:1.27';
    for (const p of [a, b]) {
      kubelet(p, 'Normal', 'Pulled', `Container image "${image}" already present on machine`);
      kubelet(p, 'Normal', 'Created', `Created container ${'app'}`);
    }
    const moved = await store.update('/pods', { ...a, metadata: { ...a.metadata }, spec: { nodeName: 'node-1' } });
    kubelet(moved, 'Normal', 'Started', 'Started container app');
    await recorder.flush();
    const events = store.list(EVENTS, 'default').items;
    assert.equal(events.length, 5);
    const of = (p: typeof a, reason: string) =>
      events.find((e) => (e.involvedObject as { uid: string }).uid === p.metadata.uid && e.reason === reason)!;
    for (const p of [a, b]) {
      const pulled = of(p, 'Pulled');
      assert.deepEqual(pulled.involvedObject, {
        apiVersion: 'v1',
        kind: 'Pod',
        name: p.metadata.name,
        namespace: 'default',
        uid: p.metadata.uid,
        resourceVersion: p.metadata.resourceVersion,
      });
      assert.equal(pulled.message, 'Container image "nginx:1.27" already present on machine');
      assert.deepEqual(pulled.source, { component: 'kubelet', host: 'node-1' });
      assert.ok(Object.isFrozen(pulled.involvedObject) && Object.isFrozen(pulled.source));
      // Two Events about one version of a pod name it with one object.
      assert.equal(of(p, 'Created').involvedObject, pulled.involvedObject);
    }
    assert.equal(of(a, 'Pulled').source, of(b, 'Pulled').source);
    const started = of(a, 'Started');
    assert.notEqual(started.involvedObject, of(a, 'Pulled').involvedObject);
    assert.equal(
      (started.involvedObject as { resourceVersion: string }).resourceVersion,
      moved.metadata.resourceVersion,
    );
  });

  it('stores an Event as a client reads it: its keys in their order, the metadata the store fills in', async () => {
    const clock = new FakeClock();
    const store = await ObjectStore.open({ clock });
    const recorder = new EventRecorder(store, clock);
    const p = await store.create('/pods', pod('p'));
    recorder.for({ component: 'kubelet', host: 'node-1' })(p, 'Normal', 'Pulled', 'Pulled image');
    recorder.for({ component: 'default-scheduler' })(p, 'Normal', 'Scheduled', 'Assigned');
    await recorder.flush();
    const events = store.list(EVENTS, 'default').items;
    assert.equal(events.length, 2);
    for (const e of events) {
      const { name, uid, creationTimestamp, resourceVersion } = e.metadata;
      assert.deepEqual(JSON.parse(JSON.stringify(e)), {
        apiVersion: 'v1',
        kind: 'Event',
        metadata: { name, namespace: 'default', uid, creationTimestamp, generation: 1, resourceVersion },
        involvedObject: {
          apiVersion: 'v1',
          kind: 'Pod',
          name: 'p',
          namespace: 'default',
          uid: p.metadata.uid,
          resourceVersion: p.metadata.resourceVersion,
        },
        reason: e.reason,
        message: e.reason === 'Pulled' ? 'Pulled image' : 'Assigned',
        source: e.reason === 'Pulled' ? { component: 'kubelet', host: 'node-1' } : { component: 'default-scheduler' },
        firstTimestamp: creationTimestamp,
        lastTimestamp: creationTimestamp,
        count: 1,
        type: 'Normal',
        eventTime: null,
        reportingComponent: e.reason === 'Pulled' ? 'kubelet' : 'default-scheduler',
        reportingInstance: e.reason === 'Pulled' ? 'node-1' : '',
      });
      // The same text, key order included, as a client (and the log) gets it.
      assert.equal(
        JSON.stringify(e),
        JSON.stringify({
          apiVersion: 'v1',
          kind: 'Event',
          metadata: { name, namespace: 'default', uid, creationTimestamp, generation: 1, resourceVersion },
          ...Object.fromEntries(Object.entries(e).slice(3)),
        }),
      );
      assert.match(uid ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-4[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
      assert.match(creationTimestamp ?? '', /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\dZ$/);
      assert.equal(resourceVersion, String(Number(resourceVersion)));
      assert.match(name ?? '', /^p\.[0-9a-f]+$/);
    }
  });

  it('an object that is not stored (not frozen) is named as it is when each Event is recorded', async () => {
    const clock = new FakeClock();
    const store = await ObjectStore.open({ clock });
    const recorder = new EventRecorder(store, clock);
    const loose = {
      ...pod('loose'),
      metadata: { name: 'loose', namespace: 'default', uid: 'u1', resourceVersion: '1' },
    };
    const record = recorder.for({ component: 'test' });
    record(loose, 'Normal', 'One', 'first');
    loose.metadata.resourceVersion = '2';
    record(loose, 'Normal', 'Two', 'second');
    // Changed again before either is written: each names the version it was recorded about.
    loose.metadata.resourceVersion = '3';
    await recorder.flush();
    const versions = store
      .list(EVENTS, 'default')
      .items.map((e) => `${String(e.reason)} ${(e.involvedObject as { resourceVersion: string }).resourceVersion}`)
      .sort();
    assert.deepEqual(versions, ['One 1', 'Two 2']);
  });

  it('a repeat bumps the count of the one Event; one deleted meanwhile is written anew', async () => {
    const clock = new FakeClock();
    const store = await ObjectStore.open({ clock });
    const recorder = new EventRecorder(store, clock);
    const p = await store.create('/pods', pod('p'));
    const record = recorder.for({ component: 'kubelet', host: 'node-1' });
    // Recorded twice before the first is written, then once more after it.
    record(p, 'Warning', 'BackOff', 'Back-off restarting failed container');
    record(p, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.flush();
    clock.advance(1000);
    record(p, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.flush();
    const [event, ...others] = store.list(EVENTS, 'default').items;
    assert.equal(others.length, 0);
    assert.equal(event!.count, 3);
    assert.notEqual(event!.firstTimestamp, event!.lastTimestamp);
    const name = event!.metadata.name ?? '';
    await store.delete(EVENTS, 'default', name);
    record(p, 'Warning', 'BackOff', 'Back-off restarting failed container');
    await recorder.flush();
    const again = store.list(EVENTS, 'default').items;
    assert.deepEqual(
      again.map((e) => [e.metadata.name, e.count, e.reason]),
      [[name, 1, 'BackOff']],
    );
  });

  it('the spam filter and the aggregation count Events by when they were recorded, however late they are written', async () => {
    const clock = new FakeClock();
    const store = await ObjectStore.open({ clock });
    const recorder = new EventRecorder(store, clock);
    const p = await store.create('/pods', pod('p'));
    const record = recorder.for({ component: 'kubelet', host: 'node-1' });
    // 20 at once (25 allowed, then one per 5 minutes), 6 minutes (one more allowed) later 10 more, all written
    // 20 minutes after the first: 26 go through, the 10th distinct message on folded into one combined Event.
    for (let i = 0; i < 20; i++) record(p, 'Warning', 'Failed', `failure ${i}`);
    clock.advance(360_000);
    for (let i = 20; i < 30; i++) record(p, 'Warning', 'Failed', `failure ${i}`);
    clock.advance(840_000);
    await recorder.flush();
    const events = store.list(EVENTS, 'default').items;
    const combined = events.filter((e) => String(e.message).startsWith('(combined from similar events): '));
    assert.equal(events.length - combined.length, 9);
    assert.equal(combined.length, 1);
    assert.equal(combined[0]!.count, 17);
    assert.equal(combined[0]!.message, '(combined from similar events): failure 25');
  });

  it('objects told apart by kind, namespace and name even when they carry the same uid', async () => {
    const clock = new FakeClock();
    const store = await ObjectStore.open({ clock });
    const recorder = new EventRecorder(store, clock);
    const record = recorder.for({ component: 'test' });
    const made = (name: string) => ({ ...pod(name), metadata: { name, namespace: 'default', uid: 'same' } });
    for (const obj of [made('x'), made('y'), made('x')]) record(obj, 'Normal', 'Seen', 'seen');
    await recorder.flush();
    const events = store.list(EVENTS, 'default').items;
    assert.deepEqual(events.map((e) => `${(e.involvedObject as { name: string }).name} ${String(e.count)}`).sort(), [
      'x 2',
      'y 1',
    ]);
    // Event names are the object's name and a hexadecimal suffix.
    for (const e of events) assert.match(e.metadata.name ?? '', /^[xy]\.[0-9a-f]+$/);
  });
});
