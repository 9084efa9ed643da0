/**
 * Kubernetes' DefaultTolerationSeconds admission: a pod that does not already
 * tolerate the `node.kubernetes.io/not-ready` or `node.kubernetes.io/unreachable`
 * NoExecute taint gets a toleration for it, `Exists`, for `seconds` (300 in
 * Kubernetes; `cluster start --default-toleration-seconds` sets it). So a pod
 * on a node that stops answering is evicted after that long, not at once.
 * A pod's own toleration (with its own tolerationSeconds, or none) is kept.
 */
import { isObject, type JsonObject } from '../../store/object';
import type { Admission } from './admission';
import { child } from './default-fields';

export const NOT_READY_TAINT = 'node.kubernetes.io/not-ready';
export const UNREACHABLE_TAINT = 'node.kubernetes.io/unreachable';
export const DEFAULT_TOLERATION_SECONDS = 300;

/** Whether `t` tolerates a NoExecute taint `key` (any value), as Kubernetes' plugin asks it. */
function toleratesNoExecute(t: JsonObject, key: string): boolean {
  if (typeof t.effect === 'string' && t.effect !== '' && t.effect !== 'NoExecute') return false;
  const tKey = typeof t.key === 'string' ? t.key : '';
  if (t.operator === 'Exists') return tKey === '' || tKey === key;
  return tKey === key;
}

export function defaultTolerationSecondsAdmission(seconds = DEFAULT_TOLERATION_SECONDS): Admission {
  return {
    default(object, context) {
      if (context.def.group !== '' || context.def.kind !== 'Pod' || context.operation !== 'CREATE') return;
      const spec = child(object, 'spec');
      if (spec.tolerations !== undefined && spec.tolerations !== null && !Array.isArray(spec.tolerations)) return; // validation says why
      const tolerations: unknown[] = Array.isArray(spec.tolerations) ? spec.tolerations : [];
      const own = tolerations.filter(isObject);
      for (const key of [NOT_READY_TAINT, UNREACHABLE_TAINT]) {
        if (!own.some((t) => toleratesNoExecute(t, key)))
          tolerations.push({ key, operator: 'Exists', effect: 'NoExecute', tolerationSeconds: seconds });
      }
      spec.tolerations = tolerations;
    },
    validate() {
      return [];
    },
  };
}
