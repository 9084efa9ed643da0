/**
 * A pod's Docker named volumes: emptyDir (one per pod and volume; `medium:
 * Memory` on tmpfs, with its sizeLimit) and persistentVolumeClaim (one per
 * claim, outliving the pod). The sandbox mounts them first, so `kw-infra
 * pause` can make them ready before any container starts: emptyDir roots
 * world-writable as the kubelet makes them, and with the pod's `fsGroup`
 * emptyDir and claim roots group-owned by it (setgid).
 */
import { bytes } from '../../../server/kube-model/quantity';
import { isObject, type JsonObject } from '../store/object';
import { LABEL, namePart } from './docker-labels';

export interface MountSpec {
  Type: 'bind' | 'volume';
  Source: string;
  Target: string;
  ReadOnly: boolean;
  /** `Subpath`: the volumeMount's subPath inside a named volume (resolved by volume-subpaths.ts). */
  VolumeOptions?: {
    NoCopy: boolean;
    Labels: Record<string, string>;
    Subpath?: string;
    DriverConfig?: { Name: string; Options: Record<string, string> };
  };
}

export interface NamedVolumeOwner {
  clusterId: string;
  podUid: string;
  namespace: string;
}

export function emptyDirVolume(clusterId: string, podUid: string, volume: string): string {
  return `kw-${clusterId}-${podUid.slice(0, 13)}-${namePart(volume)}`;
}

export function claimVolume(clusterId: string, namespace: string, claim: string): string {
  return `kw-${clusterId}-pvc-${namePart(namespace)}-${namePart(claim)}`;
}

/** Whether a pod volume is a Docker named volume (emptyDir or persistentVolumeClaim). */
export function isNamedVolume(v: Readonly<JsonObject>): boolean {
  return isObject(v.emptyDir) || isObject(v.persistentVolumeClaim);
}

/** The mount of an emptyDir or persistentVolumeClaim volume at `target`. */
export function namedVolumeMount(
  owner: NamedVolumeOwner,
  v: Readonly<JsonObject>,
  target: string,
  readOnly: boolean,
  subPath?: string,
): MountSpec {
  const claim = isObject(v.persistentVolumeClaim) ? v.persistentVolumeClaim : undefined;
  const emptyDir = isObject(v.emptyDir) ? v.emptyDir : {};
  const labels: Record<string, string> = claim
    ? { [LABEL.cluster]: owner.clusterId, [LABEL.claim]: `${owner.namespace}.${String(claim.claimName)}` }
    : { [LABEL.cluster]: owner.clusterId, [LABEL.podUid]: owner.podUid };
  const tmpfs = !claim && emptyDir.medium === 'Memory';
  const size = tmpfs && emptyDir.sizeLimit !== undefined ? Math.round(bytes(emptyDir.sizeLimit)) : 0;
  return {
    Type: 'volume',
    Source: claim
      ? claimVolume(owner.clusterId, owner.namespace, String(claim.claimName))
      : emptyDirVolume(owner.clusterId, owner.podUid, String(v.name)),
    Target: target,
    ReadOnly: readOnly || claim?.readOnly === true,
    VolumeOptions: {
      NoCopy: true,
      Labels: labels,
      ...(subPath ? { Subpath: subPath } : {}),
      ...(tmpfs
        ? {
            DriverConfig: {
              Name: 'local',
              Options: { type: 'tmpfs', device: 'tmpfs', ...(size > 0 ? { o: `size=${size}` } : {}) },
            },
          }
        : {}),
    },
  };
}

/** The sandbox's mounts of the pod's named volumes and the `kw-infra pause` arguments that prepare them. */
export function sandboxVolumePrep(
  owner: NamedVolumeOwner,
  podSpec: Readonly<JsonObject>,
): { mounts: MountSpec[]; args: string[] } {
  const security = isObject(podSpec.securityContext) ? podSpec.securityContext : {};
  const fsGroup = typeof security.fsGroup === 'number' ? security.fsGroup : -1;
  const mounts: MountSpec[] = [];
  const args: string[] = [];
  const volumes = Array.isArray(podSpec.volumes) ? podSpec.volumes.filter(isObject) : [];
  for (const [i, v] of volumes.entries()) {
    if (!isNamedVolume(v)) continue;
    const claim = isObject(v.persistentVolumeClaim);
    if (claim && (fsGroup < 0 || (v.persistentVolumeClaim as JsonObject).readOnly === true)) continue;
    const target = `/kw-volumes/${i}`;
    mounts.push(namedVolumeMount(owner, v, target, false));
    args.push(`${claim ? 'g' : 'e'}:${fsGroup}:${target}`);
  }
  return { mounts, args };
}
