import { DiagnosticCode } from '../protocol/diagnostic-codes.js';

/** One line per diagnostic code, for the rules of a SARIF report (GitHub code scanning shows them). */
export const RULE_DESCRIPTIONS: Record<DiagnosticCode, string> = {
  [DiagnosticCode.yamlSyntax]: 'YAML that does not parse',
  [DiagnosticCode.duplicateKey]: 'The same key twice in one mapping',
  [DiagnosticCode.tooComplex]: 'A document too large or too deeply nested to check',
  [DiagnosticCode.unknownField]: 'A field the Kubernetes API schema does not have',
  [DiagnosticCode.missingRequired]: 'A required field is missing',
  [DiagnosticCode.wrongType]: 'A value of the wrong type',
  [DiagnosticCode.invalidEnum]: 'A value outside the allowed set',
  [DiagnosticCode.invalidValue]: 'A value the API server refuses',
  [DiagnosticCode.invalidQuantity]: 'A resource quantity that does not parse',
  [DiagnosticCode.invalidBase64]: 'Secret data that is not base64',
  [DiagnosticCode.unknownApiVersion]: 'An apiVersion the Kubernetes version does not serve',
  [DiagnosticCode.unknownKind]: 'A kind the Kubernetes version does not serve',
  [DiagnosticCode.invalidName]: 'A name that breaks Kubernetes naming rules',
  [DiagnosticCode.invalidLabel]: 'An invalid label or annotation key or value',
  [DiagnosticCode.annotationsTooLarge]: 'Annotations over the 256 KiB limit',
  [DiagnosticCode.invalidPort]: 'A port number or name out of range',
  [DiagnosticCode.duplicateName]: 'Duplicate container, volume, port or variable names',
  [DiagnosticCode.selectorMismatch]: 'A workload selector that does not select its pod template',
  [DiagnosticCode.deprecatedApi]: 'A deprecated API version',
  [DiagnosticCode.removedApi]: 'A removed API version',
  [DiagnosticCode.imageTag]: 'An image not pinned to a version',
  [DiagnosticCode.unmatchedServiceSelector]: 'A Service whose selector selects nothing in the checked files',
  [DiagnosticCode.unknownService]: 'An Ingress backend naming a Service not in the checked files',
  [DiagnosticCode.unknownServicePort]: 'An Ingress backend port its Service does not expose',
  [DiagnosticCode.missingReference]: 'A ConfigMap, Secret or PVC a pod names that is not in the checked files',
  [DiagnosticCode.missingKey]: 'A key the named ConfigMap or Secret does not have',
  [DiagnosticCode.unknownTargetPort]: 'A Service targetPort name no selected container declares',
  [DiagnosticCode.duplicateResource]: 'Two resources with the same kind, namespace and name',
  [DiagnosticCode.unknownScaleTarget]:
    'A HorizontalPodAutoscaler whose scaleTargetRef names no workload in the workspace',
  [DiagnosticCode.autoscalerMissingRequest]:
    'A utilization target on a resource a container of the scaled workload does not request',
  [DiagnosticCode.immutableField]: 'A field the API server does not let an update change',
  [DiagnosticCode.invalidEncoding]:
    'Bytes that are not UTF-8 (kubectl reads only UTF-8, or UTF-16 with a byte order mark)',
  [DiagnosticCode.apiVersionNotSet]: 'A document beside manifests without apiVersion (kubectl: "apiVersion not set")',
  [DiagnosticCode.kindNotSet]: 'A document beside manifests without kind (kubectl: "kind not set")',
};
