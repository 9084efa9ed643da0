/**
 * Every kind the API server serves, one row each: where it lives (whether in a
 * namespace is the shared model's knowledge, kube-model/kinds.ts), how discovery describes it, which subresources it has and its table columns.
 * Adding a kind is adding a row.
 */
import { isNamespacedKind } from '../../../server/kube-model/kinds';
import { controllerRevisionColumns, daemonSetColumns, statefulSetColumns } from './tables/apps-columns';
import {
  configMapColumns,
  defaultColumns,
  eventColumns,
  leaseColumns,
  namespaceColumns,
  nodeColumns,
  secretColumns,
  serviceAccountColumns,
} from './tables/cluster-columns';
import { cronJobColumns, jobColumns } from './tables/batch-columns';
import type { Column } from './tables/columns';
import { CUSTOM_METRICS } from './metrics/custom-metric-names';
import {
  endpointSliceColumns,
  endpointsColumns,
  ingressClassColumns,
  ingressColumns,
  serviceColumns,
} from './tables/network-columns';
import {
  horizontalPodAutoscalerColumns,
  networkPolicyColumns,
  podDisruptionBudgetColumns,
  roleBindingColumns,
} from './tables/policy-columns';
import { persistentVolumeClaimColumns, persistentVolumeColumns, storageClassColumns } from './tables/storage-columns';
import {
  deploymentColumns,
  podColumns,
  podTemplateKindColumns,
  replicaSetColumns,
  replicationControllerColumns,
} from './tables/workload-columns';

export type SubresourceName =
  'status' | 'scale' | 'binding' | 'log' | 'eviction' | 'ephemeralcontainers' | 'attach' | 'exec' | 'portforward';

export interface ResourceDef {
  group: string;
  version: string;
  /** Plural, lower case: `deployments`. */
  resource: string;
  kind: string;
  namespaced: boolean;
  shortNames: string[];
  categories: string[];
  subresources: SubresourceName[];
  columns: Column[];
  /**
   * Set for kinds the cluster stores and serves but does not act on (RBAC,
   * NetworkPolicy, quotas...): what a create warns, so a manifest that has
   * them applies whole and the user knows they have no effect here.
   */
  inert?: string;
  /** Verbs discovery lists, when not every verb (the metrics APIs: get, list). */
  verbs?: string[];
  /** Served from the metrics hub, not the store (metrics.k8s.io, custom.metrics.k8s.io). */
  metrics?: boolean;
  /** Stored in this other version of the group and converted (autoscaling/v1 HorizontalPodAutoscalers). */
  convertedFrom?: string;
}

const SCALE = { group: 'autoscaling', version: 'v1', kind: 'Scale' } as const;

function row(
  group: string,
  version: string,
  resource: string,
  kind: string,
  extra: {
    shortNames?: string[];
    all?: boolean;
    subresources?: SubresourceName[];
    columns?: Column[];
    inert?: string;
    namespaced?: boolean;
    verbs?: string[];
  } = {},
): ResourceDef {
  return {
    ...(extra.inert !== undefined ? { inert: extra.inert } : {}),
    ...(extra.verbs !== undefined ? { verbs: extra.verbs, metrics: true } : {}),
    group,
    version,
    resource,
    kind,
    namespaced: extra.namespaced ?? isNamespacedKind(kind),
    shortNames: extra.shortNames ?? [],
    categories: extra.all ? ['all'] : [],
    subresources: extra.subresources ?? [],
    columns: extra.columns ?? defaultColumns,
  };
}

const NOT_ENFORCED = 'not enforced: every client of the embedded cluster acts as its administrator';

/** Kinds an application's manifests often carry, stored and served so they apply, with no effect here. */
const INERT: readonly ResourceDef[] = [
  row('', 'v1', 'limitranges', 'LimitRange', { shortNames: ['limits'], inert: 'not applied to pods' }),
  row('', 'v1', 'resourcequotas', 'ResourceQuota', {
    shortNames: ['quota'],
    subresources: ['status'],
    inert: 'not enforced',
  }),
  row('rbac.authorization.k8s.io', 'v1', 'roles', 'Role', { inert: NOT_ENFORCED }),
  row('rbac.authorization.k8s.io', 'v1', 'rolebindings', 'RoleBinding', {
    inert: NOT_ENFORCED,
    columns: roleBindingColumns,
  }),
  row('rbac.authorization.k8s.io', 'v1', 'clusterroles', 'ClusterRole', { inert: NOT_ENFORCED }),
  row('rbac.authorization.k8s.io', 'v1', 'clusterrolebindings', 'ClusterRoleBinding', {
    inert: NOT_ENFORCED,
    columns: roleBindingColumns,
  }),
  row('networking.k8s.io', 'v1', 'networkpolicies', 'NetworkPolicy', {
    shortNames: ['netpol'],
    columns: networkPolicyColumns,
    inert: 'not enforced: all pods of the embedded cluster reach each other',
  }),
  row('scheduling.k8s.io', 'v1', 'priorityclasses', 'PriorityClass', {
    shortNames: ['pc'],
    inert: 'not used for preemption',
  }),
];

