import * as path from 'node:path';
import type { KustomizeHost } from './index';

/** The names kustomize recognises for a kustomization file, in its order of preference. */
export const KUSTOMIZATION_FILE_NAMES: readonly string[] = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'];

/**
 * The kustomization file in a directory: its path, or an error message when
 * there is none or more than one (kustomize refuses to choose).
 */
export function findKustomizationFile(
  dir: string,
  host: KustomizeHost,
): { file: string; text: string } | { error: 'missing' | 'ambiguous'; message: string } {
  const found: { file: string; text: string }[] = [];
  for (const name of KUSTOMIZATION_FILE_NAMES) {
    const file = path.join(dir, name);
    const text = host.readFile(file);
    if (text !== undefined) found.push({ file, text });
  }
  if (found.length > 1) {
    return {
      error: 'ambiguous',
      message: `found multiple kustomization files in ${dir}: ${found.map((f) => path.basename(f.file)).join(', ')}`,
    };
  }
  const only = found[0];
  if (only === undefined) {
    return {
      error: 'missing',
      message: `no kustomization file (${KUSTOMIZATION_FILE_NAMES.join(', ')}) in ${dir}`,
    };
  }
  return only;
}
