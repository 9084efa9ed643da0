/**
 * PersistentVolumeClaims, PersistentVolumes and StorageClasses through the
 * real kubectl against `cluster start --runtime fake`: the default class
 * provisions and binds a claim at once; a pod whose claim is missing waits
 * Pending and is scheduled once the claim appears; a claim in use stays
 * Terminating until its pod is gone; a hand-made volume binds to a claim of
 * its class and is Released (Retain) when the claim goes. Needs a build first.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterFixture, tableRows, waitUntil } from './support/cluster-process';

describe('volumes through kubectl', () => {
  const c = clusterFixture('kw-volumes-');
  const { kubectl, ok, apply } = c;
  const row = (args: string[]) => tableRows(ok([...args, '--no-headers']))[0] ?? [];

  it('has a default StorageClass that binds a new claim at once to a volume made for it', async () => {
    assert.deepEqual(row(['get', 'storageclass']).slice(0, 5), [
      'standard',
      '(default)',
      'kube-workbench.io/docker-volume',
      'Delete',
      'Immediate',
    ]);
    apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: data}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 2Gi}}
`);
    const pvc = await waitUntil('the claim Bound', 20, () => {
      const r = row(['get', 'pvc', 'data']);
      return r[1] === 'Bound' ? r : undefined;
    });
    const uid = ok(['get', 'pvc', 'data', '-o', 'jsonpath={.metadata.uid}']);
    assert.deepEqual(pvc.slice(0, 6), ['data', 'Bound', `pvc-${uid}`, '2Gi', 'RWO', 'standard']);
    const pv = await waitUntil('the volume Bound', 20, () => {
      const r = row(['get', 'pv', `pvc-${uid}`]);
      return r[4] === 'Bound' ? r : undefined;
    });
    assert.deepEqual(pv.slice(0, 7), [`pvc-${uid}`, '2Gi', 'RWO', 'Delete', 'Bound', 'default/data', 'standard']);
    assert.match(ok(['describe', 'pvc', 'data']), /ProvisioningSucceeded\s+.*Successfully provisioned volume pvc-/);
  });

  it('keeps a pod whose claim is missing Pending, saying why, and schedules it once the claim exists', async () => {
    apply(`apiVersion: v1
kind: Pod
metadata: {name: waiting}
spec:
  volumes: [{name: store, persistentVolumeClaim: {claimName: later}}]
  containers: [{name: main, image: busybox:1.36, volumeMounts: [{name: store, mountPath: /data}]}]
`);
    const events = await waitUntil('a FailedScheduling event', 20, () => {
      const out = ok(['describe', 'pod', 'waiting']);
      return /FailedScheduling/.test(out) ? out : undefined;
    });
    assert.match(events, /0\/1 nodes are available: persistentvolumeclaim "later" not found\./);
    assert.equal(ok(['get', 'pod', 'waiting', '-o', 'jsonpath={.status.phase}']), 'Pending');
    apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: later}
spec:
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
    await waitUntil('the pod Running on a node', 30, () => row(['get', 'pod', 'waiting'])[2] === 'Running');
  });

  it('keeps a claim in use Terminating until its pod is gone, then deletes its volume', async () => {
    const volume = ok(['get', 'pvc', 'later', '-o', 'jsonpath={.spec.volumeName}']);
    const del = kubectl(['delete', 'pvc', 'later', '--wait=false']);
    assert.equal(del.code, 0, del.err);
    await waitUntil('the claim Terminating', 10, () => /Terminating/.test(ok(['describe', 'pvc', 'later'])));
    await new Promise((r) => setTimeout(r, 1000));
    assert.equal(kubectl(['get', 'pvc', 'later']).code, 0, 'still there while the pod uses it');
    ok(['delete', 'pod', 'waiting', '--grace-period=0', '--force']);
    await waitUntil('the claim gone', 20, () => kubectl(['get', 'pvc', 'later']).code !== 0);
    await waitUntil('its volume deleted (reclaim policy Delete)', 20, () => kubectl(['get', 'pv', volume]).code !== 0);
  });

  it('binds a hand-made volume to a claim of its class, and keeps it Released when the claim goes', async () => {
    apply(`apiVersion: v1
kind: PersistentVolume
metadata: {name: manual-big}
spec:
  storageClassName: manual
  capacity: {storage: 10Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/manual-big}
---
apiVersion: v1
kind: PersistentVolume
metadata: {name: manual-small}
spec:
  storageClassName: manual
  capacity: {storage: 1Gi}
  accessModes: [ReadWriteOnce]
  hostPath: {path: /tmp/manual-small}
---
apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: hand}
spec:
  storageClassName: manual
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 500Mi}}
`);
    const pvc = await waitUntil('the claim Bound', 20, () => {
      const r = row(['get', 'pvc', 'hand']);
      return r[1] === 'Bound' ? r : undefined;
    });
    assert.deepEqual(pvc.slice(0, 6), ['hand', 'Bound', 'manual-small', '1Gi', 'RWO', 'manual']);
    assert.equal(row(['get', 'pv', 'manual-big'])[4], 'Available');
    ok(['delete', 'pvc', 'hand']);
    await waitUntil('the volume Released', 20, () => row(['get', 'pv', 'manual-small'])[4] === 'Released');
    apply(`apiVersion: v1
kind: PersistentVolumeClaim
metadata: {name: nowhere}
spec:
  storageClassName: fast
  accessModes: [ReadWriteOnce]
  resources: {requests: {storage: 1Gi}}
`);
    const text = await waitUntil('an event says the class is missing', 20, () => {
      const out = ok(['describe', 'pvc', 'nowhere']);
      return /FailedBinding/.test(out) ? out : undefined;
    });
    assert.match(text, /storageclass\.storage\.k8s\.io "fast" not found/);
    assert.equal(row(['get', 'pvc', 'nowhere'])[1], 'Pending');
  });
});
