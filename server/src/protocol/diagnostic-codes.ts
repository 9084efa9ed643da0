/**
 * Stable diagnostic codes. Users filter, suppress and search by these, so a
 * code never changes meaning once released; new checks get new codes.
 */
export const DiagnosticCode = {
  /** YAML that does not parse: the `yaml` package's error code follows the slash. */
  yamlSyntax: 'yaml-syntax',
  /** The same key twice in one mapping. */
  duplicateKey: 'duplicate-key',
} as const;

export type DiagnosticCode = (typeof DiagnosticCode)[keyof typeof DiagnosticCode];

/** Every diagnostic we publish carries this source. */
export const DIAGNOSTIC_SOURCE = 'kube-workbench';
