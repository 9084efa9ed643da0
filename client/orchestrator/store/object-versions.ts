/**
 * The next version of a stored object, as an update or a delete makes it: which metadata the
 * store keeps whatever the caller sent, when the generation moves, and what marks an object for
 * deletion. Pure functions of the stored object and the request; the store commits the result.
 */
import { rfc3339 } from '../clock';
import { conflict, type StatusError } from './errors';
import { clone, isObject, sameSpec, type KubeObject } from './object';

export interface WriteOptions {
  /**
   * The caller built the object for this write alone, of a depth it bounds itself (an Event, a copy of a
   * stored object with one field set), and gives it up: it is stored as it is, not copied, and frozen.
   */
  fresh?: boolean;
}

export interface UpdateOptions extends WriteOptions {
  /** Take only `status` from the new object (the status subresource). */
  statusOnly?: boolean;
  /** Keep the stored `status`, ignoring the new object's (main resource of kinds with a status subresource). */
  preserveStatus?: boolean;
}

export interface DeleteOptions {
  preconditions?: { uid?: string; resourceVersion?: string };
  /** Mark for deletion this many seconds from now instead of removing (pods on a node). */
  gracePeriodSeconds?: number;
  /** Finalizers to add (propagation policies: `orphan`, `foregroundDeletion`); they hold the object until removed. */
  finalizers?: readonly string[];
}

/**
 * What holds a deleted object in place: its finalizers, and for a Namespace
 * also `spec.finalizers` (the `kubernetes` finalizer the namespace controller removes).
 */
export function deletionBlockers(obj: Readonly<KubeObject>): string[] {
  const blockers = [...(obj.metadata.finalizers ?? [])];
  if (obj.kind === 'Namespace' && isObject(obj.spec) && Array.isArray(obj.spec.finalizers)) {
    for (const f of obj.spec.finalizers) blockers.push(String(f));
  }
  return blockers;
}

/**
 * The version an update makes of `old`: the caller's object (or only its status), with the
 * metadata the store owns taken from `old`, and the generation moved on when the spec changed.
 */
export function updatedVersion(old: Readonly<KubeObject>, input: KubeObject, options: UpdateOptions): KubeObject {
  let next: KubeObject;
  if (options.statusOnly) {
    // Only status and metadata change: the rest is shared with the stored (frozen) object.
    next = { ...old, metadata: { ...old.metadata } };
    if (input.status === undefined) delete next.status;
    else next.status = options.fresh ? input.status : clone(input.status);
  } else {
    next = options.fresh ? input : clone(input);
    if (options.preserveStatus) {
      if (old.status === undefined) delete next.status;
      else next.status = clone(old.status);
    }
  }
  const meta = next.metadata;
  copyOrDelete(meta, old.metadata, 'uid');
  copyOrDelete(meta, old.metadata, 'creationTimestamp');
  copyOrDelete(meta, old.metadata, 'namespace');
  copyOrDelete(meta, old.metadata, 'deletionTimestamp');
  copyOrDelete(meta, old.metadata, 'deletionGracePeriodSeconds');
  const specChanged = !sameSpec(old, next);
  meta.generation = (old.metadata.generation ?? 1) + (specChanged ? 1 : 0);
  copyOrDelete(meta, old.metadata, 'resourceVersion');
  return next;
}

/** The Conflict a delete's preconditions give against the stored object, if any. */
export function failedPrecondition(
  group: string,
  resource: string,
  name: string,
  old: Readonly<KubeObject>,
  pre: NonNullable<DeleteOptions['preconditions']>,
): StatusError | undefined {
  if (pre.uid && pre.uid !== old.metadata.uid) {
    const message = `Precondition failed: UID in precondition: ${pre.uid}, UID in object meta: ${old.metadata.uid}`;
    return conflict(group, resource, name, message);
  }
  if (pre.resourceVersion && pre.resourceVersion !== old.metadata.resourceVersion) {
    const message = `Precondition failed: ResourceVersion in precondition: ${pre.resourceVersion}, ResourceVersion in object meta: ${old.metadata.resourceVersion}`;
    return conflict(group, resource, name, message);
  }
  return undefined;
}

/**
 * `old` marked for deletion at `now` plus the grace period, with the finalizers `added`: a
 * shorter grace period may move the deadline earlier, never later.
 */
export function markedForDeletion(
  old: Readonly<KubeObject>,
  added: readonly string[],
  grace: number,
  now: number,
): KubeObject {
  const next = clone(old) as KubeObject;
  if (added.length > 0) next.metadata.finalizers = [...(old.metadata.finalizers ?? []), ...added];
  if (old.kind === 'Namespace') next.status = { ...(isObject(old.status) ? old.status : {}), phase: 'Terminating' };
  const at = rfc3339(now + grace * 1000);
  const current = old.metadata.deletionTimestamp;
  if (current === undefined || Date.parse(at) < Date.parse(current)) {
    next.metadata.deletionTimestamp = at;
    next.metadata.deletionGracePeriodSeconds = grace;
  }
  return next;
}

export function splitResource(resource: string): [group: string, resource: string] {
  const slash = resource.indexOf('/');
  return [resource.slice(0, slash), resource.slice(slash + 1)];
}

function copyOrDelete(target: Record<string, unknown>, source: Readonly<Record<string, unknown>>, key: string): void {
  if (source[key] === undefined) delete target[key];
  else target[key] = source[key];
}
