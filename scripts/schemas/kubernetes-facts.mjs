// Facts about the Kubernetes API that the @kubernetes/client-node models do not
// carry, written by hand from Kubernetes' API types (k8s.io/api `types.go`: enum
// constants, `patchStrategy`/`patchMergeKey` tags, `+listType`/`+listMapKey`
// markers, `+optional`) and its defaulting rules.
//
// A key names one property as `<Type>.<jsonName>`. <Type> is either the Go type
// name, i.e. the model class name without its version prefix (`PodSpec` matches
// V1PodSpec and any other version of PodSpec; `EndpointPort` matches both
// CoreV1EndpointPort and DiscoveryV1EndpointPort), or a full model class name
// (`V1PodSpec`) to pin a single model. The generator reports keys that match no
// model, so a renamed type shows up instead of silently losing its facts.

const PROTOCOLS = ['TCP', 'UDP', 'SCTP'];
const TAINT_EFFECTS = ['NoSchedule', 'PreferNoSchedule', 'NoExecute'];
const LABEL_SELECTOR_OPERATORS = ['In', 'NotIn', 'Exists', 'DoesNotExist'];
const ACCESS_MODES = ['ReadWriteOnce', 'ReadOnlyMany', 'ReadWriteMany', 'ReadWriteOncePod'];
const PROFILE_TYPES = ['RuntimeDefault', 'Unconfined', 'Localhost'];
const ROLLING_OR_ON_DELETE = ['RollingUpdate', 'OnDelete'];
const CLUSTER_OR_LOCAL = ['Cluster', 'Local'];

/**
 * Closed sets of values the API server accepts (only real enums: Secret `type`,
 * `appProtocol`, `trafficDistribution`, `storageClassName`... are open).
 * On an array property the set applies to its items. An entry may instead map
 * the first Kubernetes minor version that accepts a set to that set. `''` is
 * listed where Kubernetes gives the empty value a meaning of its own.
 */
