/**
 * Every running container of an image: the pods (in the given namespaces, or
 * all) that are Running and not being deleted, and in each the containers
 * whose spec names the image and whose state is running. Init and ephemeral
 * containers are left out: their files are not what serves.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import type { ContainerTarget } from './sync-copy.js';

interface PodShape extends KubeObject {
  metadata?: { name?: string; namespace?: string; deletionTimestamp?: string; resourceVersion?: string };
  spec?: { containers?: { name?: string; image?: string }[] };
  status?: { phase?: string; containerStatuses?: { name?: string; state?: { running?: unknown } }[] };
}

/** The running containers, in one pass over a pod list, of the images `wanted` accepts. */
export function runningContainers(pods: readonly KubeObject[], wanted: (image: string) => boolean): ContainerTarget[] {
  const out: ContainerTarget[] = [];
  for (const pod of pods as readonly PodShape[]) {
    const name = pod.metadata?.name;
    if (!name || pod.metadata?.deletionTimestamp || pod.status?.phase !== 'Running') continue;
    const statuses: unknown = pod.status.containerStatuses;
    const running = new Set<string>();
    for (const st of Array.isArray(statuses) ? (statuses as unknown[]) : []) {
      const { name: n, state } = (typeof st === 'object' && st !== null ? st : {}) as {
        name?: unknown;
        state?: { running?: unknown };
      };
      if (typeof n === 'string' && typeof state === 'object' && state !== null && state.running !== undefined)
        running.add(n);
    }
    const containers: unknown = pod.spec?.containers;
    for (const c of Array.isArray(containers) ? (containers as unknown[]) : []) {
      if (typeof c !== 'object' || c === null) continue;
      const { name: container, image } = c as { name?: unknown; image?: unknown };
      if (typeof container === 'string' && typeof image === 'string' && wanted(image) && running.has(container))
        out.push({ namespace: pod.metadata?.namespace ?? 'default', pod: name, container });
    }
  }
  return out;
}

/** Lists the pods of the namespaces (every namespace when none is given) and picks the running containers. */
export async function findRunningContainers(
  conn: ClusterConnection,
  namespaces: readonly string[],
  wanted: (image: string) => boolean,
): Promise<ContainerTarget[]> {
  const lists =
    namespaces.length === 0
      ? [await conn.reader.list('v1', 'Pod')]
      : await Promise.all(namespaces.map((namespace) => conn.reader.list('v1', 'Pod', { namespace })));
  return runningContainers(
    lists.flatMap((l) => l.items),
    wanted,
  );
}
