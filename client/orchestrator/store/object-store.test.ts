import { strict as assert } from 'node:assert';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import type { StatusError } from './errors';
import { MAX_NESTING_DEPTH, type KubeObject } from './object';
import { ObjectStore, type StoreEvent } from './object-store';

const DEPLOY = 'apps/deployments';

function deployment(name: string, replicas = 1): KubeObject {
  return { apiVersion: 'apps/v1', kind: 'Deployment', metadata: { name, namespace: 'default' }, spec: { replicas } };
}

async function memoryStore(clock = new FakeClock()): Promise<ObjectStore> {
  return ObjectStore.open({ clock });
}

describe('ObjectStore', () => {
  it('sets uid, creationTimestamp, generation and resourceVersion on create', async () => {
    const store = await memoryStore(new FakeClock(Date.UTC(2025, 4, 6, 7, 8, 9, 500)));
    const created = await store.create(DEPLOY, deployment('web'));
    assert.match(created.metadata.uid ?? '', /^[0-9a-f-]{36}$/);
    assert.equal(created.metadata.creationTimestamp, '2025-05-06T07:08:09Z');
    assert.equal(created.metadata.generation, 1);
    assert.equal(created.metadata.resourceVersion, '1');
    assert.equal(store.get(DEPLOY, 'default', 'web'), created);
  });

  it('refuses a second object with the same name', async () => {
    const store = await memoryStore();
    await store.create(DEPLOY, deployment('web'));
    await assert.rejects(store.create(DEPLOY, deployment('web')), (e: StatusError) => {
      assert.equal(e.reason, 'AlreadyExists');
      assert.equal(e.message, 'deployments.apps "web" already exists');
      return true;
    });
  });

  it('names objects from generateName', async () => {
    const store = await memoryStore();
    const obj = deployment('');
    obj.metadata = { generateName: 'web-', namespace: 'default' };
    const created = await store.create(DEPLOY, obj);
    assert.match(created.metadata.name ?? '', /^web-[a-z0-9]{5}$/);
  });

  it('returns frozen objects that callers cannot change', async () => {
    const store = await memoryStore();
    const created = await store.create(DEPLOY, deployment('web'));
    assert.ok(Object.isFrozen(created) && Object.isFrozen(created.metadata) && Object.isFrozen(created.spec));
    assert.throws(() => Object.defineProperty(created.spec, 'replicas', { value: 3 }), TypeError);
    assert.deepEqual(store.get(DEPLOY, 'default', 'web')?.spec, { replicas: 1 });
  });

  it('bumps generation only when the spec changes', async () => {
    const store = await memoryStore();
    const created = await store.create(DEPLOY, deployment('web'));
    const labelled = structuredClone(created) as KubeObject;
    labelled.metadata.labels = { app: 'web' };
    const v2 = await store.update(DEPLOY, labelled);
    assert.equal(v2.metadata.generation, 1);
    assert.equal(v2.metadata.resourceVersion, '2');
    const scaled = structuredClone(v2) as KubeObject;
    scaled.spec = { replicas: 3 };
    const v3 = await store.update(DEPLOY, scaled);
    assert.equal(v3.metadata.generation, 2);
    const status = structuredClone(v3) as KubeObject;
    status.status = { replicas: 3 };
    const v4 = await store.update(DEPLOY, status, { statusOnly: true });
    assert.equal(v4.metadata.generation, 2);
    assert.deepEqual(v4.status, { replicas: 3 });
  });

  it('rejects an update with a stale resourceVersion as a Conflict', async () => {
    const store = await memoryStore();
    const created = await store.create(DEPLOY, deployment('web'));
    await store.update(DEPLOY, { ...deployment('web', 2), metadata: { ...created.metadata } });
    await assert.rejects(
      store.update(DEPLOY, { ...deployment('web', 3), metadata: { ...created.metadata } }),
      (e: StatusError) => e.reason === 'Conflict' && e.code === 409 && /has been modified/.test(e.message),
    );
  });

  it('does not write an update that changes nothing', async () => {
    const store = await memoryStore();
    const created = await store.create(DEPLOY, deployment('web'));
    const same = await store.update(DEPLOY, structuredClone(created));
    assert.equal(same.metadata.resourceVersion, created.metadata.resourceVersion);
    assert.equal(store.resourceVersion, '1');
  });

  it('only marks an object with finalizers and removes it when they are gone', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const store = await memoryStore(clock);
    const obj = deployment('web');
    obj.metadata.finalizers = ['example.com/hold'];
    await store.create(DEPLOY, obj);
    const marked = await store.delete(DEPLOY, 'default', 'web');
    assert.equal(marked.removed, false);
    assert.equal(marked.object.metadata.deletionTimestamp, '2025-01-01T00:00:00Z');
    const released = structuredClone(marked.object) as KubeObject;
    released.metadata.finalizers = [];
    const events: string[] = [];
    store.subscribe(DEPLOY, (e) => events.push(e.type));
    await store.update(DEPLOY, released);
    assert.equal(store.get(DEPLOY, 'default', 'web'), undefined);
    assert.deepEqual(events, ['DELETED']);
  });

  it('honours delete preconditions', async () => {
    const store = await memoryStore();
    await store.create(DEPLOY, deployment('web'));
    await assert.rejects(
      store.delete(DEPLOY, 'default', 'web', { preconditions: { uid: 'other' } }),
      /Precondition failed: UID/,
    );
    assert.ok(store.get(DEPLOY, 'default', 'web'));
  });

  it('replays events after a resourceVersion in order, then follows new ones', async () => {
    const store = await memoryStore();
    const a = await store.create(DEPLOY, deployment('a'));
    await store.create(DEPLOY, deployment('b'));
    await store.update(DEPLOY, { ...deployment('a', 5), metadata: { ...a.metadata } });
    const seen: string[] = [];
    const stop = store.watch(DEPLOY, { resourceVersion: a.metadata.resourceVersion! }, (e: StoreEvent) =>
      seen.push(`${e.type} ${e.object.metadata.name} ${e.object.metadata.resourceVersion}`),
    );
    await store.delete(DEPLOY, 'default', 'b');
    stop();
    await store.create(DEPLOY, deployment('c'));
    assert.deepEqual(seen, ['ADDED b 2', 'MODIFIED a 3', 'DELETED b 4']);
  });

  it('starts a watch without resourceVersion with the current objects', async () => {
    const store = await memoryStore();
    await store.create(DEPLOY, deployment('a'));
    await store.create('/configmaps', {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'x', namespace: 'default' },
    });
    const seen: string[] = [];
    store.watch(DEPLOY, {}, (e) => seen.push(`${e.type} ${e.object.metadata.name}`));
    assert.deepEqual(seen, ['ADDED a']);
  });

  it('answers 410 Expired for a resourceVersion older than the window', async () => {
    const store = await ObjectStore.open({ clock: new FakeClock(), historySize: 3 });
    for (const n of ['a', 'b', 'c', 'd', 'e']) await store.create(DEPLOY, deployment(n));
    assert.throws(
      () => store.watch(DEPLOY, { resourceVersion: '1' }, () => undefined),
      (e: StatusError) => e.code === 410 && e.reason === 'Expired' && /too old resource version: 1/.test(e.message),
    );
    const seen: string[] = [];
    store.watch(DEPLOY, { resourceVersion: '2' }, (e) => seen.push(e.object.metadata.name!));
    assert.deepEqual(seen, ['c', 'd', 'e']);
  });

  it('filters watches by namespace', async () => {
    const store = await memoryStore();
    const seen: string[] = [];
    store.watch(DEPLOY, { namespace: 'prod', resourceVersion: '0' }, (e) => seen.push(e.object.metadata.name!));
    await store.create(DEPLOY, deployment('in-default'));
    await store.create(DEPLOY, { ...deployment('in-prod'), metadata: { name: 'in-prod', namespace: 'prod' } });
    assert.deepEqual(seen, ['in-prod']);
  });

  it('keeps everything across a restart from its data directory', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-store-'));
    try {
      const clock = new FakeClock();
      const first = await ObjectStore.open({ clock, dataDir: dir });
      await first.create(DEPLOY, deployment('a'));
      const b = await first.create(DEPLOY, deployment('b'));
      await first.update(DEPLOY, { ...deployment('b', 4), metadata: { ...b.metadata } });
      await first.delete(DEPLOY, 'default', 'a');
      await first.close();
      const second = await ObjectStore.open({ clock, dataDir: dir });
      assert.equal(second.get(DEPLOY, 'default', 'a'), undefined);
      assert.deepEqual(second.get(DEPLOY, 'default', 'b')?.spec, { replicas: 4 });
      assert.equal(second.resourceVersion, '4');
      const c = await second.create(DEPLOY, deployment('c'));
      assert.equal(c.metadata.resourceVersion, '5');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('compacts into a snapshot and still restarts with the same objects', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'kw-store-'));
    try {
      const clock = new FakeClock();
      const first = await ObjectStore.open({ clock, dataDir: dir, compactBytes: 600 });
      await Promise.all(Array.from({ length: 30 }, (_, i) => first.create(DEPLOY, deployment(`d${i}`))));
      await first.delete(DEPLOY, 'default', 'd7');
      await first.close();
      const second = await ObjectStore.open({ clock, dataDir: dir });
      assert.equal(second.list(DEPLOY).items.length, 29);
      assert.equal(second.resourceVersion, '31');
      await second.close();
    } finally {
      rmSync(dir, { recursive: true, force: true });
    }
  });

  it('a status write checks the depth of the status it takes, not of the rest of the object it ignores', async () => {
    const store = await memoryStore();
    const created = await store.create(DEPLOY, deployment('web'));
    const nest = (levels: number): unknown => (levels === 0 ? 'x' : { a: nest(levels - 1) });
    const deepSpec = { ...deployment('web'), spec: nest(MAX_NESTING_DEPTH + 5), status: { replicas: 2 } };
    const written = await store.update(DEPLOY, deepSpec, { statusOnly: true });
    assert.deepEqual(written.status, { replicas: 2 });
    assert.equal(written.spec, created.spec, 'the stored spec, shared');
    const deepStatus = { ...deployment('web'), status: nest(MAX_NESTING_DEPTH) };
    await assert.rejects(store.update(DEPLOY, deepStatus, { statusOnly: true }), /nested more than/);
    const status = nest(MAX_NESTING_DEPTH - 2);
    const deepest = await store.update(DEPLOY, { ...deployment('web'), status }, { statusOnly: true });
    assert.deepEqual(deepest.status, status, 'the deepest status allowed (the object is one level more)');
    assert.equal(store.get(DEPLOY, 'default', 'web'), deepest);
  });

  it('keeps a fresh object as it is given (frozen, not copied), a copied one apart from the caller', async () => {
    const store = await memoryStore();
    const mine = deployment('mine');
    const kept = await store.create(DEPLOY, mine, { fresh: true });
    assert.equal(kept, mine);
    assert.ok(Object.isFrozen(mine) && Object.isFrozen(mine.spec));
    const theirs = deployment('theirs');
    const copied = await store.create(DEPLOY, theirs);
    assert.notEqual(copied, theirs);
    assert.ok(!Object.isFrozen(theirs));
    const next = { ...deployment('mine', 3), metadata: { ...kept.metadata } };
    const updated = await store.update(DEPLOY, next, { fresh: true });
    assert.equal(updated, next);
    assert.equal(updated.metadata.generation, 2);
    assert.equal(store.get(DEPLOY, 'default', 'mine'), next);
  });
});
