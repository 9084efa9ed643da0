/** Setting one condition in a status' `conditions` list, keeping its transition time when the status did not change. */
import { isObject, type JsonObject } from '../store/object';

/** A condition of any object's status (pods, nodes, workloads). */
export interface Condition {
  type: string;
  status: 'True' | 'False' | 'Unknown';
  reason?: string;
  message?: string;
  lastProbeTime?: string | null;
  lastTransitionTime?: string;
  lastUpdateTime?: string;
}

/** A copy of `status` with `condition` in place of the one of its type. */
export function setCondition(status: JsonObject, condition: Condition): JsonObject {
  return { ...status, conditions: withConditions(status, [condition]) };
}

/**
 * A copy of `status.conditions` with each of `conditions` set in turn: in place of the one of its type (keeping
 * that one's transition time when the status did not change), or after the others. One copy for any number.
 */
export function withConditions(status: JsonObject, conditions: readonly Condition[]): JsonObject[] {
  const list = Array.isArray(status.conditions) ? status.conditions.filter(isObject) : [];
  for (const condition of conditions) {
    const i = list.findIndex((c) => c.type === condition.type);
    const old = i === -1 ? undefined : list[i];
    const next: JsonObject = { ...condition };
    if (old && old.status === condition.status && typeof old.lastTransitionTime === 'string')
      next.lastTransitionTime = old.lastTransitionTime;
    if (i === -1) list.push(next);
    else list[i] = next;
  }
  return list;
}
