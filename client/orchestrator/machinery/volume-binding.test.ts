import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { Stored } from '../store/object-store';
import { defaultStorageClass } from '../store/storage-class';
import { bestVolume, podClaims, provisionedVolume, volumeMismatch } from './volume-binding';

const claim = (extra: Record<string, unknown> = {}): Stored => ({
  apiVersion: 'v1',
  kind: 'PersistentVolumeClaim',
  metadata: { name: 'data', namespace: 'app', uid: 'u-1', resourceVersion: '7' },
  spec: {
    accessModes: ['ReadWriteOnce'],
    resources: { requests: { storage: '1Gi' } },
    storageClassName: 'manual',
    ...extra,
  },
});

const volume = (name: string, storage: string, extra: Record<string, unknown> = {}): Stored => ({
  apiVersion: 'v1',
  kind: 'PersistentVolume',
  metadata: { name },
  spec: {
    capacity: { storage },
    accessModes: ['ReadWriteOnce', 'ReadOnlyMany'],
    storageClassName: 'manual',
    ...extra,
  },
  status: { phase: 'Available' },
});

describe('volume binding', () => {
  it('says why a volume cannot serve a claim: class, access modes, capacity, another claim', () => {
    assert.equal(volumeMismatch(volume('a', '2Gi'), claim()), undefined);
    assert.equal(volumeMismatch(volume('a', '2Gi', { storageClassName: 'fast' }), claim()), 'class');
    assert.equal(volumeMismatch(volume('a', '2Gi'), claim({ accessModes: ['ReadWriteMany'] })), 'access modes');
    assert.equal(volumeMismatch(volume('a', '500Mi'), claim()), 'capacity');
    assert.equal(
      volumeMismatch(volume('a', '2Gi', { claimRef: { namespace: 'app', name: 'other' } }), claim()),
      'claimed',
    );
  });

  it('picks the smallest volume that fits, and one reserved for the claim before any other', () => {
    const small = volume('small', '1Gi');
    const big = volume('big', '10Gi');
    assert.equal(bestVolume([big, small, volume('tiny', '100Mi')], claim())?.metadata.name, 'small');
    const reserved = volume('reserved', '10Gi', { claimRef: { namespace: 'app', name: 'data' } });
    assert.equal(bestVolume([small, reserved], claim())?.metadata.name, 'reserved');
  });

  it("provisions a volume named after the claim's uid, with its request, modes, class and the class's reclaim policy", () => {
    const pv = provisionedVolume(claim({ storageClassName: 'standard' }), defaultStorageClass());
    assert.equal(pv.metadata.name, 'pvc-u-1');
    const spec = pv.spec as Record<string, unknown>;
    assert.deepEqual(spec.capacity, { storage: '1Gi' });
    assert.deepEqual(spec.accessModes, ['ReadWriteOnce']);
    assert.equal(spec.persistentVolumeReclaimPolicy, 'Delete');
    assert.equal(spec.storageClassName, 'standard');
    assert.deepEqual(spec.claimRef, {
      kind: 'PersistentVolumeClaim',
      apiVersion: 'v1',
      namespace: 'app',
      name: 'data',
      uid: 'u-1',
      resourceVersion: '7',
    });
  });

  it("lists the claims a pod's volumes name", () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'p' },
      spec: {
        volumes: [
          { name: 'a', persistentVolumeClaim: { claimName: 'data' } },
          { name: 'b', emptyDir: {} },
        ],
      },
    };
    assert.deepEqual(podClaims(pod), ['data']);
  });
});
