import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { AdmittedWriter } from '../api/admitted-writer';
import { CLAIMS, defaultStorageClass, STORAGE_CLASSES, VOLUMES } from '../store/storage-class';
import { PersistentVolumeController } from './persistent-volume-controller';
import { testContext, waitFor, type TestContext } from '../machinery/test-support';
import { PROTECTION_FINALIZER } from '../machinery/volume-binding';

const claim = (name: string, storageClassName?: string) => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name, namespace: 'default' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    ...(storageClassName !== undefined ? { storageClassName } : {}),
  },
});

const pod = (name: string, claimName: string) => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name, namespace: 'default' },
  spec: {
    volumes: [{ name: 'data', persistentVolumeClaim: { claimName } }],
    containers: [{ name: 'app', image: 'busybox:1.36' }],
  },
});

async function started(): Promise<{ ctx: TestContext; kubectl: AdmittedWriter; stop: () => Promise<void> }> {
  const ctx = await testContext();
  const kubectl = new AdmittedWriter(ctx.api, 'kubectl');
  await kubectl.create(STORAGE_CLASSES, defaultStorageClass());
  const controller = new PersistentVolumeController(ctx);
  await ctx.informers.start();
  const run = controller.run();
  return { ctx, kubectl, stop: () => run.stop() };
}

const phase = (ctx: TestContext, resource: string, name: string, namespace = 'default') =>
  (ctx.store.get(resource, resource === VOLUMES ? '' : namespace, name)?.status as { phase?: string } | undefined)
    ?.phase;

describe('PersistentVolumeController', () => {
  it('provisions a volume for a claim of the default class and binds the two', async () => {
    const { ctx, kubectl, stop } = await started();
    try {
      const created = await kubectl.create(CLAIMS, claim('data'));
      const volumeName = `pvc-${created.metadata.uid ?? ''}`;
      await waitFor(() => phase(ctx, CLAIMS, 'data') === 'Bound', 'the claim Bound');
      await waitFor(() => phase(ctx, VOLUMES, volumeName) === 'Bound', 'the volume Bound');
      const bound = ctx.store.get(CLAIMS, 'default', 'data');
      assert.equal((bound?.spec as { volumeName?: string }).volumeName, volumeName);
      assert.deepEqual((bound?.status as { capacity?: unknown }).capacity, { storage: '1Gi' });
      assert.ok(bound?.metadata.finalizers?.includes(PROTECTION_FINALIZER));
    } finally {
      await stop();
    }
  });

  it('holds a deleted claim while a pod uses it, then lets it go and deletes its volume', async () => {
    const { ctx, kubectl, stop } = await started();
    try {
      const created = await kubectl.create(CLAIMS, claim('data'));
      await waitFor(() => phase(ctx, CLAIMS, 'data') === 'Bound', 'the claim Bound');
      await kubectl.create('/pods', pod('user', 'data'));
      await kubectl.delete(CLAIMS, 'default', 'data');
      for (let i = 0; i < 200; i++) await new Promise((r) => setImmediate(r));
      assert.ok(ctx.store.get(CLAIMS, 'default', 'data')?.metadata.deletionTimestamp, 'Terminating, not gone');
      await ctx.store.delete('/pods', 'default', 'user', { gracePeriodSeconds: 0 });
      await waitFor(() => !ctx.store.get(CLAIMS, 'default', 'data'), 'the claim gone');
      await waitFor(() => !ctx.store.get(VOLUMES, '', `pvc-${created.metadata.uid ?? ''}`), 'the volume deleted');
    } finally {
      await stop();
    }
  });

  it('leaves a claim of an unknown class Pending with a warning event', async () => {
    const { ctx, kubectl, stop } = await started();
    try {
      await kubectl.create(CLAIMS, claim('odd', 'fast'));
      await waitFor(
        () =>
          ctx.store
            .list('/events')
            .items.some((e) => /storageclass.storage.k8s.io "fast" not found/.test(String(e.message))),
        'a FailedBinding event',
      );
      assert.equal(phase(ctx, CLAIMS, 'odd'), 'Pending');
    } finally {
      await stop();
    }
  });
});
