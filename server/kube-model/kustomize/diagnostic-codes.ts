/**
 * The stable codes of the renderer's diagnostics (the language server lists
 * them too, in protocol/diagnostic-codes.ts). A code never changes meaning.
 */
export const KustomizeCode = {
  /** A resource, patch, component or generator file (or directory) that does not exist. */
  missingFile: 'kustomize-missing-file',
  /** Two kustomization files in one directory (kustomize refuses to choose). */
  ambiguousFile: 'kustomize-ambiguous-file',
  /** A kustomization that includes itself through its resources or components. */
  cycle: 'kustomize-cycle',
  /** A kustomization file that does not parse or is not a map. */
  invalidFile: 'kustomize-invalid-file',
  /** A resource document that does not parse, is not a map, or lacks kind or name. */
  invalidResource: 'kustomize-invalid-resource',
  /** An entry of the wrong shape (a resources entry that is not a path, a replicas entry without count). */
  invalidEntry: 'kustomize-invalid-entry',
  /** The same kind, namespace and name twice in one kustomization. */
  duplicateResource: 'kustomize-duplicate-resource',
  /** A directory listed under components that is not `kind: Component`. */
  notAComponent: 'kustomize-not-a-component',
  /** A `kind: Component` listed under resources. */
  componentAsResource: 'kustomize-component-as-resource',
  /** A URL (git or HTTP) base: not fetched, rendering is offline. */
  remoteUnsupported: 'kustomize-remote-unsupported',
  /** `generators`, `transformers` or `validators` plugins: not run. */
  pluginUnsupported: 'kustomize-plugin-unsupported',
  /** A field we do not render (vars, replacements, helmCharts, ...): a warning, the output leaves it out. */
  unsupportedField: 'kustomize-unsupported-field',
  /** A patch that matches no resource. */
  patchNoTarget: 'kustomize-patch-no-target',
  /** A patch that does not parse or has neither path nor patch. */
  patchInvalid: 'kustomize-patch-invalid',
  /** A patch that fails on its target (a JSON 6902 op on a missing path, a failed test). */
  patchFailed: 'kustomize-patch-failed',
  /** A replicas entry naming no Deployment, ReplicaSet, ReplicationController or StatefulSet. */
  replicasNoTarget: 'kustomize-replicas-no-target',
  /** A generator whose keys clash, or that creates a resource that already exists. */
  generatorClash: 'kustomize-generator-clash',
  /** A generator entry without a name, or with an unknown behavior. */
  generatorInvalid: 'kustomize-generator-invalid',
  /** A generator with behavior merge or replace and nothing from a base to merge into. */
  generatorNoBase: 'kustomize-generator-no-base',
} as const;

export type KustomizeCode = (typeof KustomizeCode)[keyof typeof KustomizeCode];
