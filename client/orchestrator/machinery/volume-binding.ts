/**
 * What binds a claim to a volume, without I/O: the claim's request, whether
 * a PersistentVolume can serve it, the volume the cluster's provisioner makes
 * for it, and which claims a pod uses.
 */
import { bytes } from '../../../server/kube-model/quantity';
import { isObject, type JsonObject, type KubeObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { PROVISIONER } from '../store/storage-class';

export const PROTECTION_FINALIZER = 'kubernetes.io/pvc-protection';

function specOf(o: KubeObject): JsonObject {
  return isObject(o.spec) ? o.spec : {};
}

function modes(value: unknown): string[] {
  return Array.isArray(value) ? value.map(String) : [];
}

/** The class a claim asks for: '' when it names none. */
export function claimClass(claim: KubeObject): string {
  const c = specOf(claim).storageClassName;
  return typeof c === 'string' ? c : '';
}

/** The storage a claim requests (`spec.resources.requests.storage`), as written and in bytes. */
export function claimRequest(claim: KubeObject): { text: string; bytes: number } {
  const resources = specOf(claim).resources;
  const requests = isObject(resources) && isObject(resources.requests) ? resources.requests : {};
  const raw = requests.storage;
  const text = typeof raw === 'string' ? raw : typeof raw === 'number' ? String(raw) : '0';
  return { text, bytes: bytes(requests.storage ?? 0) };
}

/** Why `volume` cannot serve `claim`, or undefined when it can: class, access modes, mode, capacity and its claimRef. */
export function volumeMismatch(volume: KubeObject, claim: Stored): string | undefined {
  const spec = specOf(volume);
  const ref = isObject(spec.claimRef) ? spec.claimRef : undefined;
  if (ref && (ref.name !== claim.metadata.name || ref.namespace !== claim.metadata.namespace)) return 'claimed';
  if (ref && typeof ref.uid === 'string' && ref.uid !== claim.metadata.uid) return 'claimed';
  const phase = isObject(volume.status) ? volume.status.phase : undefined;
  if (!ref && phase !== undefined && phase !== 'Available' && phase !== 'Pending')
    return `phase ${JSON.stringify(phase)}`;
  if ((typeof spec.storageClassName === 'string' ? spec.storageClassName : '') !== claimClass(claim)) return 'class';
  const have = new Set(modes(spec.accessModes));
  if (!modes(specOf(claim).accessModes).every((m) => have.has(m))) return 'access modes';
  if ((spec.volumeMode ?? 'Filesystem') !== (specOf(claim).volumeMode ?? 'Filesystem')) return 'volume mode';
  const capacity = isObject(spec.capacity) ? bytes(spec.capacity.storage ?? 0) : 0;
  if (capacity < claimRequest(claim).bytes) return 'capacity';
  return undefined;
}

/** The smallest volume that can serve the claim; one already reserved for it (its claimRef) first. */
export function bestVolume(volumes: readonly Stored[], claim: Stored): Stored | undefined {
  const fits = volumes.filter((v) => !v.metadata.deletionTimestamp && volumeMismatch(v, claim) === undefined);
  const capacity = (v: Stored) => {
    const spec = specOf(v);
    return isObject(spec.capacity) ? bytes(spec.capacity.storage ?? 0) : 0;
  };
  const reserved = fits.find((v) => isObject(specOf(v).claimRef));
  return reserved ?? [...fits].sort((a, b) => capacity(a) - capacity(b))[0];
}

export function claimRefTo(claim: Stored): JsonObject {
  return {
    kind: 'PersistentVolumeClaim',
    apiVersion: 'v1',
    namespace: claim.metadata.namespace ?? 'default',
    name: claim.metadata.name ?? '',
    uid: claim.metadata.uid ?? '',
    resourceVersion: claim.metadata.resourceVersion ?? '',
  };
}

/** The PersistentVolume the cluster's provisioner makes for a claim of its class. */
export function provisionedVolume(claim: Stored, storageClass: KubeObject): KubeObject {
  const spec = specOf(claim);
  const name = `pvc-${claim.metadata.uid ?? ''}`;
  return {
    apiVersion: 'v1',
    kind: 'PersistentVolume',
    metadata: { name, annotations: { 'pv.kubernetes.io/provisioned-by': PROVISIONER } },
    spec: {
      capacity: { storage: claimRequest(claim).text },
      accessModes: modes(spec.accessModes).length > 0 ? modes(spec.accessModes) : ['ReadWriteOnce'],
      persistentVolumeReclaimPolicy:
        typeof storageClass.reclaimPolicy === 'string' ? storageClass.reclaimPolicy : 'Delete',
      storageClassName: claimClass(claim),
      volumeMode: spec.volumeMode ?? 'Filesystem',
      claimRef: claimRefTo(claim),
      csi: { driver: PROVISIONER, volumeHandle: name },
    },
  };
}

/** The claims a pod's volumes name. */
export function podClaims(pod: KubeObject): string[] {
  const volumes = specOf(pod).volumes;
  const out: string[] = [];
  for (const v of Array.isArray(volumes) ? volumes.filter(isObject) : []) {
    const source = v.persistentVolumeClaim;
    if (isObject(source) && typeof source.claimName === 'string') out.push(source.claimName);
  }
  return out;
}

/** Whether a pod still holds its claims: not yet finished (Succeeded/Failed) and present. */
export function podHoldsClaims(pod: KubeObject): boolean {
  const phase = isObject(pod.status) ? pod.status.phase : undefined;
  return phase !== 'Succeeded' && phase !== 'Failed';
}

/** The claim a PersistentVolume names in its claimRef, if it names one. */
export function claimRefOf(volume: KubeObject): { namespace: string; name: string; uid?: string } | undefined {
  const spec = isObject(volume.spec) ? volume.spec : {};
  const ref = isObject(spec.claimRef) ? spec.claimRef : undefined;
  if (!ref || typeof ref.name !== 'string') return undefined;
  return {
    namespace: typeof ref.namespace === 'string' ? ref.namespace : 'default',
    name: ref.name,
    ...(typeof ref.uid === 'string' && ref.uid !== '' ? { uid: ref.uid } : {}),
  };
}