const READ_ONLY = ['get', 'list'];

/** The resource metrics API (metrics-server's) and the custom metrics API: read from the metrics hub. */
const METRICS: readonly ResourceDef[] = [
  row('metrics.k8s.io', 'v1beta1', 'pods', 'PodMetrics', { namespaced: true, verbs: READ_ONLY }),
  row('metrics.k8s.io', 'v1beta1', 'nodes', 'NodeMetrics', { namespaced: false, verbs: READ_ONLY }),
  ...CUSTOM_METRICS.map((m) =>
    row('custom.metrics.k8s.io', 'v1beta2', m.resource, 'MetricValueList', { namespaced: true, verbs: ['get'] }),
  ),
];

export const RESOURCES: readonly ResourceDef[] = [
  row('', 'v1', 'namespaces', 'Namespace', {
    shortNames: ['ns'],
    subresources: ['status'],
    columns: namespaceColumns,
  }),
  row('', 'v1', 'nodes', 'Node', { shortNames: ['no'], subresources: ['status'], columns: nodeColumns }),
  row('', 'v1', 'pods', 'Pod', {
    shortNames: ['po'],
    all: true,
    subresources: ['status', 'binding', 'log', 'eviction', 'ephemeralcontainers', 'attach', 'exec', 'portforward'],
    columns: podColumns,
  }),
  row('', 'v1', 'services', 'Service', {
    shortNames: ['svc'],
    all: true,
    subresources: ['status'],
    columns: serviceColumns,
  }),
  row('', 'v1', 'endpoints', 'Endpoints', { shortNames: ['ep'], columns: endpointsColumns }),
  row('', 'v1', 'configmaps', 'ConfigMap', { shortNames: ['cm'], columns: configMapColumns }),
  row('', 'v1', 'secrets', 'Secret', { columns: secretColumns }),
  row('', 'v1', 'serviceaccounts', 'ServiceAccount', { shortNames: ['sa'], columns: serviceAccountColumns }),
  row('', 'v1', 'events', 'Event', { shortNames: ['ev'], columns: eventColumns }),
  row('', 'v1', 'persistentvolumeclaims', 'PersistentVolumeClaim', {
    shortNames: ['pvc'],
    subresources: ['status'],
    columns: persistentVolumeClaimColumns,
  }),
  row('', 'v1', 'persistentvolumes', 'PersistentVolume', {
    shortNames: ['pv'],
    subresources: ['status'],
    columns: persistentVolumeColumns,
  }),
  row('', 'v1', 'replicationcontrollers', 'ReplicationController', {
    shortNames: ['rc'],
    all: true,
    subresources: ['status', 'scale'],
    columns: replicationControllerColumns,
  }),
  row('', 'v1', 'podtemplates', 'PodTemplate', { columns: podTemplateKindColumns }),
  row('apps', 'v1', 'deployments', 'Deployment', {
    shortNames: ['deploy'],
    all: true,
    subresources: ['status', 'scale'],
    columns: deploymentColumns,
  }),
  row('apps', 'v1', 'replicasets', 'ReplicaSet', {
    shortNames: ['rs'],
    all: true,
    subresources: ['status', 'scale'],
    columns: replicaSetColumns,
  }),
  row('apps', 'v1', 'statefulsets', 'StatefulSet', {
    shortNames: ['sts'],
    all: true,
    subresources: ['status', 'scale'],
    columns: statefulSetColumns,
  }),
  row('apps', 'v1', 'daemonsets', 'DaemonSet', {
    shortNames: ['ds'],
    all: true,
    subresources: ['status'],
    columns: daemonSetColumns,
  }),
  row('apps', 'v1', 'controllerrevisions', 'ControllerRevision', { columns: controllerRevisionColumns }),
  row('discovery.k8s.io', 'v1', 'endpointslices', 'EndpointSlice', { columns: endpointSliceColumns }),
  row('networking.k8s.io', 'v1', 'ingresses', 'Ingress', {
    shortNames: ['ing'],
    subresources: ['status'],
    columns: ingressColumns,
  }),
  row('networking.k8s.io', 'v1', 'ingressclasses', 'IngressClass', { columns: ingressClassColumns }),
  row('policy', 'v1', 'poddisruptionbudgets', 'PodDisruptionBudget', {
    shortNames: ['pdb'],
    columns: podDisruptionBudgetColumns,
    subresources: ['status'],
  }),
  row('coordination.k8s.io', 'v1', 'leases', 'Lease', { columns: leaseColumns }),
  row('batch', 'v1', 'jobs', 'Job', { all: true, subresources: ['status'], columns: jobColumns }),
  row('batch', 'v1', 'cronjobs', 'CronJob', {
    shortNames: ['cj'],
    all: true,
    subresources: ['status'],
    columns: cronJobColumns,
  }),
  row('autoscaling', 'v2', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
    shortNames: ['hpa'],
    columns: horizontalPodAutoscalerColumns,
    all: true,
    subresources: ['status'],
  }),
  // Stored as v2; served converted (api/hpa-v1.ts). Listed after v2: v2 is the preferred version.
  {
    ...row('autoscaling', 'v1', 'horizontalpodautoscalers', 'HorizontalPodAutoscaler', {
      shortNames: ['hpa'],
      columns: horizontalPodAutoscalerColumns,
      all: true,
      subresources: ['status'],
    }),
    convertedFrom: 'v2',
  },
  ...INERT,
  row('storage.k8s.io', 'v1', 'storageclasses', 'StorageClass', {
    shortNames: ['sc'],
    columns: storageClassColumns,
  }),
  ...METRICS,
];

