import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import type { SourceSpan } from './index';

export type JsonPath = readonly (string | number)[];

/** A parsed YAML document of one file: its plain value and a way to find the span of any path in it. */
export interface SourcedValue {
  value: unknown;
  file: string;
  /** The root node (undefined for an empty document). */
  node: Node | null;
  /** 1-based line and 0-based column of an offset, for messages. */
  errors: { message: string; start: number; end: number }[];
}

/**
 * kustomize reads YAML with a 1.2 reader: `yes` and `on` stay strings, so the
 * YAML 1.2 core schema (the yaml package's default) matches it.
 */
const OPTIONS = { uniqueKeys: true, prettyErrors: false, keepSourceTokens: false } as const;

function toSourced(doc: Document, file: string): SourcedValue {
  const errors = doc.errors.map((e) => ({
    message: /Maximum call stack/.test(e.message) ? 'the YAML nests too deeply to read' : e.message,
    start: e.pos[0],
    end: e.pos[1],
  }));
  return {
    value: errors.length > 0 ? undefined : doc.toJS({ maxAliasCount: 100 }),
    file,
    node: doc.contents ?? null,
    errors,
  };
}

/** Why a file could not be read as YAML (a stack overflow means nesting too deep for any reader). */
function readError(error: unknown): string {
  if (error instanceof RangeError || /Maximum call stack/.test(String(error)))
    return 'the YAML nests too deeply to read';
  return error instanceof Error ? error.message : String(error);
}

/** One file, one document (a kustomization, a JSON 6902 patch file). */
export function parseOne(text: string, file: string): SourcedValue {
  try {
    return toSourced(parseDocument(text, OPTIONS), file);
  } catch (error) {
    return { value: undefined, file, node: null, errors: [{ message: readError(error), start: 0, end: 0 }] };
  }
}

/** Parsed files by path, reused while their text is the same (the language server re-renders on every edit). */
const cache = new Map<string, { text: string; docs: SourcedValue[] }>();
const CACHE_FILES = 4000;

/**
 * Every document of a multi-document file (empty documents left out), each
 * value a fresh copy the caller may change; the nodes are shared and read-only.
 */
export function parseAll(text: string, file: string): SourcedValue[] {
  let hit = cache.get(file);
  if (hit === undefined || hit.text !== text) {
    hit = { text, docs: parseAllUncached(text, file) };
    cache.delete(file);
    if (cache.size >= CACHE_FILES) cache.delete(cache.keys().next().value as string);
    cache.set(file, hit);
  }
  return hit.docs.map((d) => ({ ...d, value: d.value === undefined ? undefined : structuredClone(d.value) }));
}

function parseAllUncached(text: string, file: string): SourcedValue[] {
  try {
    return parseAllDocuments(text, OPTIONS)
      .map((doc) => toSourced(doc as Document, file))
      .filter((d) => d.errors.length > 0 || (d.value !== null && d.value !== undefined));
  } catch (error) {
    return [{ value: undefined, file, node: null, errors: [{ message: readError(error), start: 0, end: 0 }] }];
  }
}

/**
 * The deepest node along `path` (the whole path when it exists) and how many
 * of the path's steps it matched.
 */
export function nodeAlong(root: Node | null, path: JsonPath): { node: Node | null; depth: number } {
  let node = root;
  let depth = 0;
  for (const step of path) {
    if (node === null) break;
    let next: Node | null = null;
    if (isMap(node)) {
      for (const pair of node.items) {
        const key = isScalar(pair.key) ? pair.key.value : pair.key;
        if (String(key) === String(step)) {
          next = (pair.value as Node | null) ?? (pair.key as Node | null);
          break;
        }
      }
    } else if (isSeq(node) && typeof step === 'number') {
      next = (node.items[step] as Node | undefined) ?? null;
    }
    if (next === null) break;
    node = next;
    depth++;
  }
  return { node, depth };
}

/** The span of the node at `path` (or its nearest existing ancestor) in `file`. */
export function spanAt(root: Node | null, file: string, path: JsonPath): SourceSpan {
  const { node } = nodeAlong(root, path);
  return spanOfNode(node, file);
}

export function spanOfNode(node: Node | null | undefined, file: string): SourceSpan {
  const range = node?.range;
  if (range === undefined || range === null) return { file, start: 0, end: 0 };
  return { file, start: range[0], end: range[1] };
}

/** The span of the key of `path`'s last step (e.g. the `namespace:` key), else of its value. */
export function keySpanAt(root: Node | null, file: string, path: JsonPath): SourceSpan {
  const parentPath = path.slice(0, -1);
  const last = path[path.length - 1];
  const { node, depth } = nodeAlong(root, parentPath);
  if (depth === parentPath.length && isMap(node)) {
    for (const pair of node.items) {
      const key = isScalar(pair.key) ? pair.key.value : pair.key;
      if (String(key) === String(last)) return spanOfNode(pair.key as Node, file);
    }
  }
  return spanAt(root, file, path);
}
