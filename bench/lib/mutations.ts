// Single mutations of real manifests, each with the diagnostic code and line a
// validator should report: rename a key, change a scalar's type, an invalid
// enum value, drop a required field. Text-level edits keep the rest intact.
import { isMap, isScalar, isSeq, parseDocument } from 'yaml';
import type { Document, Node, Pair } from 'yaml';
import { MANIFEST_YAML_OPTIONS } from '../../server/src/document/yaml-options.js';
import { nodeAt } from '../../server/src/document/node-at.js';
import type { JsonSchema, SchemaResolver } from '../../server/kube-model/json-schema.js';
import type { KubernetesSchemas } from '../../server/kube-model/schema-loader.js';

export type MutationKind = 'rename-key' | 'scalar-type' | 'enum-value' | 'drop-required';

export interface Mutation {
  kind: MutationKind;
  text: string;
  code: string;
  /** zero-based line where the diagnostic must start */
  line: number;
  description: string;
}

interface Candidate {
  kind: MutationKind;
  path: (string | number)[];
  pair: Pair;
  schema: JsonSchema;
}

const CODES: Record<MutationKind, string> = {
  'rename-key': 'unknown-field',
  'scalar-type': 'wrong-type',
  'enum-value': 'invalid-enum',
  'drop-required': 'missing-required',
};

/** All mutations of one document (block style only), at most `limit`, picked with a seeded generator. */
export function mutate(text: string, schemas: KubernetesSchemas, random: () => number, limit: number): Mutation[] {
  const doc = parseDocument(text, MANIFEST_YAML_OPTIONS);
  if (doc.errors.length > 0 || !isMap(doc.contents) || doc.contents.flow) return [];
  const apiVersion = doc.get('apiVersion');
  const kind = doc.get('kind');
  if (typeof apiVersion !== 'string' || typeof kind !== 'string') return [];
  const root = schemas.schemaFor(apiVersion, kind);
  if (!root) return [];
  const candidates: Candidate[] = [];
  collect(doc.contents, root, [], schemas.resolver, candidates);
  const out: Mutation[] = [];
  const pool = candidates.filter((c) => !['apiVersion', 'kind'].includes(String(c.path[0])) || c.path.length > 1);
  while (out.length < limit && pool.length > 0) {
    const [candidate] = pool.splice(Math.floor(random() * pool.length), 1);
    if (!candidate) break;
    const mutation = apply(text, candidate);
    if (mutation) out.push(mutation);
  }
  return out;
}

function collect(
  node: unknown,
  schema: JsonSchema,
  path: (string | number)[],
  resolver: SchemaResolver,
  out: Candidate[],
): void {
  const s = resolver.resolve(schema);
  if (isMap(node)) {
    if (node.flow) return;
    for (const pair of node.items) {
      if (!isScalar(pair.key)) continue;
      const key = String(pair.key.value);
      const property = s.properties?.[key];
      if (!property) continue;
      const childPath = [...path, key];
      const p = resolver.resolve(property);
      if (s.additionalProperties === false && key.length > 3)
        out.push({ kind: 'rename-key', path: childPath, pair, schema: p });
      if (s.required?.includes(key)) out.push({ kind: 'drop-required', path: childPath, pair, schema: p });
      if (isScalar(pair.value) && pair.value.value !== null) {
        if (p.enum) out.push({ kind: 'enum-value', path: childPath, pair, schema: p });
        else if (!p.anyOf && !p.format && (p.type === 'integer' || p.type === 'boolean' || p.type === 'string')) {
          out.push({ kind: 'scalar-type', path: childPath, pair, schema: p });
        }
      }
      collect(pair.value, property, childPath, resolver, out);
    }
  } else if (isSeq(node) && s.items) {
    if (node.flow) return;
    node.items.forEach((item, i) => collect(item, s.items ?? {}, [...path, i], resolver, out));
  }
}

function lineOf(text: string, offset: number): number {
  let line = 0;
  for (let i = text.indexOf('\n'); i >= 0 && i < offset; i = text.indexOf('\n', i + 1)) line++;
  return line;
}

function apply(text: string, c: Candidate): Mutation | undefined {
  const key = c.pair.key as Node;
  const value = c.pair.value as Node | null;
  const [keyStart, keyEnd] = key.range ?? [0, 0];
  const code = CODES[c.kind];
  const where = c.path.join('.');
  switch (c.kind) {
    case 'rename-key': {
      const name = String((key as { value?: unknown }).value);
      const typo = name.slice(0, 2) + name.slice(3); // drop the third letter: `containers` -> `cotainers`
      if (typo === name) return undefined;
      return {
        kind: c.kind,
        code,
        line: lineOf(text, keyStart),
        description: `${where} renamed to ${typo}`,
        text: text.slice(0, keyStart) + typo + text.slice(keyEnd),
      };
    }
    case 'scalar-type':
    case 'enum-value': {
      if (!value?.range) return undefined;
      const replacement =
        c.kind === 'enum-value' ? 'NotAValidValue' : c.schema.type === 'string' ? '12345' : 'not-a-number';
      return {
        kind: c.kind,
        code,
        line: lineOf(text, value.range[0]),
        description: `${where} set to ${replacement}`,
        text: text.slice(0, value.range[0]) + replacement + text.slice(value.range[1]),
      };
    }
    case 'drop-required': {
      // Remove the pair's lines: from the start of the key's line to the end of the value.
      const lineStart = text.lastIndexOf('\n', keyStart - 1) + 1;
      if (text.slice(lineStart, keyStart).trim() !== '') return undefined; // `- key:` starts a list item: skip
      const end = value?.range ? value.range[2] : keyEnd;
      const lineEnd = text.indexOf('\n', end - 1);
      const mutated = text.slice(0, lineStart) + text.slice(lineEnd < 0 ? text.length : lineEnd + 1);
      const line = expectedParentLine(mutated, c.path.slice(0, -1));
      if (line === undefined) return undefined;
      return { kind: c.kind, code, line, description: `${where} removed`, text: mutated };
    }
  }
}

/** Where a missing required field is reported: the key naming its parent, or a list item's first key, or `kind` at the root. */
function expectedParentLine(text: string, parentPath: (string | number)[]): number | undefined {
  const doc: Document.Parsed = parseDocument(text, MANIFEST_YAML_OPTIONS);
  if (parentPath.length === 0) {
    const kind = (doc.contents as { items?: Pair[] } | null)?.items?.find(
      (p) => isScalar(p.key) && p.key.value === 'kind',
    );
    return kind ? lineOf(text, (kind.key as Node).range?.[0] ?? 0) : undefined;
  }
  const last = parentPath[parentPath.length - 1];
  if (typeof last === 'number') {
    const item = nodeAt(doc, parentPath);
    const first = isMap(item) ? item.items[0]?.key : undefined;
    return first && isScalar(first) && first.range ? lineOf(text, first.range[0]) : undefined;
  }
  const parent = nodeAt(doc, parentPath.slice(0, -1));
  const pair = isMap(parent) ? parent.items.find((p) => isScalar(p.key) && p.key.value === last) : undefined;
  return pair && isScalar(pair.key) && pair.key.range ? lineOf(text, pair.key.range[0]) : undefined;
}

/** A small seeded generator (mulberry32), so every run mutates the same places. */
export function seededRandom(seed: number): () => number {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  };
}
