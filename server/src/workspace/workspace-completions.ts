import type { Document } from 'yaml';
import { valueAt } from '../document/node-at.js';
import type { IndexedResource } from './indexed-resource.js';
import type { WorkspaceIndex } from './workspace-index.js';

export interface Suggestion {
  readonly label: string;
  readonly detail: string;
}

type Path = readonly (string | number)[];

const endsWith = (path: Path, ...tail: string[]): boolean =>
  tail.length <= path.length && tail.every((segment, i) => path[path.length - tail.length + i] === segment);

function namespaceOf(doc: Document.Parsed): string {
  const ns = valueAt(doc, ['metadata', 'namespace']);
  return typeof ns === 'string' && ns !== '' ? ns : 'default';
}

function inNamespace(index: WorkspaceIndex, kind: string, namespace: string): IndexedResource[] {
  return [...index.all()].filter((r) => r.kind === kind && r.namespace === namespace && r.name !== undefined);
}

function where(r: IndexedResource): string {
  return `${r.kind} in ${r.uri.slice(r.uri.lastIndexOf('/') + 1)}`;
}

/** Labels of the pods and pod templates in a namespace. */
function podLabels(index: WorkspaceIndex, namespace: string): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const r of index.all()) {
    if (r.namespace !== namespace || !r.pod) continue;
    for (const [k, v] of Object.entries(r.pod.labels)) out.set(k, (out.get(k) ?? new Set()).add(v));
  }
  return out;
}

/**
 * Values the workspace knows for the field under the cursor: Service names and
 * ports for an Ingress backend, container port names for a Service targetPort,
 * ConfigMap/Secret/PVC names and keys for pod references, label values for
 * selectors. `path` is the path of the value being completed.
 */
export function workspaceValueSuggestions(
  index: WorkspaceIndex,
  doc: Document.Parsed,
  kind: string,
  path: Path,
): Suggestion[] {
  const namespace = namespaceOf(doc);
  const sibling = (name: string): unknown => valueAt(doc, [...path.slice(0, -1), name]);
  const named = (targetKind: string): Suggestion[] =>
    inNamespace(index, targetKind, namespace).map((r) => ({ label: r.name ?? '', detail: where(r) }));
  const keysOf = (targetKind: string, name: unknown): Suggestion[] => {
    if (typeof name !== 'string') return [];
    const target = index.named(targetKind, namespace, name)[0];
    return [...(target?.dataKeys?.keys() ?? [])].map((key) => ({ label: key, detail: `key of ${targetKind} ${name}` }));
  };

  if (kind === 'Ingress' && endsWith(path, 'service', 'name')) return named('Service');
  if (kind === 'Ingress' && (endsWith(path, 'port', 'name') || endsWith(path, 'port', 'number'))) {
    const serviceName = valueAt(doc, [...path.slice(0, -2), 'name']);
    const service = typeof serviceName === 'string' ? index.named('Service', namespace, serviceName)[0] : undefined;
    const byName = path[path.length - 1] === 'name';
    return (service?.service?.ports ?? [])
      .map((p) => (byName ? p.name : p.port))
      .filter((v): v is string | number => v !== undefined)
      .map((v) => ({ label: String(v), detail: `port of Service ${String(serviceName)}` }));
  }
  if (kind === 'Service' && path[0] === 'spec' && path[1] === 'ports' && path[path.length - 1] === 'targetPort') {
    const selector = valueAt(doc, ['spec', 'selector']);
    if (!selector || typeof selector !== 'object') return [];
    const pods = index.selectedPods(namespace, selector as Record<string, string>);
    const seen = new Map<string, Suggestion>();
    for (const pod of pods)
      for (const p of pod.pod?.containerPorts ?? [])
        seen.set(p.name, { label: p.name, detail: `container port ${p.port ?? ''} of ${pod.kind} ${pod.name ?? ''}` });
    return [...seen.values()];
  }
  if (
    endsWith(path, 'configMapKeyRef', 'name') ||
    endsWith(path, 'configMapRef', 'name') ||
    endsWith(path, 'configMap', 'name')
  )
    return named('ConfigMap');
  if (
    endsWith(path, 'secretKeyRef', 'name') ||
    endsWith(path, 'secretRef', 'name') ||
    endsWith(path, 'secret', 'secretName')
  )
    return named('Secret');
  if (endsWith(path, 'persistentVolumeClaim', 'claimName')) return named('PersistentVolumeClaim');
  if (endsWith(path, 'configMapKeyRef', 'key')) return keysOf('ConfigMap', sibling('name'));
  if (endsWith(path, 'secretKeyRef', 'key')) return keysOf('Secret', sibling('name'));
  const items =
    path.length >= 3 && path[path.length - 3] === 'items' && path[path.length - 1] === 'key'
      ? path[path.length - 4]
      : undefined;
  if (items === 'configMap' || items === 'secret') {
    const source = valueAt(doc, path.slice(0, -3));
    const name =
      source && typeof source === 'object'
        ? (source as Record<string, unknown>)[items === 'configMap' ? 'name' : 'secretName']
        : undefined;
    return keysOf(items === 'configMap' ? 'ConfigMap' : 'Secret', name);
  }
  const selectorKey = labelSelectorKey(kind, path);
  if (selectorKey !== undefined) {
    return [...(podLabels(index, namespace).get(selectorKey) ?? [])].map((v) => ({
      label: v,
      detail: `value of label ${selectorKey} in the workspace`,
    }));
  }
  return [];
}

/** Label keys already used by pods in the namespace, for a selector map under the cursor. */
export function workspaceKeySuggestions(
  index: WorkspaceIndex,
  doc: Document.Parsed,
  kind: string,
  mapPath: Path,
): Suggestion[] {
  const isSelector =
    (kind === 'Service' && mapPath.length === 2 && mapPath[0] === 'spec' && mapPath[1] === 'selector') ||
    mapPath[mapPath.length - 1] === 'matchLabels';
  if (!isSelector) return [];
  return [...podLabels(index, namespaceOf(doc)).entries()].map(([key, values]) => ({
    label: key,
    detail: `label used in the workspace (${[...values].slice(0, 3).join(', ')})`,
  }));
}

function labelSelectorKey(kind: string, path: Path): string | undefined {
  const last = path[path.length - 1];
  if (typeof last !== 'string') return undefined;
  if (kind === 'Service' && path.length === 3 && path[0] === 'spec' && path[1] === 'selector') return last;
  if (path[path.length - 2] === 'matchLabels') return last;
  return undefined;
}
