import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import type { Document, Node, YAMLMap } from 'yaml';
import type { CompletionItem, Range, TextEdit } from 'vscode-languageserver-types';
import { CompletionItemKind, InsertTextFormat } from 'vscode-languageserver-types';
import { fastParseDocuments } from '../document/fast-yaml/index.js';
import { typeOf } from '../document/is-manifest.js';
import { listItemDocuments } from '../document/list-items.js';
import type { ManifestFile } from '../document/manifest-file.js';
import { MANIFEST_YAML_OPTIONS } from '../document/yaml-options.js';
import type { CrdRegistry } from '../schema/crd-registry.js';
import type { JsonSchema } from '../../kube-model/json-schema.js';
import { schemaAtPath, typeLabel } from '../schema/schema-at-path.js';
import type { KubernetesSchemas } from '../../kube-model/schema-loader.js';
import { keySnippet, RESOURCE_SNIPPETS } from './completion-snippets.js';
import { chunkAt } from './cursor.js';
import type { WorkspaceIndex } from '../workspace/workspace-index.js';
import { workspaceKeySuggestions, workspaceValueSuggestions } from '../workspace/workspace-completions.js';

const KEY_MARK = '__kw_key__';
const VALUE_MARK = '__kw_value__';
const KEY_LINE = /^(\s*(?:-\s+)*)([\w./-]*)$/;
const VALUE_LINE = /^(\s*(?:-\s+)*)([\w./-]+):\s+(\S*)$/;

interface Where {
  doc: Document.Parsed;
  path: (string | number)[];
  map: YAMLMap | undefined;
}

/**
 * Completion at a cursor: keys valid there (required first, objects and lists
 * inserted with their required children), enum and boolean values, `kind`
 * and `apiVersion` in either order, and whole-resource snippets in an empty
 * document. Works on incomplete documents: the line under the cursor is
 * completed with a marker and re-parsed, so the path comes from the real tree.
 */
