/**
 * The running pod of a workload to attach the debugger to: a Pod itself; the
 * pods of a Deployment's newest ReplicaSet (never one of a rollout's old
 * pods); the pods a StatefulSet, DaemonSet or ReplicaSet owns. Polls until
 * one runs, for a bounded time, and then says what it saw. No `vscode` here.
 */
import type { ClusterConnection } from '../kube/cluster-connection.js';
import type { KubeObject } from '../kube/kube-object.js';
import { DEBUG_KINDS, debuggablePods, isDebugKind, type WorkloadRef } from './debug-target.js';
import { describeRef } from '../kube/object-ref.js';
import { currentReplicaSet, labelSelectorOf } from '../run/rollout-status.js';

type Json = Record<string, unknown>;

export interface DebugPodOptions {
  /** Give up after this long (default 30 s). */
  timeoutMs?: number;
  signal?: AbortSignal;
}

function uidOf(o: KubeObject | Json | undefined): string {
  return String((o?.metadata as { uid?: string } | undefined)?.uid ?? '');
}

/** One look: the best pod now, or what stands in the way. */
async function lookOnce(
  conn: ClusterConnection,
  ref: WorkloadRef & { namespace: string },
): Promise<{ pod: KubeObject } | { waiting: string }> {
  const apiVersion = isDebugKind(ref.kind) ? DEBUG_KINDS[ref.kind] : undefined;
  if (!apiVersion) return { waiting: `${ref.kind} is not a kind the debugger attaches to` };
  const workload = await conn.reader.get({ apiVersion, kind: ref.kind, name: ref.name, namespace: ref.namespace });
  if (!workload) return { waiting: `${describeRef(ref)} is not in the cluster` };
  if (ref.kind === 'Pod') {
    const [pod] = debuggablePods([workload]);
    return pod ? { pod } : { waiting: `pod ${ref.name} is not running` };
  }
  const selector = labelSelectorOf(workload);
  let owner = uidOf(workload);
  let ownerName = describeRef(ref);
  if (ref.kind === 'Deployment') {
    const { items } = await conn.reader.list('apps/v1', 'ReplicaSet', {
      namespace: ref.namespace,
      labelSelector: selector,
    });
    const newest = currentReplicaSet(items.filter((rs) => ownerOf(rs, owner)));
    if (!newest) return { waiting: `${describeRef(ref)} has no ReplicaSet yet` };
    owner = uidOf(newest);
    const rsName = (newest.metadata as { name?: unknown } | undefined)?.name;
    ownerName = `ReplicaSet ${typeof rsName === 'string' ? rsName : ''}`;
  }
  const { items } = await conn.reader.list('v1', 'Pod', { namespace: ref.namespace, labelSelector: selector });
  const [pod] = debuggablePods(items, owner);
  return pod ? { pod } : { waiting: `no running pod of ${ownerName} (${items.length} pod(s) seen)` };
}

function ownerOf(o: KubeObject, uid: string): boolean {
  const refs = (o.metadata as { ownerReferences?: { uid?: string }[] } | undefined)?.ownerReferences ?? [];
  return refs.some((r) => r.uid === uid);
}

/** The pod to debug; rejects, saying what it last saw, when none runs within the time limit. */
export async function findDebugPod(
  conn: ClusterConnection,
  ref: WorkloadRef,
  options: DebugPodOptions = {},
): Promise<KubeObject> {
  const timeoutMs = options.timeoutMs ?? 30_000;
  const end = Date.now() + timeoutMs;
  const target = { ...ref, namespace: ref.namespace ?? conn.defaultNamespace };
  for (;;) {
    const seen = await lookOnce(conn, target);
    if ('pod' in seen) return seen.pod;
    if (options.signal?.aborted) throw new Error('cancelled');
    if (Date.now() >= end)
      throw new Error(
        `no pod of ${describeRef(target)} to debug after ${Math.round(timeoutMs / 1000)} s: ${seen.waiting}`,
      );
    await new Promise((r) => setTimeout(r, 500));
  }
}
