import { idOf, type Resource, type ResourceId } from './resource';

/** Kinds kustomize's legacy order puts first (in this order) and last; all others sit between. */
const FIRST = [
  'Namespace',
  'ResourceQuota',
  'StorageClass',
  'CustomResourceDefinition',
  'ServiceAccount',
  'PodSecurityPolicy',
  'Role',
  'ClusterRole',
  'RoleBinding',
  'ClusterRoleBinding',
  'ConfigMap',
  'Secret',
  'Endpoints',
  'Service',
  'LimitRange',
  'PriorityClass',
  'PersistentVolume',
  'PersistentVolumeClaim',
  'Deployment',
  'StatefulSet',
  'CronJob',
  'PodDisruptionBudget',
];
const LAST = ['MutatingWebhookConfiguration', 'ValidatingWebhookConfiguration'];

const RANK = new Map<string, number>([
  ...FIRST.map((kind, i): [string, number] => [kind, i - FIRST.length]),
  ...LAST.map((kind, i): [string, number] => [kind, i + 1]),
]);

function gvkString(id: ResourceId): string {
  return [
    id.group === '' ? '~G' : id.group,
    id.version === '' ? '~V' : id.version,
    id.kind === '' ? '~K' : id.kind,
  ].join('_');
}

function compare(a: ResourceId, b: ResourceId): number {
  const ra = RANK.get(a.kind) ?? 0;
  const rb = RANK.get(b.kind) ?? 0;
  if (ra !== rb) return ra - rb;
  const ga = gvkString(a);
  const gb = gvkString(b);
  if (ga !== gb) return ga < gb ? -1 : 1;
  const ka = `${a.namespace}|${a.name}`;
  const kb = `${b.namespace}|${b.name}`;
  return ka < kb ? -1 : ka > kb ? 1 : 0;
}

/** `kubectl kustomize`'s default output order (kustomize's legacy sort), stable. */
export function legacyOrder(resources: readonly Resource[]): Resource[] {
  return resources
    .map((r, i) => ({ r, i, id: idOf(r.object) }))
    .sort((x, y) => compare(x.id, y.id) || x.i - y.i)
    .map((x) => x.r);
}