export function complete(
  file: ManifestFile,
  offset: number,
  schemas: KubernetesSchemas,
  crds: CrdRegistry,
  index?: WorkspaceIndex,
): CompletionItem[] {
  if (file.templated) return [];
  const at = chunkAt(file, offset);
  if (!at) return [];
  const text = at.chunk.text;
  const local = offset - at.chunk.start;
  const lineStart = text.lastIndexOf('\n', local - 1) + 1;
  const lineEndIndex = text.indexOf('\n', local);
  const lineEnd = lineEndIndex < 0 ? text.length : lineEndIndex;
  const before = text.slice(lineStart, local);
  const line = at.parsed.lines.positionAt(local).line + at.chunk.startLine;
  const range = (start: number, end: number): Range => ({
    start: { line, character: start - lineStart },
    end: { line, character: end - lineStart },
  });

  const valueMatch = VALUE_LINE.exec(before);
  if (valueMatch) {
    const partial = valueMatch[3] ?? '';
    const marked = text.slice(0, local - partial.length) + VALUE_MARK + text.slice(lineEnd);
    const where = locate(marked, VALUE_MARK, 'value');
    if (!where) return [];
    // Ranges of other nodes are read from the marked text: only this line changed.
    return valueItems(where, schemas, crds, index, range(local - partial.length, lineEnd), marked, at.chunk.startLine);
  }
  const keyMatch = KEY_LINE.exec(before);
  if (!keyMatch) return [];
  const partial = keyMatch[2] ?? '';
  const tokenStart = local - partial.length;
  const rest = text.slice(local, lineEnd);
  // A key already on the line (cursor at its start) is the one being replaced.
  const marked =
    text.slice(0, tokenStart) +
    KEY_MARK +
    (rest.includes(':') ? rest.slice(rest.indexOf(':')) : `:${rest}`) +
    text.slice(lineEnd);
  const where = locate(marked, KEY_MARK, 'key');
  const replace = range(tokenStart, rest.includes(':') ? local + rest.indexOf(':') : local);
  const items: CompletionItem[] = [];
  const empty = text.replace(/^\s*(#.*)?$/gm, '').trim() === partial.trim();
  if (empty) {
    for (const [i, s] of RESOURCE_SNIPPETS.entries()) {
      items.push({
        label: s.label,
        kind: CompletionItemKind.Module,
        detail: s.detail,
        sortText: `0${i}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range: replace, newText: s.body },
      });
    }
  }
  if (where) items.push(...keyItems(where, schemas, crds, replace, index));
  return items;
}

/**
 * Parses the marked text and finds the marker: its document, the path of its map, and the map. The fast
 * path first, as every chunk is parsed (the same documents as the yaml package's where it takes the text;
 * the yaml package's own parse, cold in a server that rarely runs it, costs ~2 ms for a 30-line document).
 */
function locate(marked: string, mark: string, as: 'key' | 'value'): Where | undefined {
  const parsed = fastParseDocuments(marked) ?? parseAllDocuments(marked, MANIFEST_YAML_OPTIONS);
  const docs = Array.isArray(parsed) ? parsed : [];
  // A list's items come first: inside one, paths and kind are the item's own.
  for (const doc of docs.flatMap((d) => [...listItemDocuments(d), d])) {
    const found = search(doc.contents, mark, as, []);
    if (found) return { doc, ...found };
  }
  return undefined;
}

function search(
  node: unknown,
  mark: string,
  as: 'key' | 'value',
  path: (string | number)[],
): { path: (string | number)[]; map: YAMLMap | undefined } | undefined {
  if (isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? String(pair.key.value) : '';
      if (as === 'key' && key === mark) return { path, map: node };
      if (as === 'value' && isScalar(pair.value) && pair.value.value === mark)
        return { path: [...path, key], map: node };
      const deeper = search(pair.value, mark, as, [...path, key]);
      if (deeper) return deeper;
    }
  } else if (isSeq(node)) {
    for (const [i, item] of node.items.entries()) {
      if (as === 'value' && isScalar(item) && item.value === mark) return { path: [...path, i], map: undefined };
      const deeper = search(item, mark, as, [...path, i]);
      if (deeper) return deeper;
    }
  }
  return undefined;
}

function rootSchema(
  doc: Document.Parsed,
  schemas: KubernetesSchemas,
  crds: CrdRegistry,
): { schema: JsonSchema; kind: string } | undefined {
  const type = typeOf(doc);
  if (!type) return undefined;
  const schema = schemas.schemaFor(type.apiVersion, type.kind) ?? crds.lookup(type.apiVersion, type.kind)?.schema;
  return schema ? { schema, kind: type.kind } : undefined;
}

function keyItems(
  where: Where,
  schemas: KubernetesSchemas,
  crds: CrdRegistry,
  range: Range,
  index: WorkspaceIndex | undefined,
): CompletionItem[] {
  const existing = new Set((where.map?.items ?? []).map((p) => (isScalar(p.key) ? String(p.key.value) : '')));
  const root = rootSchema(where.doc, schemas, crds);
  if (!root) {
    // No kind yet: offer the pairs, whichever comes first.
    return where.path.length === 0 ? kindPairItems(schemas, range, existing) : [];
  }
  const at = schemaAtPath(schemas, root.schema, where.path);
  const properties = at?.schema.properties;
  if (at && !properties && index) {
    // A free-form map (a selector): the label keys the workspace already uses.
    return workspaceKeySuggestions(index, where.doc, root.kind, where.path)
      .filter((s) => !existing.has(s.label))
      .map((s) => ({
        label: s.label,
        kind: CompletionItemKind.Value,
        detail: s.detail,
        textEdit: { range, newText: `${s.label}: ` },
      }));
  }
  if (!at || !properties) return [];
  const required = new Set(at.schema.required ?? []);
  return Object.entries(properties)
    .filter(([name]) => !existing.has(name) && !['status'].includes(name))
    .map(([name, raw]) => {
      const s = schemas.resolver.resolve(raw);
      const item: CompletionItem = {
        label: name,
        kind: CompletionItemKind.Property,
        detail: `${typeLabel(schemas, raw)}${required.has(name) ? ' (required)' : ''}`,
        sortText: `${required.has(name) ? '0' : '1'}${name}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range, newText: keySnippet(schemas, name, raw) },
      };
      if (s.description ?? raw.description)
        item.documentation = { kind: 'markdown', value: s.description ?? raw.description ?? '' };
      return item;
    });
}

function kindPairItems(schemas: KubernetesSchemas, range: Range, existing: Set<string>): CompletionItem[] {
  if (existing.has('kind') || existing.has('apiVersion')) return [];
  const items: CompletionItem[] = [];
  for (const kind of schemas
    .kinds()
    .filter((k) => !k.endsWith('List'))
    .sort()) {
    for (const apiVersion of schemas.apiVersionsOf(kind)) {
      items.push({
        label: `${kind} (${apiVersion})`,
        filterText: `${kind} ${apiVersion}`,
        kind: CompletionItemKind.Class,
        detail: 'apiVersion and kind',
        sortText: `2${kind}`,
        insertTextFormat: InsertTextFormat.Snippet,
        textEdit: { range, newText: `apiVersion: ${apiVersion}\nkind: ${kind}\nmetadata:\n  name: \${1:name}\n` },
      });
    }
  }
  return items;
}

function valueItems(
  where: Where,
  schemas: KubernetesSchemas,
  crds: CrdRegistry,
  index: WorkspaceIndex | undefined,
  range: Range,
  chunkText: string,
  startLine: number,
): CompletionItem[] {
  const field = where.path[where.path.length - 1];
  const type = (() => {
    const apiVersion = where.doc.get('apiVersion');
    const kind = where.doc.get('kind');
    return {
      apiVersion: typeof apiVersion === 'string' && apiVersion !== VALUE_MARK ? apiVersion : undefined,
      kind: typeof kind === 'string' && kind !== VALUE_MARK ? kind : undefined,
    };
  })();
  if (where.path.length === 1 && field === 'kind')
    return kindValueItems(schemas, range, type.apiVersion, where, chunkText, startLine);
  if (where.path.length === 1 && field === 'apiVersion') {
    const versions = type.kind ? schemas.apiVersionsOf(type.kind) : [];
    const all = new Set([...versions, ...allApiVersions(schemas)]);
    return [...all].map((v, i) => ({
      label: v,
      kind: CompletionItemKind.Value,
      sortText: `${versions.includes(v) ? '0' : '1'}${String(i).padStart(4, '0')}`,
      textEdit: { range, newText: v },
    }));
  }
  const root = rootSchema(where.doc, schemas, crds);
  if (!root) return [];
  const at = schemaAtPath(schemas, root.schema, where.path);
  const values = at?.schema.enum ?? (at?.schema.type === 'boolean' ? [true, false] : []);
  const items: CompletionItem[] = values.map((v) => ({
    label: String(v),
    kind: CompletionItemKind.EnumMember,
    textEdit: { range, newText: String(v) },
  }));
  // Names, ports, keys and label values that other manifests of the workspace define.
  if (index) {
    for (const s of workspaceValueSuggestions(index, where.doc, root.kind, where.path)) {
      items.push({
        label: s.label,
        kind: CompletionItemKind.Reference,
        detail: s.detail,
        textEdit: { range, newText: s.label },
      });
    }
  }
  return items;
}

function allApiVersions(schemas: KubernetesSchemas): string[] {
  return [...new Set(schemas.kinds().flatMap((k) => schemas.apiVersionsOf(k)))].sort();
}

/** Kinds; when the document's apiVersion does not serve one, picking it also fixes (or adds) apiVersion. */
function kindValueItems(
  schemas: KubernetesSchemas,
  range: Range,
  apiVersion: string | undefined,
  where: Where,
  chunkText: string,
  startLine: number,
): CompletionItem[] {
  const apiPair = where.map?.items.find((p) => isScalar(p.key) && p.key.value === 'apiVersion');
  const apiNode = apiPair?.value as Node | null | undefined;
  const items: CompletionItem[] = [];
  for (const kind of schemas
    .kinds()
    .filter((k) => !k.endsWith('List'))
    .sort()) {
    const versions = schemas.apiVersionsOf(kind);
    const served = apiVersion !== undefined && versions.includes(apiVersion);
    const target = served ? apiVersion : versions[0];
    if (!target) continue;
    const item: CompletionItem = {
      label: kind,
      kind: CompletionItemKind.Class,
      detail: target,
      sortText: `${served ? '0' : '1'}${kind}`,
      textEdit: { range, newText: kind },
    };
    if (!served) {
      const edit: TextEdit | undefined = apiNode?.range
        ? { range: rangeIn(chunkText, apiNode.range[0], apiNode.range[1], startLine), newText: target }
        : apiPair
          ? undefined
          : {
              range: { start: { line: range.start.line, character: 0 }, end: { line: range.start.line, character: 0 } },
              newText: `apiVersion: ${target}\n`,
            };
      if (edit) item.additionalTextEdits = [edit];
    }
    items.push(item);
  }
  return items;
}

function rangeIn(text: string, start: number, end: number, startLine: number): Range {
  const pos = (offset: number): { line: number; character: number } => {
    const before = text.slice(0, offset);
    const line = before.split('\n').length - 1;
    return { line: line + startLine, character: offset - (before.lastIndexOf('\n') + 1) };
  };
  return { start: pos(start), end: pos(end) };
}
