/**
 * Loads `@kubernetes/client-node` (an ES module, 16 MB bundled) on first use.
 * The extension loads `client/out/kube-client.js`, its own bundle, so that
 * activation never parses it; from sources (tests) it imports the package.
 */
import { existsSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import type * as K8s from '@kubernetes/client-node' with { 'resolution-mode': 'import' };

export type { K8s };

let loaded: Promise<typeof K8s> | undefined;

/** A specifier esbuild cannot follow, so the package stays out of the extension bundle. */
const PACKAGE = ['@kubernetes', 'client-node'].join('/');

function load(): Promise<typeof K8s> {
  const bundle = join(__dirname, 'kube-client.js');
  if (existsSync(bundle)) return Promise.resolve(createRequire(__filename)(bundle) as typeof K8s);
  return import(PACKAGE) as Promise<typeof K8s>;
}

export function clientNode(): Promise<typeof K8s> {
  return (loaded ??= load());
}