export const ENUMS = {
  'ContainerPort.protocol': PROTOCOLS,
  'ServicePort.protocol': PROTOCOLS,
  'EndpointPort.protocol': PROTOCOLS,
  'NetworkPolicyPort.protocol': PROTOCOLS,
  'Container.imagePullPolicy': ['Always', 'Never', 'IfNotPresent'],
  'EphemeralContainer.imagePullPolicy': ['Always', 'Never', 'IfNotPresent'],
  'Container.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'EphemeralContainer.terminationMessagePolicy': ['File', 'FallbackToLogsOnError'],
  'Container.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'ContainerResizePolicy.restartPolicy': ['NotRequired', 'RestartContainer'],
  'VolumeMount.mountPropagation': ['None', 'HostToContainer', 'Bidirectional'],
  'VolumeMount.recursiveReadOnly': ['Disabled', 'IfPossible', 'Enabled'],
  'PodSpec.restartPolicy': ['Always', 'OnFailure', 'Never'],
  'PodSpec.dnsPolicy': ['ClusterFirst', 'ClusterFirstWithHostNet', 'Default', 'None'],
  'PodSpec.preemptionPolicy': ['PreemptLowerPriority', 'Never'],
  'PriorityClass.preemptionPolicy': ['PreemptLowerPriority', 'Never'],
  'PodOS.name': ['linux', 'windows'],
  'PodSecurityContext.fsGroupChangePolicy': ['OnRootMismatch', 'Always'],
  'SecurityContext.procMount': ['Default', 'Unmasked'],
  'SeccompProfile.type': PROFILE_TYPES,
  'AppArmorProfile.type': PROFILE_TYPES,
  'Toleration.operator': { '1.30': ['Exists', 'Equal', ''], '1.35': ['Exists', 'Equal', 'Lt', 'Gt', ''] },
  'Toleration.effect': [...TAINT_EFFECTS, ''],
  'Taint.effect': TAINT_EFFECTS,
  'LabelSelectorRequirement.operator': LABEL_SELECTOR_OPERATORS,
  'ScopedResourceSelectorRequirement.operator': LABEL_SELECTOR_OPERATORS,
  'NodeSelectorRequirement.operator': [...LABEL_SELECTOR_OPERATORS, 'Gt', 'Lt'],
  'TopologySpreadConstraint.whenUnsatisfiable': ['DoNotSchedule', 'ScheduleAnyway'],
  'TopologySpreadConstraint.nodeAffinityPolicy': ['Honor', 'Ignore'],
  'TopologySpreadConstraint.nodeTaintsPolicy': ['Honor', 'Ignore'],
  'HostPathVolumeSource.type': [
    '',
    'DirectoryOrCreate',
    'Directory',
    'FileOrCreate',
    'File',
    'Socket',
    'CharDevice',
    'BlockDevice',
  ],
  'ServiceSpec.type': ['ClusterIP', 'NodePort', 'LoadBalancer', 'ExternalName'],
  'ServiceSpec.sessionAffinity': ['None', 'ClientIP'],
  'ServiceSpec.externalTrafficPolicy': CLUSTER_OR_LOCAL,
  'ServiceSpec.internalTrafficPolicy': CLUSTER_OR_LOCAL,
  'ServiceSpec.ipFamilyPolicy': ['SingleStack', 'PreferDualStack', 'RequireDualStack'],
  'ServiceSpec.ipFamilies': ['IPv4', 'IPv6'],
  'PersistentVolumeClaimSpec.accessModes': ACCESS_MODES,
  'PersistentVolumeSpec.accessModes': ACCESS_MODES,
  'PersistentVolumeClaimSpec.volumeMode': ['Filesystem', 'Block'],
  'PersistentVolumeSpec.volumeMode': ['Filesystem', 'Block'],
  'PersistentVolumeSpec.persistentVolumeReclaimPolicy': ['Retain', 'Delete', 'Recycle'],
  'StorageClass.reclaimPolicy': ['Retain', 'Delete'],
  'StorageClass.volumeBindingMode': ['Immediate', 'WaitForFirstConsumer'],
  'CSIDriverSpec.fsGroupPolicy': ['ReadWriteOnceWithFSType', 'File', 'None'],
  'CSIDriverSpec.volumeLifecycleModes': ['Persistent', 'Ephemeral'],
  'DeploymentStrategy.type': ['RollingUpdate', 'Recreate'],
  'StatefulSetUpdateStrategy.type': ROLLING_OR_ON_DELETE,
  'DaemonSetUpdateStrategy.type': ROLLING_OR_ON_DELETE,
  'StatefulSetSpec.podManagementPolicy': ['OrderedReady', 'Parallel'],
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenDeleted': ['Retain', 'Delete'],
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenScaled': ['Retain', 'Delete'],
  'CronJobSpec.concurrencyPolicy': ['Allow', 'Forbid', 'Replace'],
  'JobSpec.completionMode': ['NonIndexed', 'Indexed'],
  'JobSpec.podReplacementPolicy': ['TerminatingOrFailed', 'Failed'],
  'PodFailurePolicyRule.action': ['FailJob', 'FailIndex', 'Ignore', 'Count'],
  'PodFailurePolicyOnExitCodesRequirement.operator': ['In', 'NotIn'],
  'HTTPIngressPath.pathType': ['Exact', 'Prefix', 'ImplementationSpecific'],
  'IngressClassParametersReference.scope': ['Cluster', 'Namespace'],
  'NetworkPolicySpec.policyTypes': ['Ingress', 'Egress'],
  'EndpointSlice.addressType': ['IPv4', 'IPv6', 'FQDN'],
  'PodDisruptionBudgetSpec.unhealthyPodEvictionPolicy': ['IfHealthyBudget', 'AlwaysAllow'],
  'RoleRef.kind': ['Role', 'ClusterRole'],
  'V1RoleRef.apiGroup': ['rbac.authorization.k8s.io'],
  'RbacV1Subject.kind': ['User', 'Group', 'ServiceAccount'],
  'MetricSpec.type': ['Object', 'Pods', 'Resource', 'ContainerResource', 'External'],
  'MetricTarget.type': ['Utilization', 'Value', 'AverageValue'],
  'HPAScalingPolicy.type': ['Pods', 'Percent'],
  'HPAScalingRules.selectPolicy': ['Max', 'Min', 'Disabled'],
  'CustomResourceDefinitionSpec.scope': ['Namespaced', 'Cluster'],
  'CustomResourceConversion.strategy': ['None', 'Webhook'],
  'V1MutatingWebhook.failurePolicy': ['Ignore', 'Fail'],
  'V1ValidatingWebhook.failurePolicy': ['Ignore', 'Fail'],
  'V1MutatingWebhook.sideEffects': ['None', 'NoneOnDryRun'],
  'V1ValidatingWebhook.sideEffects': ['None', 'NoneOnDryRun'],
  'V1MutatingWebhook.matchPolicy': ['Exact', 'Equivalent'],
  'V1ValidatingWebhook.matchPolicy': ['Exact', 'Equivalent'],
  'V1MutatingWebhook.reinvocationPolicy': ['Never', 'IfNeeded'],
  'V1RuleWithOperations.operations': ['*', 'CREATE', 'UPDATE', 'DELETE', 'CONNECT'],
  'V1RuleWithOperations.scope': ['*', 'Cluster', 'Namespaced'],
};

