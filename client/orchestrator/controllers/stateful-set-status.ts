/**
 * A StatefulSet's status from its pods and revisions: counts by readiness,
 * availability and revision, and the current revision moving to the update
 * revision once every pod runs it and is ready (the rollout is complete).
 */
import { isObject, type JsonObject } from '../store/object';
import type { Stored } from '../store/object-store';
import { numberOr } from '../machinery/controller-context';
import { isRunningAndAvailable, isRunningAndReady, isTerminating, revisionLabel, setSpec } from './stateful-set-pods';

export interface StatusInput {
  set: Stored;
  pods: readonly Stored[];
  currentRevision: string;
  updateRevision: string;
  collisionCount: number;
  now: number;
}

export function statefulSetStatus(input: StatusInput): JsonObject {
  const { set, pods, updateRevision, now } = input;
  const minReady = numberOr(setSpec(set).minReadySeconds, 0);
  let currentRevision = input.currentRevision;
  let ready = 0;
  let available = 0;
  let current = 0;
  let updated = 0;
  for (const pod of pods) {
    if (isTerminating(pod)) continue;
    if (isRunningAndReady(pod)) ready++;
    if (isRunningAndAvailable(pod, minReady, now)) available++;
    const revision = revisionLabel(pod);
    if (revision === currentRevision) current++;
    if (revision === updateRevision) updated++;
  }
  const replicas = pods.length;
  if (currentRevision !== updateRevision && updated === replicas && ready === replicas) {
    currentRevision = updateRevision;
    current = updated;
  }
  const old = isObject(set.status) ? set.status : {};
  return {
    observedGeneration: set.metadata.generation ?? 1,
    replicas,
    readyReplicas: ready,
    currentReplicas: current,
    updatedReplicas: updated,
    availableReplicas: available,
    currentRevision,
    updateRevision,
    collisionCount: input.collisionCount,
    ...(Array.isArray(old.conditions) && old.conditions.length > 0 ? { conditions: old.conditions } : {}),
  };
}

/** The revision the set's pods were at before this template: the one its status names, if it still exists. */
export function currentRevisionName(set: Stored, names: ReadonlySet<string>, fallback: string): string {
  const status = isObject(set.status) ? set.status : {};
  const name = status.currentRevision;
  return typeof name === 'string' && names.has(name) ? name : fallback;
}
