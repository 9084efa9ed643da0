/**
 * What `/version` answers, in a file of its own with no imports: the early API
 * (early-api-server.ts) answers it before the rest of the API is loaded.
 */
/** What `/version` says for a Kubernetes version of the schemas (`1.34.0`, `1.36.x`). */
export function serverVersion(kubernetesVersion: string): { major: string; minor: string; gitVersion: string } {
  const [major = '1', minor = '0', patch = '0'] = kubernetesVersion.split('.');
  const gitPatch = /^\d+$/.test(patch) ? patch : '0';
  return { major, minor, gitVersion: `v${major}.${minor}.${gitPatch}-kube-workbench` };
}

/** The version of a cluster started without `--kubernetes-version` (the schemas' default). */
export const SERVER_VERSION = serverVersion('1.34.0');

/** The version a cluster reports: the one it serves, or the default when none was chosen. */
export function servedVersion(kubernetesVersion?: string): { major: string; minor: string; gitVersion: string } {
  return kubernetesVersion === undefined ? SERVER_VERSION : serverVersion(kubernetesVersion);
}

export function versionInfo(kubernetesVersion?: string): Record<string, string> {
  return {
    ...servedVersion(kubernetesVersion),
    gitCommit: '0000000000000000000000000000000000000000',
    gitTreeState: 'clean',
    buildDate: '2025-01-01T00:00:00Z',
    goVersion: 'n/a',
    compiler: 'n/a',
    platform: `${process.platform}/${process.arch === 'x64' ? 'amd64' : process.arch}`,
  };
}