/**
 * Values the API server fills in when a manifest leaves the field out (shown on
 * hover; never applied by the validator). Only static defaults: fields whose
 * default depends on other fields (imagePullPolicy, targetPort,
 * externalTrafficPolicy) are left out.
 */
export const DEFAULTS = {
  'DeploymentSpec.replicas': 1,
  'DeploymentSpec.revisionHistoryLimit': 10,
  'DeploymentSpec.progressDeadlineSeconds': 600,
  'DeploymentStrategy.type': 'RollingUpdate',
  'RollingUpdateDeployment.maxSurge': '25%',
  'RollingUpdateDeployment.maxUnavailable': '25%',
  'ReplicaSetSpec.replicas': 1,
  'ReplicationControllerSpec.replicas': 1,
  'StatefulSetSpec.replicas': 1,
  'StatefulSetSpec.revisionHistoryLimit': 10,
  'StatefulSetSpec.podManagementPolicy': 'OrderedReady',
  'StatefulSetUpdateStrategy.type': 'RollingUpdate',
  'RollingUpdateStatefulSetStrategy.partition': 0,
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenDeleted': 'Retain',
  'StatefulSetPersistentVolumeClaimRetentionPolicy.whenScaled': 'Retain',
  'DaemonSetSpec.revisionHistoryLimit': 10,
  'DaemonSetUpdateStrategy.type': 'RollingUpdate',
  'RollingUpdateDaemonSet.maxUnavailable': 1,
  'RollingUpdateDaemonSet.maxSurge': 0,
  'JobSpec.backoffLimit': 6,
  'JobSpec.completionMode': 'NonIndexed',
  'JobSpec.suspend': false,
  'CronJobSpec.concurrencyPolicy': 'Allow',
  'CronJobSpec.suspend': false,
  'CronJobSpec.successfulJobsHistoryLimit': 3,
  'CronJobSpec.failedJobsHistoryLimit': 1,
  'PodSpec.restartPolicy': 'Always',
  'PodSpec.dnsPolicy': 'ClusterFirst',
  'PodSpec.terminationGracePeriodSeconds': 30,
  'PodSpec.schedulerName': 'default-scheduler',
  'PodSpec.enableServiceLinks': true,
  'Container.terminationMessagePath': '/dev/termination-log',
  'Container.terminationMessagePolicy': 'File',
  'EphemeralContainer.terminationMessagePath': '/dev/termination-log',
  'EphemeralContainer.terminationMessagePolicy': 'File',
  'ContainerPort.protocol': 'TCP',
  'Probe.periodSeconds': 10,
  'Probe.timeoutSeconds': 1,
  'Probe.successThreshold': 1,
  'Probe.failureThreshold': 3,
  'HTTPGetAction.path': '/',
  'HTTPGetAction.scheme': 'HTTP',
  'ServiceSpec.type': 'ClusterIP',
  'ServiceSpec.sessionAffinity': 'None',
  'ServiceSpec.internalTrafficPolicy': 'Cluster',
  'ServicePort.protocol': 'TCP',
  'ClientIPConfig.timeoutSeconds': 10800,
  'EndpointPort.protocol': 'TCP',
  'NetworkPolicyPort.protocol': 'TCP',
  'PersistentVolumeClaimSpec.volumeMode': 'Filesystem',
  'PersistentVolumeSpec.volumeMode': 'Filesystem',
  'PersistentVolumeSpec.persistentVolumeReclaimPolicy': 'Retain',
  'StorageClass.reclaimPolicy': 'Delete',
  'StorageClass.volumeBindingMode': 'Immediate',
  'SecretVolumeSource.defaultMode': 420,
  'ConfigMapVolumeSource.defaultMode': 420,
  'ProjectedVolumeSource.defaultMode': 420,
  'DownwardAPIVolumeSource.defaultMode': 420,
  'ServiceAccountTokenProjection.expirationSeconds': 3600,
  'ObjectFieldSelector.apiVersion': 'v1',
  'Secret.type': 'Opaque',
  'V1RoleRef.apiGroup': 'rbac.authorization.k8s.io',
  'V1HorizontalPodAutoscalerSpec.minReplicas': 1,
  'V2HorizontalPodAutoscalerSpec.minReplicas': 1,
};

