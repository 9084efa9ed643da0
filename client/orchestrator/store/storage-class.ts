/**
 * The cluster's storage: one default StorageClass, `standard`, whose claims
 * the volume controller binds at once to a PersistentVolume it makes, each
 * backed on Docker by a named volume that outlives the pods using it.
 */
import type { KubeObject } from './object';

export const STORAGE_CLASSES = 'storage.k8s.io/storageclasses';
export const CLAIMS = '/persistentvolumeclaims';
export const VOLUMES = '/persistentvolumes';
export const DEFAULT_CLASS_ANNOTATION = 'storageclass.kubernetes.io/is-default-class';
/** The provisioner name of the cluster's own class: claims of other classes wait for a matching volume. */
export const PROVISIONER = 'kube-workbench.io/docker-volume';
export const DEFAULT_CLASS = 'standard';

export function defaultStorageClass(): KubeObject {
  return {
    apiVersion: 'storage.k8s.io/v1',
    kind: 'StorageClass',
    metadata: { name: DEFAULT_CLASS, annotations: { [DEFAULT_CLASS_ANNOTATION]: 'true' } },
    provisioner: PROVISIONER,
    reclaimPolicy: 'Delete',
    volumeBindingMode: 'Immediate',
  };
}
