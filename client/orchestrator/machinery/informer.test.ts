import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { byControllerUid } from './informer';
import { InformerFactory, PODS } from './informer-factory';

function pod(name: string, ownerUid?: string) {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      ...(ownerUid
        ? {
            ownerReferences: [
              { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: ownerUid, controller: true },
            ],
          }
        : {}),
    },
    spec: {},
  };
}

describe('Informer', () => {
  it('lists existing objects, then follows adds, updates and deletes with indexes kept current', async () => {
    const store = await ObjectStore.open({ clock: new FakeClock() });
    await store.create(PODS, pod('a', 'u1'));
    const factory = new InformerFactory(store);
    const pods = factory.for(PODS);
    pods.addIndexer('controller', byControllerUid);
    const seen: string[] = [];
    pods.addHandlers({
      onAdd: (o) => seen.push(`add ${o.metadata.name}`),
      onUpdate: (_old, o) => seen.push(`update ${o.metadata.name}`),
      onDelete: (o) => seen.push(`delete ${o.metadata.name}`),
    });
    await factory.start();
    await store.create(PODS, pod('b', 'u1'));
    const a = store.get(PODS, 'default', 'a')!;
    await store.update(PODS, {
      ...structuredClone(a),
      metadata: { ...structuredClone(a.metadata), ownerReferences: [] },
    });
    assert.deepEqual(
      pods.byIndex('controller', 'u1').map((p) => p.metadata.name),
      ['b'],
    );
    await store.delete(PODS, 'default', 'b');
    assert.deepEqual(seen, ['add a', 'add b', 'update a', 'delete b']);
    assert.deepEqual(
      pods.list('default').map((p) => p.metadata.name),
      ['a'],
    );
    assert.equal(
      pods.get('default', 'a')?.metadata.resourceVersion,
      store.get(PODS, 'default', 'a')?.metadata.resourceVersion,
    );
    assert.equal(pods.byIndex('controller', 'u1').length, 0);
    factory.stop();
  });

  it('announces cached objects to handlers added late', async () => {
    const store = await ObjectStore.open({ clock: new FakeClock() });
    await store.create(PODS, pod('a'));
    const factory = new InformerFactory(store);
    await factory.start();
    const pods = factory.for(PODS);
    const seen: string[] = [];
    pods.addHandlers({ onAdd: (o) => seen.push(o.metadata.name ?? '') });
    assert.deepEqual(seen, ['a']);
  });
});
