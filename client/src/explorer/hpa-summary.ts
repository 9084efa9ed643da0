/**
 * What a HorizontalPodAutoscaler is doing, in one line, as the tree shows it
 * under its workload: `3 replicas (1–10), cpu 85%/50%`. Targets read as
 * `kubectl get hpa` prints them (`<unknown>` before the first metrics).
 * No `vscode` here.
 */
import type { KubeObject } from '../kube/kube-object.js';
import type { Health } from './resource-status.js';
import { obj, arr, str, type Json } from '../kube/json-fields.js';

const num = (v: unknown): number | undefined => (typeof v === 'number' ? v : undefined);
/** A quantity as the API wrote it (a string, or a number), or `fallback`. */
const quantity = (v: unknown, fallback: string): string =>
  typeof v === 'string' ? v : typeof v === 'number' ? String(v) : fallback;

/** The name a metric spec or status goes by: its resource, or its metric's name. */
function metricName(m: Json): string {
  const type = str(m.type);
  const body = obj(m[type === '' ? 'resource' : type.charAt(0).toLowerCase() + type.slice(1)]);
  if (type === 'Resource') return str(body.name);
  if (type === 'ContainerResource') return `${str(body.name)}(${str(body.container)})`;
  return str(obj(body.metric).name);
}

function targetText(target: Json): { value: (current: Json) => string; goal: string } {
  if (target.averageUtilization !== undefined || str(target.type) === 'Utilization')
    return {
      goal: `${num(target.averageUtilization) ?? '?'}%`,
      value: (c) => (num(c.averageUtilization) !== undefined ? `${num(c.averageUtilization)}%` : '<unknown>'),
    };
  if (target.averageValue !== undefined || str(target.type) === 'AverageValue')
    return { goal: quantity(target.averageValue, '?'), value: (c) => quantity(c.averageValue, '<unknown>') };
  return { goal: quantity(target.value, '?'), value: (c) => quantity(c.value, '<unknown>') };
}

/** `cpu 85%/50%, http_requests_in_flight 12/10`. */
export function hpaTargets(hpa: KubeObject): string {
  const current = arr(obj(hpa.status).currentMetrics);
  return arr(obj(hpa.spec).metrics)
    .map((m) => {
      const type = str(m.type);
      const key = type.charAt(0).toLowerCase() + type.slice(1);
      const name = metricName(m);
      const { goal, value } = targetText(obj(obj(m[key]).target));
      const now = current.find((c) => str(c.type) === type && metricName(c) === name);
      return `${name} ${now ? value(obj(obj(now[key]).current)) : '<unknown>'}/${goal}`;
    })
    .join(', ');
}

export function hpaSummary(hpa: KubeObject): { text: string; health: Health } {
  const spec = obj(hpa.spec);
  const status = obj(hpa.status);
  const replicas = num(status.currentReplicas) ?? 0;
  const range = `${num(spec.minReplicas) ?? 1}–${num(spec.maxReplicas) ?? '?'}`;
  const targets = hpaTargets(hpa);
  const conditions = arr(status.conditions);
  const failing = conditions.find(
    (c) => (c.type === 'ScalingActive' || c.type === 'AbleToScale') && c.status === 'False',
  );
  const text = `${replicas} ${replicas === 1 ? 'replica' : 'replicas'} (${range})${targets ? `, ${targets}` : ''}`;
  return failing
    ? { text: `${text}, ${str(failing.reason)}`, health: 'warning' }
    : { text, health: replicas > 0 ? 'ok' : 'none' };
}

/** The autoscalers whose `scaleTargetRef` names this workload. */
export function autoscalersOf(workload: KubeObject, hpas: readonly KubeObject[]): KubeObject[] {
  const ns = workload.metadata?.namespace ?? '';
  return hpas.filter((h) => {
    const target = obj(obj(h.spec).scaleTargetRef);
    return (
      (h.metadata?.namespace ?? '') === ns &&
      str(target.kind) === workload.kind &&
      str(target.name) === (workload.metadata?.name ?? '')
    );
  });
}
