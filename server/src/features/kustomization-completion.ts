import { dirname, resolve } from 'node:path';
import type { CompletionItem, Range } from 'vscode-languageserver-types';
import { CompletionItemKind } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { YAMLMap } from 'yaml';
import { TextLines } from '../document/text-lines.js';
import { MANIFEST_YAML_OPTIONS } from '../document/yaml-options.js';
import { kustomizationSchemaAt } from '../schema/kustomization-schema.js';
import { collectBaseResources } from '../workspace/kustomize-bases.js';
import type { EditorKustomizeHost } from '../workspace/kustomize-host.js';

const MARK = '__kw_mark__';
/** `  key: partial`, `  - partial`, `  - key: partial` before the cursor. */
const VALUE_LINE = /^(\s*(?:-\s+)*)(?:([\w.-]+):\s+)?(['"]?)([^'"\s#]*)$/;
const KEY_LINE = /^(\s*(?:-\s+)*)([\w-]*)$/;

/** Which kind of path a list of the kustomization holds. */
function pathKind(path: readonly (string | number)[]): 'resource' | 'component' | 'file' | undefined {
  const [field, , sub] = path;
  if ((field === 'resources' || field === 'bases') && path.length === 2) return 'resource';
  if (field === 'components' && path.length === 2) return 'component';
  if (field === 'patchesStrategicMerge' && path.length === 2) return 'file';
  if ((field === 'patches' || field === 'patchesJson6902') && sub === 'path') return 'file';
  if (
    (field === 'configMapGenerator' || field === 'secretGenerator') &&
    (sub === 'files' || sub === 'envs' || sub === 'env')
  )
    return 'file';
  return undefined;
}

function findMark(
  node: unknown,
  path: (string | number)[],
  depth = 0,
): { path: (string | number)[]; map?: YAMLMap; key: boolean } | undefined {
  if (depth > 100) return undefined;
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (key === MARK) return { path, map: node, key: true };
      if (isScalar(pair.value) && pair.value.value === MARK) return { path: [...path, key], key: false };
      const deeper = findMark(pair.value, [...path, key], depth + 1);
      if (deeper) return deeper;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      if (isScalar(item) && item.value === MARK) return { path: [...path, i], key: false };
      const deeper = findMark(item, [...path, i], depth + 1);
      if (deeper) return deeper;
    }
  }
  return undefined;
}

/**
 * Completion in a kustomization file: field names (from its schema), enum
 * values, paths of files and folders relative to it for `resources`,
 * `components`, patches and generator files, and kinds and names of the
 * bases' resources for patch `target`s, `replicas` and `images`.
 */
