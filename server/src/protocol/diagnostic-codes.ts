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

  // Kubernetes rules
  invalidName: 'invalid-name',
  invalidLabel: 'invalid-label',
  annotationsTooLarge: 'annotations-too-large',
  invalidPort: 'invalid-port',
  duplicateName: 'duplicate-name',
  selectorMismatch: 'selector-mismatch',
  deprecatedApi: 'deprecated-api',
  removedApi: 'removed-api',
  imageTag: 'image-tag',
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** Every diagnostic we publish carries this source. */
export const DIAGNOSTIC_SOURCE = 'kube-workbench';
