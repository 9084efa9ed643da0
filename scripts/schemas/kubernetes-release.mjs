// The Kubernetes release a @kubernetes/client-node package was generated from,
// as the header of its model files states it: `v1.34.0` names a patch release,
// `release-1.36` only the release branch.
import { readFileSync } from 'node:fs';
import { join } from 'node:path';

/** @returns {{ minor: string, version: string, openapiSpec: string }} e.g. minor '1.36', version '1.36.x' */
export function kubernetesReleaseOf(packageDir) {
  const header = readFileSync(join(packageDir, 'dist', 'gen', 'models', 'V1Pod.js'), 'utf8');
  const openapiSpec = /OpenAPI spec version: (\S+)/.exec(header)?.[1] ?? '';
  const patch = /^v(\d+\.\d+)\.\d+$/.exec(openapiSpec);
  if (patch) return { minor: patch[1], version: openapiSpec.slice(1), openapiSpec };
  const branch = /^release-(\d+\.\d+)$/.exec(openapiSpec);
  if (branch) return { minor: branch[1], version: `${branch[1]}.x`, openapiSpec };
  throw new Error(`${packageDir}: cannot tell the Kubernetes release from '${openapiSpec}'`);
}