export function completeKustomization(
  text: string,
  offset: number,
  file: string,
  host: EditorKustomizeHost,
): CompletionItem[] {
  const lineStart = text.lastIndexOf('\n', offset - 1) + 1;
  const newline = text.indexOf('\n', offset);
  const lineEnd = newline < 0 ? text.length : newline;
  const before = text.slice(lineStart, offset);
  const lines = new TextLines(text);
  const range = (start: number, end: number): Range => lines.rangeAt(start, end);
  const keyMatch = KEY_LINE.exec(before);
  if (keyMatch) {
    const partial = keyMatch[2] ?? '';
    const marked = text.slice(0, offset - partial.length) + `${MARK}: x` + text.slice(lineEnd);
    const at = findMark(parseDocument(marked, MANIFEST_YAML_OPTIONS).contents, []);
    if (at?.key) {
      const schema = kustomizationSchemaAt(at.path);
      const existing = new Set((at.map?.items ?? []).map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
      const items = Object.entries(schema?.properties ?? {})
        .filter(([name]) => !existing.has(name))
        .map(([name, property]) => ({
          label: name,
          kind: CompletionItemKind.Property,
          detail: property.type === 'array' ? 'list' : String(property.type ?? 'object'),
          ...(property.description
            ? { documentation: { kind: 'markdown' as const, value: property.description } }
            : {}),
          textEdit: { range: range(offset - partial.length, offset), newText: `${name}: ` },
        }));
      if (items.length > 0 || !/^\s*-\s/.test(before)) return items;
    }
  }
  const valueMatch = VALUE_LINE.exec(before);
  if (!valueMatch) return [];
  const partial = valueMatch[4] ?? '';
  const quote = valueMatch[3] ?? '';
  const marked = text.slice(0, offset - partial.length - quote.length) + MARK + text.slice(lineEnd);
  const at = findMark(parseDocument(marked, MANIFEST_YAML_OPTIONS).contents, []);
  if (!at || at.key) return [];
  const kind = pathKind(at.path);
  if (kind)
    return pathItems(
      file,
      partial,
      kind,
      host,
      range(offset - (partial.length - partial.lastIndexOf('/') - 1), offset),
    );
  const replace = range(offset - partial.length, offset);
  const field = at.path[at.path.length - 1];
  const top = at.path[0];
  if (
    (top === 'patches' || top === 'patchesJson6902' || top === 'replicas' || top === 'images') &&
    (field === 'kind' || field === 'name' || field === 'namespace')
  ) {
    const bases = collectBaseResources(file, text, host);
    const values = new Map<string, string>();
    for (const r of bases) {
      if (top === 'replicas' && !['Deployment', 'ReplicaSet', 'StatefulSet', 'ReplicationController'].includes(r.kind))
        continue;
      if (top === 'images') continue;
      const value = field === 'kind' ? r.kind : field === 'name' ? r.name : r.namespace;
      if (value !== undefined && !values.has(value)) values.set(value, field === 'kind' ? r.apiVersion : `${r.kind}`);
    }
    if (top === 'images' && field === 'name')
      for (const image of imagesOf(bases, host)) values.set(image, 'container image');
    return [...values].map(([label, detail]) => ({
      label,
      kind: CompletionItemKind.Reference,
      detail,
      textEdit: { range: replace, newText: label },
    }));
  }
  const schema = kustomizationSchemaAt(at.path);
  const values = schema?.enum ?? (schema?.type === 'boolean' ? [true, false] : []);
  return values.map((v) => ({
    label: String(v),
    kind: CompletionItemKind.EnumMember,
    textEdit: { range: replace, newText: String(v) },
  }));
}

/** Image names (without tag or digest) that containers of the bases' files use. */
function imagesOf(bases: readonly { file: string }[], host: EditorKustomizeHost): string[] {
  const out = new Set<string>();
  for (const file of new Set(bases.map((b) => b.file))) {
    const text = host.readFile(file) ?? '';
    for (const match of text.matchAll(/^\s*(?:-\s+)?image:\s*['"]?([^'"\s#]+)/gm)) {
      const image = match[1] ?? '';
      const name = image.replace(/@.*$/, '').replace(/:[^/:]*$/, '');
      if (name) out.add(name);
    }
  }
  return [...out];
}

function pathItems(
  file: string,
  partial: string,
  kind: 'resource' | 'component' | 'file',
  host: EditorKustomizeHost,
  replace: Range,
): CompletionItem[] {
  const folderPart = partial.slice(0, partial.lastIndexOf('/') + 1);
  const folder = resolve(dirname(file), folderPart || '.');
  const items: CompletionItem[] = [];
  for (const entry of host.list(folder)) {
    if (entry.name.startsWith('.')) continue;
    const path = resolve(folder, entry.name);
    if (path === file) continue;
    if (!entry.directory) {
      if (kind === 'component') continue;
      if (kind === 'resource' && !/\.(ya?ml|json)$/i.test(entry.name)) continue;
    }
    items.push({
      label: entry.directory ? `${entry.name}/` : entry.name,
      kind: entry.directory ? CompletionItemKind.Folder : CompletionItemKind.File,
      sortText: `${entry.directory ? '0' : '1'}${entry.name}`,
      textEdit: { range: replace, newText: entry.name },
    });
  }
  if (folderPart === '' || /^(\.\.\/)+$/.test(folderPart))
    items.push({
      label: '../',
      kind: CompletionItemKind.Folder,
      sortText: '2',
      textEdit: { range: replace, newText: '..' },
    });
  return items;
}
