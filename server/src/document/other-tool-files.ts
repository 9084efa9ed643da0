/**
 * YAML files of other tools that often sit beside manifests and are never
 * given to kubectl (kustomize, Helm, Compose, CI): a folder of manifests does
 * not make their objects without apiVersion or kind an error. Works on paths
 * and URIs alike.
 */
const OTHER_TOOL_FILE =
  /(?:^|[/\\])(?:kustomization|Chart|values(?:[-._][^/\\]*)?|(?:docker-)?compose(?:[-._][^/\\]*)?|\.gitlab-ci|\.pre-commit-config|mkdocs|action)\.ya?ml$/i;
const OTHER_TOOL_FOLDER = /(?:^|[/\\])\.(?:github|gitlab|circleci)[/\\]/;

export function isOtherToolFile(path: string): boolean {
  return OTHER_TOOL_FILE.test(path) || OTHER_TOOL_FOLDER.test(path);
}

/** The folder part of a path or URI (everything before its last slash). */
export function folderOf(path: string): string {
  return path.slice(0, Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
}
