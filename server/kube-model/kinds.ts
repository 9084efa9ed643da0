/**
 * What the kinds are: their group and version (`apps/v1`), and whether they
 * live in a namespace. The schemas (schema-loader.ts) say which kinds each
 * Kubernetes version serves; the orchestrator's registry says which it serves.
 */

/** `v1` for the core group, `apps/v1` otherwise. */
export function apiVersionOf(gv: { group: string; version: string }): string {
  return gv.group === '' ? gv.version : `${gv.group}/${gv.version}`;
}

/** `apps/v1` -> { group: 'apps', version: 'v1' }; `v1` -> the core group (''). */
export function groupVersionOf(apiVersion: string): { group: string; version: string } {
  const slash = apiVersion.lastIndexOf('/');
  return slash === -1
    ? { group: '', version: apiVersion }
    : { group: apiVersion.slice(0, slash), version: apiVersion.slice(slash + 1) };
}

/**
 * Built-in kinds that live outside any namespace. Everything else (including
 * custom resources, whose scope the index does not know) is namespaced, and
 * defaults to the `default` namespace when `metadata.namespace` is unset.
 */
export const CLUSTER_SCOPED_KINDS: ReadonlySet<string> = new Set([
  'APIService',
  'CertificateSigningRequest',
  'ClusterRole',
  'ClusterRoleBinding',
  'ClusterTrustBundle',
  'ComponentStatus',
  'CSIDriver',
  'CSINode',
  'CustomResourceDefinition',
  'DeviceClass',
  'FlowSchema',
  'IngressClass',
  'IPAddress',
  'MutatingAdmissionPolicy',
  'MutatingAdmissionPolicyBinding',
  'MutatingWebhookConfiguration',
  'Namespace',
  'Node',
  'PersistentVolume',
  'PodSecurityPolicy',
  'PriorityClass',
  'PriorityLevelConfiguration',
  'ResourceSlice',
  'RuntimeClass',
  'SelfSubjectAccessReview',
  'SelfSubjectReview',
  'SelfSubjectRulesReview',
  'ServiceCIDR',
  'StorageClass',
  'StorageVersionMigration',
  'SubjectAccessReview',
  'TokenReview',
  'ValidatingAdmissionPolicy',
  'ValidatingAdmissionPolicyBinding',
  'ValidatingWebhookConfiguration',
  'VolumeAttachment',
  'VolumeAttributesClass',
]);

/** Whether objects of a kind live in a namespace (custom resources are taken as namespaced). */
export function isNamespacedKind(kind: string): boolean {
  return !CLUSTER_SCOPED_KINDS.has(kind);
}

/** The namespace a resource lives in: its own, `default`, or none for cluster-scoped kinds. */
export function namespaceOf(kind: string, declared: string | undefined): string | undefined {
  if (!isNamespacedKind(kind)) return undefined;
  return declared === undefined || declared === '' ? 'default' : declared;
}

/** API groups of other tools' configuration files that look like manifests (`skaffold/v4beta11 Config`) but are never applied. */
const TOOL_CONFIG_GROUPS = new Set(['skaffold', 'kustomize.config.k8s.io']);

/** Whether an apiVersion names another tool's configuration, not a Kubernetes resource. */
export function isToolConfig(apiVersion: string): boolean {
  const slash = apiVersion.indexOf('/');
  return slash > 0 && TOOL_CONFIG_GROUPS.has(apiVersion.slice(0, slash));
}
