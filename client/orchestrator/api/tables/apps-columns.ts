/** Table columns of statefulsets, daemonsets and controllerrevisions, as kubectl 1.32 prints them. */
import type { Stored } from '../../store/object-store';
import { ageColumn, at, column, nameColumn, num, type Column } from './columns';
import { podTemplateColumns, selectorText } from './template-columns';

const containerColumns = podTemplateColumns((o) => at(o, 'spec'), false);

/** `k=v,k2=v2` sorted by key, or `<none>`. */
export function labelsText(labels: unknown): string {
  if (labels === null || typeof labels !== 'object') return '<none>';
  const pairs = Object.entries(labels as Record<string, unknown>)
    .sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))
    .map(([k, v]) => `${k}=${String(v)}`);
  return pairs.length > 0 ? pairs.join(',') : '<none>';
}

export const statefulSetColumns: Column[] = [
  nameColumn(),
  column('Ready', (o) => `${num(at(o, 'status', 'readyReplicas'))}/${num(at(o, 'spec', 'replicas'))}`, {
    description: 'Number of the pod with ready state',
  }),
  ageColumn(),
  ...containerColumns,
];

const count = (name: string, field: string, description: string): Column =>
  column(name, (o) => num(at(o, 'status', field)), { type: 'integer', description });

export const daemonSetColumns: Column[] = [
  nameColumn(),
  count('Desired', 'desiredNumberScheduled', 'The desired number of pods scheduled.'),
  count('Current', 'currentNumberScheduled', 'The current number of pods scheduled.'),
  count('Ready', 'numberReady', 'The number of pods ready.'),
  count('Up-to-date', 'updatedNumberScheduled', 'The number of pods updated.'),
  count('Available', 'numberAvailable', 'The number of pods available.'),
  column('Node Selector', (o) => labelsText(at(o, 'spec', 'template', 'spec', 'nodeSelector')), {
    description: 'The node selector of the pods.',
  }),
  ageColumn(),
  ...containerColumns,
  column('Selector', (o) => selectorText(at(o, 'spec', 'selector')), { priority: 1 }),
];

/** `statefulset.apps/web`: the controller's kind and group in lower case, and its name. */
function controllerName(o: Stored): string {
  const ref = o.metadata.ownerReferences?.find((r) => r.controller === true);
  if (!ref) return '<none>';
  const slash = ref.apiVersion.indexOf('/');
  const group = slash === -1 ? '' : ref.apiVersion.slice(0, slash);
  return `${ref.kind.toLowerCase()}${group === '' ? '' : `.${group}`}/${ref.name}`;
}

export const controllerRevisionColumns: Column[] = [
  nameColumn(),
  column('Controller', controllerName),
  column('Revision', (o) => num(at(o, 'revision')), { type: 'integer' }),
  ageColumn(),
];
