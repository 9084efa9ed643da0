import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node } from 'yaml';
import { MANIFEST_YAML_OPTIONS } from '../document/yaml-options.js';

/** What a kustomization uses a file or folder for (the renderer's `FileRole`, seen from the entry). */
export type EntryRole = 'resource' | 'component' | 'patch' | 'patch-strategic' | 'patch-json6902' | 'generator-source';

/** One path a kustomization names, with where its text is. */
export interface KustomizationEntry {
  readonly role: EntryRole;
  /** The path as written, relative to the kustomization's folder (a generator's `key=` dropped). */
  readonly value: string;
  /** Offsets of the path inside the kustomization's text. */
  readonly start: number;
  readonly end: number;
  /** YAML path of the entry (`['patches', 0, 'path']`). */
  readonly path: readonly (string | number)[];
}

/** A patch's `target` selector (or a `replicas`/`images` entry's name), with where it is. */
export interface KustomizationTarget {
  /** Path of the map holding the selector (`['patches', 1, 'target']`, `['replicas', 0]`). */
  readonly path: readonly (string | number)[];
  readonly selector: Readonly<Record<string, string>>;
  readonly start: number;
  readonly end: number;
}

export interface KustomizationEntries {
  readonly doc: Document.Parsed;
  /** ConfigMaps and Secrets its generators make, by the name written (before prefix and hash). */
  readonly generators: readonly { kind: 'ConfigMap' | 'Secret'; name: string }[];
  readonly entries: readonly KustomizationEntry[];
  readonly targets: readonly KustomizationTarget[];
}

/** The names kustomize recognises for a kustomization file. */
export const KUSTOMIZATION_NAMES = ['kustomization.yaml', 'kustomization.yml', 'Kustomization'] as const;

/** Whether a path or URI names a kustomization file. */
export function isKustomizationFile(path: string): boolean {
  const name = path.slice(Math.max(path.lastIndexOf('/'), path.lastIndexOf('\\')) + 1);
  return (KUSTOMIZATION_NAMES as readonly string[]).includes(name);
}

const LIST_ROLES: Readonly<Record<string, EntryRole>> = {
  resources: 'resource',
  bases: 'resource',
  components: 'component',
  patchesStrategicMerge: 'patch-strategic',
};

/** Whether a `patchesStrategicMerge` string is a file path (kustomize: one line) rather than an inline patch. */
function isPathLike(value: string): boolean {
  return value.trim() !== '' && !value.includes('\n');
}

/**
 * Every file and folder a kustomization names (resources, components, patch
 * files, generator sources) and every patch target, read from its YAML
 * without rendering, each with its offsets. Malformed parts are skipped (the
 * schema check reports them).
 */
export function readKustomizationEntries(text: string): KustomizationEntries {
  const doc = parseDocument(text, { ...MANIFEST_YAML_OPTIONS, keepSourceTokens: false });
  const entries: KustomizationEntry[] = [];
  const targets: KustomizationTarget[] = [];
  const generators: { kind: 'ConfigMap' | 'Secret'; name: string }[] = [];
  const root = doc.contents;
  if (!isMap(root)) return { doc, entries, targets, generators };
  const push = (role: EntryRole, node: unknown, path: (string | number)[], strip = false): void => {
    if (!isScalar(node) || typeof node.value !== 'string' || !node.range) return;
    const quoted = node.type === 'QUOTE_DOUBLE' || node.type === 'QUOTE_SINGLE';
    let value = node.value;
    let start = node.range[0] + (quoted ? 1 : 0);
    const end = Math.max(start, node.range[1] - (quoted ? 1 : 0));
    if (strip && value.includes('=')) {
      // `key=path`: the path starts after the first `=`.
      const at = value.indexOf('=');
      value = value.slice(at + 1);
      start = Math.min(end, start + at + 1);
    }
    entries.push({ role, value, start, end, path });
  };
  const target = (map: unknown, path: (string | number)[]): void => {
    if (!isMap(map) || !map.range) return;
    const selector = Object.create(null) as Record<string, string>;
    for (const pair of map.items)
      if (isScalar(pair.key) && isScalar(pair.value)) {
        const value = pair.value.value;
        if (typeof value === 'string' || typeof value === 'number' || typeof value === 'boolean')
          selector[String(pair.key.value)] = String(value);
      }
    targets.push({ path, selector, start: map.range[0], end: map.range[1] });
  };
  for (const pair of root.items) {
    if (!isScalar(pair.key)) continue;
    const field = String(pair.key.value);
    const value = pair.value as Node | null;
    if (!isSeq(value)) continue;
    value.items.forEach((item, i) => {
      const at = [field, i];
      const role = LIST_ROLES[field];
      if (role) {
        if (role !== 'patch-strategic' || (isScalar(item) && isPathLike(String(item.value)))) push(role, item, at);
        return;
      }
      if (!isMap(item)) return;
      const get = (key: string): unknown => item.get(key, true);
      if (field === 'patches' || field === 'patchesJson6902') {
        push(field === 'patches' ? 'patch' : 'patch-json6902', get('path'), [...at, 'path']);
        target(get('target'), [...at, 'target']);
      } else if (field === 'configMapGenerator' || field === 'secretGenerator') {
        const name = get('name');
        if (isScalar(name) && typeof name.value === 'string')
          generators.push({ kind: field === 'configMapGenerator' ? 'ConfigMap' : 'Secret', name: name.value });
        for (const list of ['files', 'envs']) {
          const sources = get(list);
          if (isSeq(sources))
            sources.items.forEach((source, j) => push('generator-source', source, [...at, list, j], list === 'files'));
        }
        push('generator-source', get('env'), [...at, 'env']);
      } else if (field === 'replicas' || field === 'images') {
        target(item, at);
      }
    });
  }
  return { doc, entries, targets, generators };
}
