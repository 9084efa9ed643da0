/**
 * The scheduler's check of a pod's PersistentVolumeClaims before any node is
 * looked at (kube-scheduler's VolumeBinding pre-filter): every claim exists,
 * is not being deleted, and is bound, unless its class binds on first use.
 */
import { claimClass, podClaims } from '../machinery/volume-binding';
import { isObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';

export interface ClaimLookup {
  claim(namespace: string, name: string): Stored | undefined;
  storageClass(name: string): Stored | undefined;
}

/** Why the pod's claims keep it from any node, in kube-scheduler's words; undefined when they do not. */
export function claimProblem(pod: KubeObject, lookup: ClaimLookup): string | undefined {
  const namespace = pod.metadata.namespace ?? 'default';
  for (const name of podClaims(pod)) {
    const claim = lookup.claim(namespace, name);
    if (!claim) return `persistentvolumeclaim "${name}" not found`;
    if (claim.metadata.deletionTimestamp) return `persistentvolumeclaim "${name}" is being deleted`;
    const bound = isObject(claim.spec) && typeof claim.spec.volumeName === 'string' && claim.spec.volumeName !== '';
    if (bound) continue;
    const cls = claimClass(claim);
    const storageClass = cls === '' ? undefined : lookup.storageClass(cls);
    if (storageClass?.volumeBindingMode !== 'WaitForFirstConsumer')
      return 'pod has unbound immediate PersistentVolumeClaims';
  }
  return undefined;
}
