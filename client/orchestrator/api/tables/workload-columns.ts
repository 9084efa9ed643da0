/** Table columns of pods, deployments and replicasets. */
import type { Stored } from '../../store/object-store';
import { ageColumn, at, column, list, nameColumn, num, str, type Column } from './columns';
import { podTemplateColumns } from './template-columns';

function podStatus(pod: Stored): string {
  if (pod.metadata.deletionTimestamp) return 'Terminating';
  let reason = str(at(pod, 'status', 'reason'), '') || str(at(pod, 'status', 'phase'), 'Pending');
  const inits = list(at(pod, 'status', 'initContainerStatuses'));
  for (const [i, s] of inits.entries()) {
    const waiting = str(at(s, 'state', 'waiting', 'reason'), '');
    const terminated = at(s, 'state', 'terminated');
    if (terminated !== undefined && num(at(terminated, 'exitCode')) === 0) continue;
    if (terminated !== undefined) return `Init:${str(at(terminated, 'reason'), 'Error')}`;
    return waiting && waiting !== 'PodInitializing' ? `Init:${waiting}` : `Init:${i}/${inits.length}`;
  }
  for (const s of list(at(pod, 'status', 'containerStatuses'))) {
    const waiting = str(at(s, 'state', 'waiting', 'reason'), '');
    const terminated = str(at(s, 'state', 'terminated', 'reason'), '');
    if (waiting) reason = waiting;
    else if (terminated) reason = terminated;
  }
  return reason;
}

function readyCount(pod: Stored): string {
  const total = list(at(pod, 'spec', 'containers')).length;
  const ready = list(at(pod, 'status', 'containerStatuses')).filter((s) => at(s, 'ready') === true).length;
  return `${ready}/${total}`;
}

function restarts(pod: Stored): string {
  const statuses = list(at(pod, 'status', 'containerStatuses'));
  return String(statuses.reduce<number>((sum, s) => sum + num(at(s, 'restartCount')), 0));
}

const templateColumns = podTemplateColumns((o) => at(o, 'spec'));

export const podColumns: Column[] = [
  nameColumn(),
  column('Ready', readyCount, { description: 'The aggregate readiness state of this pod for accepting traffic.' }),
  column('Status', podStatus, { description: 'The aggregate status of the containers in this pod.' }),
  column('Restarts', restarts, { description: 'The number of times the containers in this pod have been restarted.' }),
  ageColumn(),
  column('IP', (o) => str(at(o, 'status', 'podIP')), { priority: 1 }),
  column('Node', (o) => str(at(o, 'spec', 'nodeName')), { priority: 1 }),
  column('Nominated Node', (o) => str(at(o, 'status', 'nominatedNodeName')), { priority: 1 }),
  column(
    'Readiness Gates',
    (o) => {
      const gates = list(at(o, 'spec', 'readinessGates'));
      if (gates.length === 0) return '<none>';
      const conditions = list(at(o, 'status', 'conditions'));
      const ready = gates.filter((g) =>
        conditions.some((c) => at(c, 'type') === at(g, 'conditionType') && at(c, 'status') === 'True'),
      ).length;
      return `${ready}/${gates.length}`;
    },
    { priority: 1 },
  ),
];

export const deploymentColumns: Column[] = [
  nameColumn(),
  column('Ready', (o) => `${num(at(o, 'status', 'readyReplicas'))}/${num(at(o, 'spec', 'replicas'))}`),
  column('Up-to-date', (o) => num(at(o, 'status', 'updatedReplicas')), { type: 'integer' }),
  column('Available', (o) => num(at(o, 'status', 'availableReplicas')), { type: 'integer' }),
  ageColumn(),
  ...templateColumns,
];

export const replicaSetColumns: Column[] = [
  nameColumn(),
  column('Desired', (o) => num(at(o, 'spec', 'replicas')), { type: 'integer' }),
  column('Current', (o) => num(at(o, 'status', 'replicas')), { type: 'integer' }),
  column('Ready', (o) => num(at(o, 'status', 'readyReplicas')), { type: 'integer' }),
  ageColumn(),
  ...templateColumns,
];

/** A plain label map as Kubernetes' FormatLabels prints it: `a=1,b=2`, keys sorted; `<none>` when empty. */
export function labelsText(labels: unknown): string {
  if (labels === null || typeof labels !== 'object') return '<none>';
  const pairs = Object.entries(labels)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${String(v)}`);
  return pairs.length > 0 ? pairs.join(',') : '<none>';
}

export const replicationControllerColumns: Column[] = [
  ...replicaSetColumns.slice(0, 5),
  ...podTemplateColumns((o) => at(o, 'spec'), false),
  // An equality selector: a plain label map, not a LabelSelector.
  column('Selector', (o) => labelsText(at(o, 'spec', 'selector')), {
    priority: 1,
    description: 'The label selector that selects the pods this controller manages.',
  }),
];

const podTemplateSpecColumns = podTemplateColumns((o) => o, false);

export const podTemplateKindColumns: Column[] = [
  nameColumn(),
  ...podTemplateSpecColumns.map((c) => ({ ...c, priority: 0 as const })),
  column('Pod Labels', (o) => labelsText(at(o, 'template', 'metadata', 'labels')), {
    description: 'The labels for the pod template.',
  }),
];
