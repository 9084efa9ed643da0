/** HorizontalPodAutoscaler status conditions: set one, keeping its lastTransitionTime while its status stays. */
import { rfc3339 } from '../clock';
import { isObject, type JsonObject } from '../store/object';

export type HpaConditionType = 'AbleToScale' | 'ScalingActive' | 'ScalingLimited';

export function setCondition(
  conditions: JsonObject[],
  type: HpaConditionType,
  status: 'True' | 'False',
  reason: string,
  message: string,
  now: number,
): void {
  const existing = conditions.find((c) => c.type === type);
  if (existing) {
    if (existing.status !== status) existing.lastTransitionTime = rfc3339(now);
    existing.status = status;
    existing.reason = reason;
    existing.message = message;
    return;
  }
  conditions.push({ type, status, lastTransitionTime: rfc3339(now), reason, message });
}

/** A copy of the stored conditions, to change. */
export function conditionsOf(status: unknown): JsonObject[] {
  const list = isObject(status) && Array.isArray(status.conditions) ? status.conditions : [];
  return list.filter(isObject).map((c) => ({ ...c }));
}
