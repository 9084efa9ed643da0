/**
 * How the built-in kinds' lists merge (their `patchStrategy` / `patchMergeKey`
 * and list-type markers): by a key field, as a set of scalars, or atomically.
 * Strategic merge patch and server-side apply both read this table.
 */

export type ListStrategy = { kind: 'map'; key: string } | { kind: 'set' } | { kind: 'atomic' };

const CONTAINER_LISTS = new Set(['containers', 'initContainers', 'ephemeralContainers']);

/** `path` is the field names from the object's root to the list (no indices). */
export function listStrategy(path: readonly string[]): ListStrategy {
  const field = path[path.length - 1];
  const parent = path[path.length - 2];
  switch (field) {
    case 'containers':
    case 'initContainers':
    case 'ephemeralContainers':
    case 'volumes':
    case 'env':
    case 'imagePullSecrets':
    case 'resourceClaims':
    case 'schedulingGates':
      return { kind: 'map', key: 'name' };
    case 'volumeMounts':
      return { kind: 'map', key: 'mountPath' };
    case 'volumeDevices':
      return { kind: 'map', key: 'devicePath' };
    case 'hostAliases':
      return { kind: 'map', key: 'ip' };
    case 'topologySpreadConstraints':
      return { kind: 'map', key: 'topologyKey' };
    case 'ownerReferences':
      return parent === 'metadata' ? { kind: 'map', key: 'uid' } : { kind: 'atomic' };
    case 'finalizers':
      return parent === 'metadata' ? { kind: 'set' } : { kind: 'atomic' };
    case 'conditions':
      return path[0] === 'status' ? { kind: 'map', key: 'type' } : { kind: 'atomic' };
    case 'addresses':
      return path[0] === 'status' && path.length === 2 ? { kind: 'map', key: 'type' } : { kind: 'atomic' };
    case 'ports':
      if (parent !== undefined && CONTAINER_LISTS.has(parent)) return { kind: 'map', key: 'containerPort' };
      if (path.length === 2 && path[0] === 'spec' && parent === 'spec') return { kind: 'map', key: 'port' };
      return { kind: 'atomic' };
    default:
      return { kind: 'atomic' };
  }
}

/** Fields whose maps keep only the keys a patch names (`$retainKeys`): strategy and volume sources. */
export function retainsKeys(path: readonly string[]): boolean {
  const field = path[path.length - 1];
  return (
    field === 'strategy' || field === 'updateStrategy' || (path[path.length - 2] === 'volumes' && field === undefined)
  );
}
