import { dirname, resolve } from 'node:path';
import { isMap, parseAllDocuments } from 'yaml';
import { MANIFEST_YAML_OPTIONS } from '../document/yaml-options.js';
import { valueAt, nodeAt } from '../document/node-at.js';
import { KUSTOMIZATION_NAMES, readKustomizationEntries } from './kustomization-entries.js';
import type { EditorKustomizeHost } from './kustomize-host.js';

/** A resource a kustomization's bases list, as written in its file (before the overlay's changes). */
export interface BaseResource {
  readonly apiVersion: string;
  readonly kind: string;
  readonly name: string;
  readonly namespace: string | undefined;
  readonly labels: Readonly<Record<string, string>>;
  readonly file: string;
  /** Offsets of its `metadata.name` value (or its document) in that file. */
  readonly start: number;
  readonly end: number;
}

const MAX_DEPTH = 20;
const MAX_RESOURCES = 5000;

/** The kustomization file of a folder, if there is exactly one readable. */
export function kustomizationIn(dir: string, host: EditorKustomizeHost): { file: string; text: string } | undefined {
  for (const name of KUSTOMIZATION_NAMES) {
    const file = resolve(dir, name);
    const text = host.readFile(file);
    if (text !== undefined) return { file, text };
  }
  return undefined;
}

/**
 * Every resource the `resources` and `components` of a kustomization bring
 * in, read from their files (folders followed through their kustomizations,
 * loops and remote bases skipped). Fast and without rendering: what completion
 * offers for patch targets and where go to definition leads.
 */
export function collectBaseResources(file: string, text: string, host: EditorKustomizeHost): BaseResource[] {
  const out: BaseResource[] = [];
  const visited = new Set<string>([file]);
  const walk = (kustomization: string, source: string, depth: number): void => {
    if (depth > MAX_DEPTH) return;
    const dir = dirname(kustomization);
    for (const entry of readKustomizationEntries(source).entries) {
      if (entry.role !== 'resource' && entry.role !== 'component') continue;
      if (out.length >= MAX_RESOURCES) return;
      const target = resolve(dir, entry.value);
      if (host.isDirectory(target)) {
        const inner = kustomizationIn(target, host);
        if (inner && !visited.has(inner.file)) {
          visited.add(inner.file);
          walk(inner.file, inner.text, depth + 1);
        }
      } else if (!visited.has(target)) {
        visited.add(target);
        const content = host.readFile(target);
        if (content !== undefined) readResources(target, content, out);
      }
    }
  };
  walk(file, text, 0);
  return out;
}

function readResources(file: string, text: string, out: BaseResource[]): void {
  let docs;
  try {
    docs = parseAllDocuments(text, MANIFEST_YAML_OPTIONS);
  } catch {
    return;
  }
  if (!Array.isArray(docs)) return;
  for (const doc of docs) {
    if (!isMap(doc.contents)) continue;
    const kind = valueAt(doc, ['kind']);
    const name = valueAt(doc, ['metadata', 'name']);
    const apiVersion = valueAt(doc, ['apiVersion']);
    if (typeof kind !== 'string' || typeof name !== 'string') continue;
    const namespace = valueAt(doc, ['metadata', 'namespace']);
    const rawLabels = valueAt(doc, ['metadata', 'labels']);
    const labels: Record<string, string> = {};
    if (rawLabels && typeof rawLabels === 'object' && !Array.isArray(rawLabels))
      for (const [k, v] of Object.entries(rawLabels as Record<string, unknown>))
        if (typeof v === 'string') labels[k] = v;
    const range = nodeAt(doc, ['metadata', 'name'])?.range ?? doc.range;
    out.push({
      apiVersion: typeof apiVersion === 'string' ? apiVersion : '',
      kind,
      name,
      namespace: typeof namespace === 'string' ? namespace : undefined,
      labels,
      file,
      start: range[0],
      end: range[1],
    });
  }
}

/** Whether a base resource matches a kustomize selector (regexes anchored, as kustomize matches them). */
export function selects(selector: Readonly<Record<string, string>>, resource: BaseResource): boolean {
  const match = (pattern: string | undefined, value: string): boolean => {
    if (pattern === undefined || pattern === '') return true;
    try {
      return new RegExp(`^(?:${pattern})$`).test(value);
    } catch {
      return pattern === value;
    }
  };
  const slash = resource.apiVersion.indexOf('/');
  const group = slash < 0 ? '' : resource.apiVersion.slice(0, slash);
  const version = slash < 0 ? resource.apiVersion : resource.apiVersion.slice(slash + 1);
  if (!match(selector.kind, resource.kind) || !match(selector.name, resource.name)) return false;
  if (!match(selector.group, group) || !match(selector.version, version)) return false;
  if (selector.namespace !== undefined && !match(selector.namespace, resource.namespace ?? '')) return false;
  if (selector.labelSelector)
    for (const term of selector.labelSelector.split(',')) {
      // Equality terms only (`k=v`, `k==v`); other forms do not narrow the offer.
      const equality = /^\s*([^!=\s]+)\s*==?\s*(\S*)\s*$/.exec(term);
      if (equality && resource.labels[equality[1] ?? ''] !== equality[2]) return false;
    }
  return true;
}
