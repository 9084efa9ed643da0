import type { FieldSpec } from './field-specs';

/** The workload kinds whose pod template kustomize labels and annotates. */
const TEMPLATE_KINDS = ['ReplicationController', 'Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet', 'Job'];

const AFFINITY_SELECTORS = [
  'spec/template/spec/affinity/podAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/preferredDuringSchedulingIgnoredDuringExecution/podAffinityTerm/labelSelector/matchLabels',
  'spec/template/spec/affinity/podAntiAffinity/requiredDuringSchedulingIgnoredDuringExecution/labelSelector/matchLabels',
  'spec/template/spec/topologySpreadConstraints/labelSelector/matchLabels',
];

/** Labels on pod templates (the `labels` field's `includeTemplates`). */
export const TEMPLATE_LABEL_SPECS: readonly FieldSpec[] = [
  ...TEMPLATE_KINDS.map((kind) => ({ kind, path: 'spec/template/metadata/labels', create: true })),
  { kind: 'CronJob', path: 'spec/jobTemplate/metadata/labels', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
  { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true },
];

/** `commonLabels` (and `labels` with `includeSelectors`): metadata, selectors and templates. */
export const COMMON_LABEL_SPECS: readonly FieldSpec[] = [
  { path: 'metadata/labels', create: true },
  { kind: 'Service', group: '', path: 'spec/selector', create: true },
  { kind: 'ReplicationController', group: '', path: 'spec/selector', create: true },
  { kind: 'ReplicationController', group: '', path: 'spec/template/metadata/labels', create: true },
  ...['Deployment', 'ReplicaSet', 'DaemonSet', 'StatefulSet'].flatMap((kind): FieldSpec[] => [
    { kind, path: 'spec/selector/matchLabels', create: true },
    { kind, path: 'spec/template/metadata/labels', create: true },
    ...(kind === 'Deployment' || kind === 'StatefulSet'
      ? AFFINITY_SELECTORS.map((path) => ({ kind, path, create: false }))
      : []),
  ]),
  { kind: 'StatefulSet', path: 'spec/volumeClaimTemplates[]/metadata/labels', create: true },
  { kind: 'Job', path: 'spec/selector/matchLabels', create: false },
  { kind: 'Job', path: 'spec/template/metadata/labels', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/selector/matchLabels', create: false },
  { kind: 'CronJob', path: 'spec/jobTemplate/metadata/labels', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/labels', create: true },
  { kind: 'PodDisruptionBudget', path: 'spec/selector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/podSelector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/ingress/from/podSelector/matchLabels', create: false },
  { kind: 'NetworkPolicy', path: 'spec/egress/to/podSelector/matchLabels', create: false },
];

/** `commonAnnotations`: metadata and pod templates. */
export const COMMON_ANNOTATION_SPECS: readonly FieldSpec[] = [
  { path: 'metadata/annotations', create: true },
  ...TEMPLATE_KINDS.map((kind) => ({ kind, path: 'spec/template/metadata/annotations', create: true })),
  { kind: 'CronJob', path: 'spec/jobTemplate/metadata/annotations', create: true },
  { kind: 'CronJob', path: 'spec/jobTemplate/spec/template/metadata/annotations', create: true },
];
