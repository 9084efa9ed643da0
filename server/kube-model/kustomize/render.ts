import type { KustomizeHost, KustomizeResult } from './index';

/** Renders the kustomization in `dir` (an absolute path). */
export function renderKustomization(dir: string, host: KustomizeHost): KustomizeResult {
  void dir;
  void host;
  return { resources: [], diagnostics: [], files: [] };
}
