/**
 * autoscaling/v2 HorizontalPodAutoscaler defaults, as Kubernetes writes them:
 * `minReplicas` 1; no metrics means CPU at 80 % utilization; a `behavior` that
 * is given gets every rule it leaves out (scale-up: no stabilization, the larger
 * of 4 pods or 100 % per 15 s; scale-down: a 300 s window, 100 % per 15 s;
 * `selectPolicy` Max).
 */
import { isObject, type JsonObject, type KubeObject } from '../../store/object';

function rules(raw: unknown, up: boolean): JsonObject {
  const out: JsonObject = isObject(raw) ? raw : {};
  if (out.stabilizationWindowSeconds === undefined) out.stabilizationWindowSeconds = up ? 0 : 300;
  if (out.selectPolicy === undefined) out.selectPolicy = 'Max';
  if (!Array.isArray(out.policies) || out.policies.length === 0)
    out.policies = up
      ? [
          { type: 'Pods', value: 4, periodSeconds: 15 },
          { type: 'Percent', value: 100, periodSeconds: 15 },
        ]
      : [{ type: 'Percent', value: 100, periodSeconds: 15 }];
  return out;
}

export function defaultHorizontalPodAutoscaler(hpa: KubeObject): void {
  if (!isObject(hpa.spec)) return;
  const spec = hpa.spec;
  if (spec.minReplicas === undefined) spec.minReplicas = 1;
  if (!Array.isArray(spec.metrics) || spec.metrics.length === 0)
    spec.metrics = [
      { type: 'Resource', resource: { name: 'cpu', target: { type: 'Utilization', averageUtilization: 80 } } },
    ];
  if (isObject(spec.behavior)) {
    spec.behavior.scaleUp = rules(spec.behavior.scaleUp, true);
    spec.behavior.scaleDown = rules(spec.behavior.scaleDown, false);
  }
}
