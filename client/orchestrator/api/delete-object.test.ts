import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { FakeClock } from '../clock';
import { StatusError } from '../store/errors';
import { ObjectStore } from '../store/object-store';
import { AdmittedWriter } from './admitted-writer';
import type { DeleteRequest, PropagationPolicy } from './delete-object';
import { localApiContext } from './local-api-context';

async function setup() {
  const store = await ObjectStore.open({ clock: new FakeClock(Date.UTC(2025, 0, 1)) });
  const writer = new AdmittedWriter(localApiContext(store, new FakeClock()), 'test');
  await writer.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  await writer.create('/configmaps', {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'cm', namespace: 'default' },
  });
  return { store, writer };
}

async function finalizersAfter(request: DeleteRequest): Promise<string[] | undefined> {
  const { store, writer } = await setup();
  const { removed } = await writer.delete('/configmaps', 'default', 'cm', request);
  if (removed) return undefined;
  return [...(store.get('/configmaps', 'default', 'cm')?.metadata.finalizers ?? [])];
}

describe('deleteObject (the API delete path)', () => {
  it('Foreground adds foregroundDeletion, Orphan and orphanDependents add orphan, Background removes at once', async () => {
    assert.deepEqual(await finalizersAfter({ propagationPolicy: 'Foreground' }), ['foregroundDeletion']);
    assert.deepEqual(await finalizersAfter({ propagationPolicy: 'Orphan' }), ['orphan']);
    assert.deepEqual(await finalizersAfter({ orphanDependents: true }), ['orphan']);
    assert.equal(await finalizersAfter({ propagationPolicy: 'Background' }), undefined);
    assert.equal(await finalizersAfter({}), undefined);
  });

  it('rejects an unknown policy and a policy given with orphanDependents', async () => {
    const isBadRequest = (pattern: RegExp) => (e: unknown) =>
      e instanceof StatusError && e.reason === 'BadRequest' && pattern.test(e.message);
    await assert.rejects(
      finalizersAfter({ propagationPolicy: 'Sideways' as PropagationPolicy }),
      isBadRequest(/Unsupported value: "Sideways"/),
    );
    await assert.rejects(
      finalizersAfter({ propagationPolicy: 'Foreground', orphanDependents: true }),
      isBadRequest(/cannot be both set/),
    );
  });

  it('marks a namespace Terminating instead of removing it, and keeps the system namespaces', async () => {
    const { store, writer } = await setup();
    await writer.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'team' } });
    const { removed } = await writer.delete('/namespaces', '', 'team');
    assert.equal(removed, false);
    const ns = store.get('/namespaces', '', 'team')!;
    assert.ok(ns.metadata.deletionTimestamp);
    assert.deepEqual(ns.status, { phase: 'Terminating' });
    await assert.rejects(
      writer.delete('/namespaces', '', 'default'),
      (e: unknown) => e instanceof StatusError && e.reason === 'Forbidden',
    );
  });
});
