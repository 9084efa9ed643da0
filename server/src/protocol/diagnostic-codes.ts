/**
 * Stable diagnostic codes. Users filter, suppress and search by these, so a
 * code never changes meaning once released; new checks get new codes.
 */
export const DiagnosticCode = {
  // YAML
  /** YAML that does not parse: the `yaml` package's error code follows the slash. */
  yamlSyntax: 'yaml-syntax',
  /** The same key twice in one mapping. */
  duplicateKey: 'duplicate-key',
  /** A YAML document that is too large or too deeply nested to check. */
  tooComplex: 'too-complex',
  /** Bytes that are not UTF-8 (and no UTF-16 byte order mark): kubectl rejects the file. */
  invalidEncoding: 'invalid-encoding',

  // Schema
  unknownField: 'unknown-field',
  missingRequired: 'missing-required',
  wrongType: 'wrong-type',
  invalidEnum: 'invalid-enum',
  invalidValue: 'invalid-value',
  invalidQuantity: 'invalid-quantity',
  invalidBase64: 'invalid-base64',
  unknownApiVersion: 'unknown-api-version',
  unknownKind: 'unknown-kind',
  /** An object (a document beside manifests, or a list item) without `apiVersion`: kubectl's "apiVersion not set". */
  apiVersionNotSet: 'api-version-not-set',
  /** An object (a document beside manifests, or a list item) without `kind`: kubectl's "kind not set". */
  kindNotSet: 'kind-not-set',

  // Kubernetes rules
  invalidName: 'invalid-name',
  invalidLabel: 'invalid-label',
  annotationsTooLarge: 'annotations-too-large',
  invalidPort: 'invalid-port',
  duplicateName: 'duplicate-name',
  selectorMismatch: 'selector-mismatch',
  /** A change to a field the API server does not let an update change. */
  immutableField: 'immutable-field',
  deprecatedApi: 'deprecated-api',
  removedApi: 'removed-api',
  imageTag: 'image-tag',

  // Workspace-wide checks (across files, from the workspace index)
  /** A Service whose selector selects no Pod or workload pod template in the workspace. */
  unmatchedServiceSelector: 'unmatched-service-selector',
  /** An Ingress backend naming a Service that is not in the workspace. */
  unknownService: 'unknown-service',
  /** An Ingress backend port that its Service (in the workspace) does not expose. */
  unknownServicePort: 'unknown-service-port',
  /** A ConfigMap, Secret or PVC a pod names that is not in the workspace. */
  missingReference: 'missing-reference',
  /** A key that the ConfigMap or Secret named (in the workspace) does not have. */
  missingKey: 'missing-key',
  /** A Service `targetPort` name that no container it selects declares. */
  unknownTargetPort: 'unknown-target-port',
  /** A second resource with the same kind, namespace and name. */
  duplicateResource: 'duplicate-resource',
  /** A HorizontalPodAutoscaler whose scaleTargetRef names a workload that is not in the workspace. */
  unknownScaleTarget: 'unknown-scale-target',
  /** A utilization target on a resource some container of the scaled workload does not request. */
  autoscalerMissingRequest: 'autoscaler-missing-request',

  // Kustomize rendering (server/kube-model/kustomize/diagnostic-codes.ts says what each means)
  kustomizeMissingFile: 'kustomize-missing-file',
  kustomizeAmbiguousFile: 'kustomize-ambiguous-file',
  kustomizeCycle: 'kustomize-cycle',
  kustomizeInvalidFile: 'kustomize-invalid-file',
  kustomizeInvalidResource: 'kustomize-invalid-resource',
  kustomizeInvalidEntry: 'kustomize-invalid-entry',
  kustomizeDuplicateResource: 'kustomize-duplicate-resource',
  kustomizeNotAComponent: 'kustomize-not-a-component',
  kustomizeComponentAsResource: 'kustomize-component-as-resource',
  kustomizeRemoteUnsupported: 'kustomize-remote-unsupported',
  kustomizePluginUnsupported: 'kustomize-plugin-unsupported',
  kustomizeUnsupportedField: 'kustomize-unsupported-field',
  kustomizePatchNoTarget: 'kustomize-patch-no-target',
  kustomizePatchInvalid: 'kustomize-patch-invalid',
  kustomizePatchFailed: 'kustomize-patch-failed',
  kustomizeReplicasNoTarget: 'kustomize-replicas-no-target',
  kustomizeGeneratorClash: 'kustomize-generator-clash',
  kustomizeGeneratorInvalid: 'kustomize-generator-invalid',
  kustomizeGeneratorNoBase: 'kustomize-generator-no-base',
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** Every diagnostic we publish carries this source. */
export const DIAGNOSTIC_SOURCE = 'kube-workbench';