export const ALL_VERBS = ['create', 'delete', 'deletecollection', 'get', 'list', 'patch', 'update', 'watch'];

/** What discovery says about a subresource: its kind and verbs. */
export function subresourceInfo(
  def: ResourceDef,
  sub: SubresourceName,
): { group: string; version: string; kind: string; verbs: string[] } {
  switch (sub) {
    case 'status':
      return { group: def.group, version: def.version, kind: def.kind, verbs: ['get', 'patch', 'update'] };
    case 'scale':
      return { ...SCALE, verbs: ['get', 'patch', 'update'] };
    case 'binding':
      return { group: '', version: 'v1', kind: 'Binding', verbs: ['create'] };
    case 'log':
      return { group: '', version: 'v1', kind: 'Pod', verbs: ['get'] };
    case 'eviction':
      return { group: 'policy', version: 'v1', kind: 'Eviction', verbs: ['create'] };
    case 'ephemeralcontainers':
      return { group: '', version: 'v1', kind: 'Pod', verbs: ['get', 'patch', 'update'] };
    case 'attach':
      return { group: '', version: 'v1', kind: 'PodAttachOptions', verbs: ['create', 'get'] };
    case 'exec':
      return { group: '', version: 'v1', kind: 'PodExecOptions', verbs: ['create', 'get'] };
    case 'portforward':
      return { group: '', version: 'v1', kind: 'PodPortForwardOptions', verbs: ['create', 'get'] };
  }
}

/** The store's key for a resource: `group/resource`. */
export function storeKey(def: ResourceDef): string {
  return `${def.group}/${def.resource}`;
}

export function singular(def: ResourceDef): string {
  return def.kind.toLowerCase();
}

export class Registry {
  private readonly byPath = new Map<string, ResourceDef>();
  private readonly byKind = new Map<string, ResourceDef>();
  private readonly byStore = new Map<string, ResourceDef>();

  constructor(readonly resources: readonly ResourceDef[] = RESOURCES) {
    for (const def of resources) {
      this.byPath.set(`${def.group}/${def.version}/${def.resource}`, def);
      if (def.convertedFrom === undefined) this.byKind.set(`${def.group}/${def.kind}`, def);
      if (!this.byStore.has(storeKey(def))) this.byStore.set(storeKey(def), def);
    }
  }

  /**
   * The first resource stored under `group/resource` (`storeKey`), as `resources.find` would answer:
   * every in-process write and reconcile asks, and the search built a key per resource it passed.
   */
  forStoreKey(key: string): ResourceDef | undefined {
    return this.byStore.get(key);
  }

  find(group: string, version: string, resource: string): ResourceDef | undefined {
    return this.byPath.get(`${group}/${version}/${resource}`);
  }

  byGroupKind(group: string, kind: string): ResourceDef | undefined {
    return this.byKind.get(`${group}/${kind}`);
  }

  /** Group versions in a stable order, core (`''`) first. */
  groupVersions(): { group: string; version: string }[] {
    const seen = new Map<string, { group: string; version: string }>();
    for (const def of this.resources)
      seen.set(`${def.group}/${def.version}`, { group: def.group, version: def.version });
    return [...seen.values()];
  }

  inGroupVersion(group: string, version: string): ResourceDef[] {
    return this.resources.filter((d) => d.group === group && d.version === version);
  }
}
