/** Table columns of RBAC bindings, NetworkPolicy, PodDisruptionBudget and HorizontalPodAutoscaler (TARGETS as kubectl's HPA printer writes it). */
import { ageColumn, at, column, list, nameColumn, str, type Column } from './columns';
import { selectorText } from './template-columns';

const intOrPercent = (v: unknown) => (typeof v === 'number' || typeof v === 'string' ? String(v) : 'N/A');

export const roleBindingColumns: Column[] = [
  nameColumn(),
  column('Role', (o) => `${str(at(o, 'roleRef', 'kind'), '')}/${str(at(o, 'roleRef', 'name'), '')}`),
  ageColumn(),
];

export const networkPolicyColumns: Column[] = [
  nameColumn(),
  column('Pod-Selector', (o) => {
    const text = selectorText(at(o, 'spec', 'podSelector'));
    return text === '<none>' ? '<none>' : text;
  }),
  ageColumn(),
];

export const podDisruptionBudgetColumns: Column[] = [
  nameColumn(),
  column('Min Available', (o) => intOrPercent(at(o, 'spec', 'minAvailable'))),
  column('Max Unavailable', (o) => intOrPercent(at(o, 'spec', 'maxUnavailable'))),
  column('Allowed Disruptions', (o) => Number(at(o, 'status', 'disruptionsAllowed') ?? 0), { type: 'integer' }),
  ageColumn(),
];

/** A quantity field as the table prints it. */
function quantity(value: unknown): string | undefined {
  return typeof value === 'string' || typeof value === 'number' ? String(value) : undefined;
}

/** One metric's `current/target`, as kubectl's HPA printer writes it. */
function hpaMetric(spec: unknown, status: unknown): string {
  const unknown = '<unknown>';
  switch (at(spec, 'type')) {
    case 'Pods':
      return `${quantity(at(status, 'pods', 'current', 'averageValue')) ?? unknown}/${quantity(at(spec, 'pods', 'target', 'averageValue')) ?? ''}`;
    case 'Object': {
      const average = quantity(at(spec, 'object', 'target', 'averageValue'));
      if (average !== undefined)
        return `${quantity(at(status, 'object', 'current', 'averageValue')) ?? unknown}/${average} (avg)`;
      return `${quantity(at(status, 'object', 'current', 'value')) ?? unknown}/${quantity(at(spec, 'object', 'target', 'value')) ?? ''}`;
    }
    case 'External': {
      const average = quantity(at(spec, 'external', 'target', 'averageValue'));
      if (average !== undefined)
        return `${quantity(at(status, 'external', 'current', 'averageValue')) ?? unknown}/${average} (avg)`;
      return `${quantity(at(status, 'external', 'current', 'value')) ?? unknown}/${quantity(at(spec, 'external', 'target', 'value')) ?? ''}`;
    }
    case 'Resource':
    case 'ContainerResource': {
      const field = at(spec, 'type') === 'Resource' ? 'resource' : 'containerResource';
      const name = str(at(spec, field, 'name'), '');
      const average = quantity(at(spec, field, 'target', 'averageValue'));
      if (average !== undefined)
        return `${name}: ${quantity(at(status, field, 'current', 'averageValue')) ?? unknown}/${average}`;
      const current = at(status, field, 'current', 'averageUtilization');
      const target = at(spec, field, 'target', 'averageUtilization');
      return `${name}: ${typeof current === 'number' ? `${current}%` : unknown}/${typeof target === 'number' ? `${target}%` : '<auto>'}`;
    }
    default:
      return '<unknown type>';
  }
}

/** The TARGETS cell: the first two metrics, then how many more. */
export function hpaTargets(o: unknown): string {
  const specs = list(at(o, 'spec', 'metrics'));
  if (specs.length === 0) return '<none>';
  const statuses = list(at(o, 'status', 'currentMetrics'));
  const cells = specs.map((spec, i) => hpaMetric(spec, statuses[i]));
  if (cells.length <= 2) return cells.join(', ');
  return `${cells.slice(0, 2).join(', ')} + ${cells.length - 2} more...`;
}

export const horizontalPodAutoscalerColumns: Column[] = [
  nameColumn(),
  column(
    'Reference',
    (o) => `${str(at(o, 'spec', 'scaleTargetRef', 'kind'), '')}/${str(at(o, 'spec', 'scaleTargetRef', 'name'), '')}`,
  ),
  column('Targets', (o) => hpaTargets(o)),
  column('MinPods', (o) => Number(at(o, 'spec', 'minReplicas') ?? 1), { type: 'integer' }),
  column('MaxPods', (o) => Number(at(o, 'spec', 'maxReplicas') ?? 0), { type: 'integer' }),
  column('Replicas', (o) => Number(at(o, 'status', 'currentReplicas') ?? 0), { type: 'integer' }),
  ageColumn(),
];