/**
 * Properties holding resource quantities (`500m`, `1Gi`, `2`): the models type
 * them as plain strings (or maps of strings); the API also accepts numbers.
 */
export const QUANTITIES = [
  'ResourceRequirements.limits',
  'ResourceRequirements.requests',
  'VolumeResourceRequirements.limits',
  'VolumeResourceRequirements.requests',
  'PersistentVolumeSpec.capacity',
  'PersistentVolumeClaimStatus.capacity',
  'PersistentVolumeClaimStatus.allocatedResources',
  'EmptyDirVolumeSource.sizeLimit',
  'ResourceFieldSelector.divisor',
  'ContainerStatus.allocatedResources',
  'PodSpec.overhead',
  'NodeStatus.capacity',
  'NodeStatus.allocatable',
  'LimitRangeItem.max',
  'LimitRangeItem.min',
  'LimitRangeItem.default',
  'LimitRangeItem.defaultRequest',
  'LimitRangeItem.maxLimitRequestRatio',
  'ResourceQuotaSpec.hard',
  'ResourceQuotaStatus.hard',
  'ResourceQuotaStatus.used',
  'Overhead.podFixed',
  'CSIStorageCapacity.capacity',
  'CSIStorageCapacity.maximumVolumeSize',
  'MetricTarget.value',
  'MetricTarget.averageValue',
  'MetricValueStatus.value',
  'MetricValueStatus.averageValue',
  'HPAScalingRules.tolerance',
  'DeviceCapacity.value',
  'Counter.value',
  'CapacityRequestPolicy.default',
  'CapacityRequestPolicy.validValues',
  'CapacityRequestPolicyRange.min',
  'CapacityRequestPolicyRange.max',
  'CapacityRequestPolicyRange.step',
  'CapacityRequirements.requests',
  'DeviceRequestAllocationResult.consumedCapacity',
];

const atomic = { listType: 'atomic' };
const set = { listType: 'set' };
const byName = { listType: 'map', mapKeys: ['name'], patchStrategy: 'merge', patchMergeKey: 'name' };
const byNameRetainKeys = { ...byName, patchStrategy: 'merge,retainKeys' };
const byType = { listType: 'map', mapKeys: ['type'], patchStrategy: 'merge', patchMergeKey: 'type' };
const containerPorts = {
  listType: 'map',
  mapKeys: ['containerPort', 'protocol'],
  patchStrategy: 'merge',
  patchMergeKey: 'containerPort',
};
const volumeMounts = { listType: 'map', mapKeys: ['mountPath'], patchStrategy: 'merge', patchMergeKey: 'mountPath' };
const volumeDevices = { listType: 'map', mapKeys: ['devicePath'], patchStrategy: 'merge', patchMergeKey: 'devicePath' };

/**
 * How lists merge (server-side apply: `x-kubernetes-list-type`,
 * `x-kubernetes-list-map-keys`) and patch (strategic merge patch:
 * `x-kubernetes-patch-strategy`, `x-kubernetes-patch-merge-key`).
 */
