// The parse and diagnostics functions of one build (a checkout at `root`, run
// from source through tsx), with the options the editor uses: benches load two
// builds side by side in one process this way.
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';

export async function validationCoreOf(root) {
  const load = (path) => import(pathToFileURL(join(root, path)).href);
  const { parseManifestFile } = await load('server/src/document/manifest-file.ts');
  const { computeDiagnostics } = await load('server/src/features/diagnostics.ts');
  const { loadSchemas } = await load('server/kube-model/schema-loader.ts');
  const { CrdRegistry } = await load('server/src/schema/crd-registry.ts');
  const options = { schemas: loadSchemas(), crds: new CrdRegistry(), disabledRules: new Set() };
  return { parseManifestFile, computeDiagnostics, options };
}
