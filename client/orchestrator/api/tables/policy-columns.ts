/** Table columns of the policy kinds: RBAC bindings, NetworkPolicy, PodDisruptionBudget, HorizontalPodAutoscaler. */
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

export const horizontalPodAutoscalerColumns: Column[] = [
  nameColumn(),
  column(
    'Reference',
    (o) => `${str(at(o, 'spec', 'scaleTargetRef', 'kind'), '')}/${str(at(o, 'spec', 'scaleTargetRef', 'name'), '')}`,
  ),
  column('Targets', (o) => {
    const targets = list(at(o, 'spec', 'metrics')).map((m) => {
      const name = str(at(m, 'resource', 'name'), str(at(m, 'type'), 'metric'));
      const utilization = at(m, 'resource', 'target', 'averageUtilization');
      return `${name}: <unknown>/${typeof utilization === 'number' ? `${utilization}%` : str(at(m, 'resource', 'target', 'averageValue'), '?')}`;
    });
    return targets.length > 0 ? targets.join(', ') : '<none>';
  }),
  column('MinPods', (o) => Number(at(o, 'spec', 'minReplicas') ?? 1), { type: 'integer' }),
  column('MaxPods', (o) => Number(at(o, 'spec', 'maxReplicas') ?? 0), { type: 'integer' }),
  column('Replicas', (o) => Number(at(o, 'status', 'currentReplicas') ?? 0), { type: 'integer' }),
  ageColumn(),
];
