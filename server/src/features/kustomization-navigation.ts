import { dirname, resolve } from 'node:path';
import { pathToFileURL } from 'node:url';
import type { Hover, Location } from 'vscode-languageserver-types';
import { MarkupKind } from 'vscode-languageserver-types';
import { isMap, isScalar, isSeq, parseAllDocuments } from 'yaml';
import { valueAt } from '../document/node-at.js';
import { MANIFEST_YAML_OPTIONS } from '../document/yaml-options.js';
import type { Document, Node } from 'yaml';
import { TextLines } from '../document/text-lines.js';
import { kustomizationSchemaAt } from '../schema/kustomization-schema.js';
import { readKustomizationEntries } from '../workspace/kustomization-entries.js';
import type { KustomizationEntries } from '../workspace/kustomization-entries.js';
import { collectBaseResources, kustomizationIn, selects } from '../workspace/kustomize-bases.js';
import type { BaseResource } from '../workspace/kustomize-bases.js';
import type { EditorKustomizeHost } from '../workspace/kustomize-host.js';
import { isRemoteEntry } from './kustomization-diagnostics.js';

/** The path of the node under an offset, whether on a key or a value, and that node. */
export function pathAtOffset(
  doc: Document.Parsed,
  offset: number,
): { path: (string | number)[]; on: 'key' | 'value'; node: Node | undefined } {
  const path: (string | number)[] = [];
  let node: unknown = doc.contents;
  for (let depth = 0; depth < 100; depth++) {
    if (isMap(node)) {
      const pair = node.items.find((p) => {
        const start = (p.key as Node | null)?.range?.[0];
        const end = (p.value as Node | null)?.range?.[1] ?? (p.key as Node | null)?.range?.[1];
        return start !== undefined && end !== undefined && start <= offset && offset <= end;
      });
      if (!pair) break;
      path.push(isScalar(pair.key) ? String(pair.key.value) : '');
      const key = pair.key as Node | null;
      if (key?.range && offset <= key.range[1]) return { path, on: 'key', node: key };
      node = pair.value;
    } else if (isSeq(node)) {
      const index = node.items.findIndex((item) => {
        const range = (item as Node | null)?.range;
        return range !== undefined && range !== null && range[0] <= offset && offset <= range[1];
      });
      if (index < 0) break;
      path.push(index);
      node = node.items[index];
    } else break;
  }
  return { path, on: 'value', node: (node as Node | null) ?? undefined };
}

/** Hover on a kustomization's field: its description and type from `schemas/kustomization.json`. */
export function kustomizationHover(text: string, offset: number): Hover | null {
  const { doc } = readKustomizationEntries(text);
  const { path, node } = pathAtOffset(doc, offset);
  const field = [...path].reverse().find((s): s is string => typeof s === 'string');
  const schema = kustomizationSchemaAt(path.filter((s, i) => typeof s === 'string' || i < path.length - 1));
  if (!schema?.description || field === undefined) return null;
  const type = schema.type === 'array' ? 'list' : (schema.type ?? 'object');
  const lines = [`**${field}**: \`${String(type)}\``, '', schema.description];
  if (schema.enum) lines.push('', `Allowed: ${schema.enum.map((v) => `\`${String(v)}\``).join(', ')}`);
  lines.push('', `\`Kustomization.${path.map((s) => (typeof s === 'number' ? `[${s}]` : s)).join('.')}\``);
  const lines2 = new TextLines(text);
  return {
    contents: { kind: MarkupKind.Markdown, value: lines.join('\n') },
    ...(node?.range ? { range: lines2.rangeAt(node.range[0], node.range[1]) } : {}),
  };
}

function location(file: string, text: string | undefined, start = 0, end = 0): Location {
  const lines = new TextLines(text ?? '');
  return { uri: pathToFileURL(file).href, range: lines.rangeAt(start, end) };
}

function resourceLocation(resource: BaseResource, host: EditorKustomizeHost): Location {
  return location(resource.file, host.readFile(resource.file), resource.start, resource.end);
}

/** The base resources a target (or a `replicas`/`images`-free strategic patch file) selects. */
export function targetsOf(
  entries: KustomizationEntries,
  index: number,
  bases: readonly BaseResource[],
): BaseResource[] {
  const target = entries.targets[index];
  if (!target) return [];
  if (target.path[0] === 'replicas') return bases.filter((r) => r.name === target.selector.name);
  if (target.path[0] === 'images') return [];
  return bases.filter((r) => selects(target.selector, r));
}

/**
 * Go to definition in a kustomization: a path opens the file (a folder, its
 * kustomization); a patch's `target` or a `replicas` entry opens the base
 * resources it selects.
 */
export function kustomizationDefinition(
  text: string,
  offset: number,
  file: string,
  host: EditorKustomizeHost,
): Location[] {
  const entries = readKustomizationEntries(text);
  const dir = dirname(file);
  const entry = entries.entries.find((e) => e.start <= offset && offset <= e.end);
  if (entry) {
    if (isRemoteEntry(entry.value)) return [];
    const target = resolve(dir, entry.value);
    if (host.isDirectory(target)) {
      const inner = kustomizationIn(target, host);
      return inner ? [location(inner.file, inner.text)] : [];
    }
    const content = host.readFile(target);
    if (content === undefined) return [];
    // A strategic merge patch file: its target is the resource it names, opened beside it.
    return [location(target, content)];
  }
  const index = entries.targets.findIndex((t) => t.start <= offset && offset <= t.end);
  if (index < 0) return [];
  const bases = collectBaseResources(file, text, host);
  return targetsOf(entries, index, bases).map((r) => resourceLocation(r, host));
}

/** The base resources a strategic merge patch file names (kind and name of the document under the offset). */
export function patchedResources(
  patchText: string,
  offset: number,
  kustomizationFile: string,
  kustomizationText: string,
  host: EditorKustomizeHost,
): Location[] {
  const docs = parseAllDocuments(patchText, MANIFEST_YAML_OPTIONS);
  if (!Array.isArray(docs)) return [];
  const doc = docs.find((d) => d.range[0] <= offset && offset <= d.range[2]) ?? docs[0];
  if (!doc) return [];
  const kind = valueAt(doc, ['kind']);
  const name = valueAt(doc, ['metadata', 'name']);
  if (typeof kind !== 'string' || typeof name !== 'string') return [];
  return collectBaseResources(kustomizationFile, kustomizationText, host)
    .filter((r) => r.kind === kind && r.name === name)
    .map((r) => resourceLocation(r, host));
}