export const LIST_TYPES = {
  'ObjectMeta.finalizers': { listType: 'set', patchStrategy: 'merge' },
  'ObjectMeta.ownerReferences': { listType: 'map', mapKeys: ['uid'], patchStrategy: 'merge', patchMergeKey: 'uid' },
  'LabelSelector.matchExpressions': atomic,
  'PodSpec.containers': byName,
  'PodSpec.initContainers': byName,
  'PodSpec.ephemeralContainers': byName,
  'PodSpec.volumes': byNameRetainKeys,
  'PodSpec.imagePullSecrets': byName,
  'PodSpec.tolerations': atomic,
  'PodSpec.hostAliases': { listType: 'map', mapKeys: ['ip'], patchStrategy: 'merge', patchMergeKey: 'ip' },
  'PodSpec.readinessGates': atomic,
  'PodSpec.topologySpreadConstraints': {
    listType: 'map',
    mapKeys: ['topologyKey', 'whenUnsatisfiable'],
    patchStrategy: 'merge',
    patchMergeKey: 'topologyKey',
  },
  'PodSpec.schedulingGates': byName,
  'PodSpec.resourceClaims': byNameRetainKeys,
  'Container.ports': containerPorts,
  'Container.env': byName,
  'Container.envFrom': atomic,
  'Container.volumeMounts': volumeMounts,
  'Container.volumeDevices': volumeDevices,
  'Container.command': atomic,
  'Container.args': atomic,
  'Container.resizePolicy': atomic,
  'EphemeralContainer.ports': containerPorts,
  'EphemeralContainer.env': byName,
  'EphemeralContainer.envFrom': atomic,
  'EphemeralContainer.volumeMounts': volumeMounts,
  'EphemeralContainer.volumeDevices': volumeDevices,
  'EphemeralContainer.command': atomic,
  'EphemeralContainer.args': atomic,
  'ResourceRequirements.claims': { listType: 'map', mapKeys: ['name'] },
  'PodSecurityContext.supplementalGroups': atomic,
  'PodSecurityContext.sysctls': atomic,
  'Capabilities.add': atomic,
  'Capabilities.drop': atomic,
  'ExecAction.command': atomic,
  'HTTPGetAction.httpHeaders': atomic,
  'NodeSelector.nodeSelectorTerms': atomic,
  'NodeSelectorTerm.matchExpressions': atomic,
  'NodeSelectorTerm.matchFields': atomic,
  'PodAffinity.requiredDuringSchedulingIgnoredDuringExecution': atomic,
  'PodAffinity.preferredDuringSchedulingIgnoredDuringExecution': atomic,
  'PodAntiAffinity.requiredDuringSchedulingIgnoredDuringExecution': atomic,
  'PodAntiAffinity.preferredDuringSchedulingIgnoredDuringExecution': atomic,
  'NodeAffinity.preferredDuringSchedulingIgnoredDuringExecution': atomic,
  'ConfigMapVolumeSource.items': atomic,
  'SecretVolumeSource.items': atomic,
  'ProjectedVolumeSource.sources': atomic,
  'DownwardAPIVolumeSource.items': atomic,
  'ServiceSpec.ports': {
    listType: 'map',
    mapKeys: ['port', 'protocol'],
    patchStrategy: 'merge',
    patchMergeKey: 'port',
  },
  'ServiceSpec.clusterIPs': atomic,
  'ServiceSpec.externalIPs': atomic,
  'ServiceSpec.loadBalancerSourceRanges': atomic,
  'ServiceSpec.ipFamilies': atomic,
  'ServiceAccount.secrets': byName,
  'ServiceAccount.imagePullSecrets': atomic,
  'Endpoints.subsets': atomic,
  'NodeSpec.taints': atomic,
  'NodeSpec.podCIDRs': { listType: 'set', patchStrategy: 'merge' },
  'PersistentVolumeClaimSpec.accessModes': atomic,
  'PersistentVolumeSpec.accessModes': atomic,
  'PersistentVolumeSpec.mountOptions': atomic,
  'LimitRangeSpec.limits': atomic,
  'ResourceQuotaSpec.scopes': atomic,
  'StatefulSetSpec.volumeClaimTemplates': atomic,
  'PodFailurePolicy.rules': atomic,
  'SuccessPolicy.rules': atomic,
  'IngressSpec.rules': atomic,
  'IngressSpec.tls': atomic,
  'HTTPIngressRuleValue.paths': atomic,
  'NetworkPolicySpec.ingress': atomic,
  'NetworkPolicySpec.egress': atomic,
  'NetworkPolicySpec.policyTypes': atomic,
  'PolicyRule.verbs': atomic,
  'PolicyRule.apiGroups': atomic,
  'PolicyRule.resources': atomic,
  'PolicyRule.resourceNames': atomic,
  'PolicyRule.nonResourceURLs': atomic,
  'Role.rules': atomic,
  'ClusterRole.rules': atomic,
  'RoleBinding.subjects': atomic,
  'ClusterRoleBinding.subjects': atomic,
  'EndpointSlice.endpoints': atomic,
  'EndpointSlice.ports': atomic,
  'V1Endpoint.addresses': set,
  'V2HorizontalPodAutoscalerSpec.metrics': atomic,
  'StorageClass.mountOptions': atomic,
  'StorageClass.allowedTopologies': atomic,
  'V1MutatingWebhookConfiguration.webhooks': byName,
  'V1ValidatingWebhookConfiguration.webhooks': byName,
  'PodStatus.conditions': byType,
  'PodStatus.podIPs': { listType: 'map', mapKeys: ['ip'], patchStrategy: 'merge', patchMergeKey: 'ip' },
  'NodeStatus.conditions': byType,
  'NodeStatus.addresses': byType,
  'DeploymentStatus.conditions': byType,
  'ReplicaSetStatus.conditions': byType,
  'StatefulSetStatus.conditions': byType,
  'DaemonSetStatus.conditions': byType,
  'ReplicationControllerStatus.conditions': byType,
  'JobStatus.conditions': { listType: 'atomic', patchStrategy: 'merge', patchMergeKey: 'type' },
  'PersistentVolumeClaimStatus.conditions': byType,
  'NamespaceStatus.conditions': byType,
  'ServiceStatus.conditions': byType,
  'PodDisruptionBudgetStatus.conditions': byType,
  'V2HorizontalPodAutoscalerStatus.conditions': byType,
};

