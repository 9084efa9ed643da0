/**
 * Deletion as the API does it, for HTTP handlers and in-process writers:
 * the grace period of pods on a node, the finalizers of the propagation
 * policy (Foreground → `foregroundDeletion`, Orphan → `orphan`, Background
 * adds none; the garbage collector acts on them) and the protected namespaces.
 */
import { badRequest } from '../store/errors';
import { isObject } from '../store/object';
import type { Stored } from '../store/object-store';
import type { ApiContext } from './api-context';
import { assertDeletable } from './namespace-lifecycle';
import { storeKey, type ResourceDef } from './registry';

export type PropagationPolicy = 'Orphan' | 'Background' | 'Foreground';

export const FOREGROUND_FINALIZER = 'foregroundDeletion';
export const ORPHAN_FINALIZER = 'orphan';

export interface DeleteRequest {
  gracePeriodSeconds?: number;
  propagationPolicy?: PropagationPolicy;
  /** The legacy flag: true means Orphan, false Background (a policy, when given too, must agree). */
  orphanDependents?: boolean;
  preconditions?: { uid?: string; resourceVersion?: string };
}

/** Reads `propagationPolicy` and `orphanDependents` as Kubernetes does; an unknown policy is a 400. */
export function propagationOf(request: DeleteRequest): PropagationPolicy | undefined {
  const policy: unknown = request.propagationPolicy;
  if (policy !== undefined && policy !== 'Orphan' && policy !== 'Background' && policy !== 'Foreground') {
    if (typeof policy !== 'string') throw badRequest('propagationPolicy must be a string');
    throw badRequest(
      `propagationPolicy: Unsupported value: "${policy}": supported values: "Foreground", "Background", "Orphan"`,
    );
  }
  if (request.orphanDependents !== undefined && policy !== undefined) {
    throw badRequest(
      `propagationPolicy: Invalid value: "${policy}": orphanDependents and deletionPropagation cannot be both set`,
    );
  }
  if (request.orphanDependents !== undefined) return request.orphanDependents ? 'Orphan' : 'Background';
  return policy;
}

/** Pods on a node get their grace period (the kubelet finishes them); everything else, finished pods too, goes at once. */
export function gracePeriodFor(obj: Stored, requested: number | undefined): number {
  if (obj.kind !== 'Pod') return 0;
  const spec = isObject(obj.spec) ? obj.spec : {};
  if (typeof spec.nodeName !== 'string' || spec.nodeName === '') return 0;
  const phase = isObject(obj.status) ? obj.status.phase : undefined;
  if (phase === 'Succeeded' || phase === 'Failed') return 0;
  const fromSpec = typeof spec.terminationGracePeriodSeconds === 'number' ? spec.terminationGracePeriodSeconds : 30;
  return requested ?? fromSpec;
}

/** Finalizers the policy adds; an object already being deleted keeps what it has. */
export function finalizersFor(policy: PropagationPolicy | undefined): string[] {
  if (policy === 'Foreground') return [FOREGROUND_FINALIZER];
  if (policy === 'Orphan') return [ORPHAN_FINALIZER];
  return [];
}

export async function deleteObject(
  ctx: ApiContext,
  def: ResourceDef,
  obj: Stored,
  request: DeleteRequest,
  dryRun = false,
): Promise<{ object: Stored; removed: boolean }> {
  const policy = propagationOf(request);
  if (def.kind === 'Namespace' && def.group === '') assertDeletable(obj.metadata.name ?? '');
  if (dryRun) return { object: obj, removed: false };
  const marked = obj.metadata.deletionTimestamp !== undefined;
  return ctx.store.delete(storeKey(def), obj.metadata.namespace ?? '', obj.metadata.name ?? '', {
    gracePeriodSeconds: gracePeriodFor(obj, request.gracePeriodSeconds),
    ...(marked ? {} : { finalizers: finalizersFor(policy) }),
    ...(request.preconditions ? { preconditions: request.preconditions } : {}),
  });
}
