/**
 * Loads `@kubernetes/client-node` (an ES module) on first use: the extension
 * bundle is CommonJS, and loading it lazily keeps activation fast.
 */
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type { K8s };

let loaded: Promise<typeof K8s> | undefined;

export function clientNode(): Promise<typeof K8s> {
  return (loaded ??= import('@kubernetes/client-node'));
}