/**
 * Properties the 1.34 models mark required that a manifest may leave out: the
 * API server defaults or accepts their absence, and later Kubernetes releases
 * mark them optional.
 */
export const NOT_REQUIRED = [
  // Defaulted to rbac.authorization.k8s.io for (Cluster)RoleBindings; optional from 1.36.
  'V1RoleRef.apiGroup',
  // An omitted value means priority 0; optional from 1.36.
  'V1PriorityClass.value',
  // An EndpointSlice may be created without endpoints; optional from 1.36.
  'V1EndpointSlice.endpoints',
  // Defaulted to True; optional from 1.35.
  'V1PodFailurePolicyOnPodConditionsPattern.status',
];

/**
 * Kinds that are only ever sent to a subresource (`/scale`, `/eviction`,
 * `/token`), so their request path does not name their own group and version.
 */
export const SUBRESOURCE_KINDS = {
  V1Scale: { group: 'autoscaling', version: 'v1', kind: 'Scale' },
  V1Eviction: { group: 'policy', version: 'v1', kind: 'Eviction' },
  AuthenticationV1TokenRequest: { group: 'authentication.k8s.io', version: 'v1', kind: 'TokenRequest' },
};

/**
 * Descriptions for properties whose model text describes their type instead
 * (every int-or-string field carries the generic IntOrString text).
 */
export const DESCRIPTIONS = {
  'ServicePort.targetPort':
    'Port to reach on the pods the service selects: a number from 1 to 65535, or the name of a container port. Defaults to the value of `port`. Ignored for headless services (clusterIP: None).',
  'HTTPGetAction.port': 'Container port to send the HTTP request to: a number from 1 to 65535, or a container port name.',
  'TCPSocketAction.port': 'Container port to open a TCP connection to: a number from 1 to 65535, or a container port name.',
  'NetworkPolicyPort.port':
    'Port on the selected pods, as a number or a container port name. When left out, the rule matches every port of the given protocol.',
  'PodDisruptionBudgetSpec.minAvailable':
    'How many of the selected pods must still be available after an eviction: a number, or a percentage such as "50%". Set either this or maxUnavailable.',
  'PodDisruptionBudgetSpec.maxUnavailable':
    'How many of the selected pods may be unavailable after an eviction: a number, or a percentage such as "25%". Set either this or minAvailable.',
  'RollingUpdateDeployment.maxSurge':
    'How many pods a rolling update may create above the desired replica count: a number, or a percentage of the desired replicas (rounded up). Cannot be 0 when maxUnavailable is 0. Defaults to 25%.',
  'RollingUpdateDeployment.maxUnavailable':
    'How many of the desired pods may be unavailable during a rolling update: a number, or a percentage of the desired replicas (rounded down). Cannot be 0 when maxSurge is 0. Defaults to 25%.',
  'RollingUpdateDaemonSet.maxSurge':
    'On how many nodes an updated daemon pod may start before the old one stops: a number, or a percentage of the nodes that should run the daemon (rounded up). Cannot be set when maxUnavailable is 0. Defaults to 0.',
  'RollingUpdateDaemonSet.maxUnavailable':
    'On how many nodes the daemon pod may be unavailable during an update: a number, or a percentage of the nodes that should run the daemon (rounded up). Cannot be 0 when maxSurge is 0. Defaults to 1.',
  'RollingUpdateStatefulSetStrategy.maxUnavailable':
    'How many pods may be unavailable during an update: a number, or a percentage of the replicas (rounded up). Defaults to 1. Only honoured where the MaxUnavailableStatefulSet feature is enabled.',
};
