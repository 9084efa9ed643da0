import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { ObjectStore } from '../store/object-store';
import { AdmittedWriter } from './admitted-writer';
import { localApiContext } from './local-api-context';

const configMap = (name: string) => ({
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name, namespace: 'default' },
  data: { a: '1' },
});

const namespace = { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } };

describe('AdmittedWriter pace', () => {
  it('lets its writer go on after a write only once the pace allows, with the write done and visible', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const store = await ObjectStore.open({ clock });
    let release: () => void = () => {};
    let paced = 0;
    const ctx = {
      ...localApiContext(store, clock),
      pace: () => {
        paced++;
        return new Promise<void>((r) => (release = r));
      },
    };
    await new AdmittedWriter(localApiContext(store, clock), 'test').create('/namespaces', namespace);
    const writer = new AdmittedWriter(ctx, 'test');
    let returned = false;
    const created = writer.create('/configmaps', configMap('a')).then((o) => ((returned = true), o));
    // Fails (instead of waiting for ever) when the write itself fails.
    for (let i = 0; paced === 0 && i < 10_000; i++) await Promise.race([created, new Promise((r) => setImmediate(r))]);
    assert.equal(paced, 1);
    assert.equal(returned, false, 'the writer waits for its turn');
    assert.equal(
      (store.get('/configmaps', 'default', 'a')?.data as { a?: string } | undefined)?.a,
      '1',
      'the write itself is done',
    );
    release();
    const object = await created;
    assert.equal(object.metadata.name, 'a');
    assert.deepEqual(object.data, { a: '1' });
  });

  it('goes on at once when the pace has no turn to wait for, and without a pace', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const store = await ObjectStore.open({ clock });
    const paced = new AdmittedWriter({ ...localApiContext(store, clock), pace: () => undefined }, 'test');
    const plain = new AdmittedWriter(localApiContext(store, clock), 'test');
    await plain.create('/namespaces', namespace);
    await paced.create('/configmaps', configMap('b'));
    const c = await plain.create('/configmaps', configMap('c'));
    const updated = await paced.update('/configmaps', { ...c, data: { a: '2' } });
    assert.deepEqual(updated.data, { a: '2' });
    const { removed } = await paced.delete('/configmaps', 'default', 'b');
    assert.equal(removed, true);
    assert.equal(store.get('/configmaps', 'default', 'b'), undefined);
  });
});

describe('AdmittedWriter writes that keep their copy in the store', () => {
  it('bind: the stored pod with only nodeName and the status changed, its other parts the stored ones', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const store = await ObjectStore.open({ clock });
    const writer = new AdmittedWriter(localApiContext(store, clock), 'test');
    await writer.create('/namespaces', namespace);
    const pod = await writer.create('/pods', {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p', namespace: 'default', labels: { app: 'a' } },
      spec: { containers: [{ name: 'c', image: 'nginx' }], tolerations: [{ key: 'k', operator: 'Exists' }] },
    });
    const expected = JSON.parse(JSON.stringify(pod)) as typeof pod & { spec: object; status: object };
    const bound = await writer.bind('default', 'p', 'node-1', (status) => ({ ...status, scheduled: 'yes' }));
    expected.spec = { ...expected.spec, nodeName: 'node-1' };
    expected.status = { ...expected.status, scheduled: 'yes' };
    expected.metadata.resourceVersion = bound.metadata.resourceVersion ?? '';
    expected.metadata.generation = 2; // spec.nodeName changed (as before: the store counts it)
    assert.deepEqual(JSON.parse(JSON.stringify(bound)), expected);
    assert.equal((bound.spec as { containers: unknown }).containers, (pod.spec as { containers: unknown }).containers);
    assert.ok(Object.isFrozen(bound.spec) && Object.isFrozen(bound.status) && Object.isFrozen(bound.metadata));
    assert.equal(store.get('/pods', 'default', 'p'), bound);
    await assert.rejects(writer.bind('default', 'p', 'node-2'), /already assigned to node "node-1"/);
  });

  it('updateStatus: the status as sent, the caller free to change its object afterwards', async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const store = await ObjectStore.open({ clock });
    const writer = new AdmittedWriter(localApiContext(store, clock), 'test');
    await writer.create('/namespaces', namespace);
    const created = await writer.create('apps/deployments', {
      apiVersion: 'apps/v1',
      kind: 'Deployment',
      metadata: { name: 'd', namespace: 'default' },
      spec: {
        selector: { matchLabels: { a: 'b' } },
        template: { metadata: { labels: { a: 'b' } }, spec: { containers: [{ name: 'c', image: 'i' }] } },
      },
    });
    const mine = { ...created, status: { replicas: 3, conditions: [{ type: 'Available', status: 'True' }] } };
    const written = await writer.updateStatus('apps/deployments', mine);
    assert.deepEqual(written.status, { replicas: 3, conditions: [{ type: 'Available', status: 'True' }] });
    mine.status.replicas = 4;
    mine.status.conditions[0]!.status = 'False';
    assert.deepEqual(store.get('apps/deployments', 'default', 'd')?.status, {
      replicas: 3,
      conditions: [{ type: 'Available', status: 'True' }],
    });
  });
});

describe('AdmittedWriter copies', () => {
  it("stores its own copy: the caller's object is neither kept nor frozen, and a value too deep is refused", async () => {
    const clock = new FakeClock(Date.UTC(2025, 0, 1));
    const store = await ObjectStore.open({ clock });
    const writer = new AdmittedWriter(localApiContext(store, clock), 'test');
    await writer.create('/namespaces', namespace);
    const mine = configMap('mine');
    const created = await writer.create('/configmaps', mine);
    assert.equal(Object.isFrozen(mine) || Object.isFrozen(mine.data), false);
    mine.data.a = 'changed by the caller';
    assert.deepEqual(store.get('/configmaps', 'default', 'mine')?.data, { a: '1' });
    assert.equal(Object.isFrozen(created.data), true);
    const next = { ...created, data: { a: '2' } };
    const updated = await writer.update('/configmaps', next);
    next.data.a = 'changed again';
    assert.deepEqual(store.get('/configmaps', 'default', 'mine')?.data, { a: '2' });
    assert.equal(updated, store.get('/configmaps', 'default', 'mine'));
    let deep: unknown = 'x';
    for (let i = 0; i < 1200; i++) deep = { d: deep };
    for (const write of [
      () =>
        writer.create('/configmaps', {
          ...configMap('deep'),
          metadata: { name: 'deep', namespace: 'default', annotations: {} },
          extra: deep,
        }),
      () => writer.update('/configmaps', { ...updated, extra: deep }),
    ]) {
      await assert.rejects(write(), (e: unknown) => (e as { reason?: string }).reason === 'BadRequest');
    }
    assert.equal(store.get('/configmaps', 'default', 'deep'), undefined);
    assert.deepEqual(store.get('/configmaps', 'default', 'mine')?.data, { a: '2' });
  });
});
