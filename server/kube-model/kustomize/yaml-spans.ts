import { isMap, isScalar, isSeq, parseAllDocuments, parseDocument, type Document, type Node } from 'yaml';
import type { SourceSpan } from './index';

export type JsonPath = readonly (string | number)[];

/** A parsed YAML document of one file: its plain value and a way to find the span of any path in it. */
export interface SourcedValue {
  value: unknown;
  file: string;
  /** The root node (undefined for an empty document). */
  node: Node | null;
  /** Where the text the node's ranges count from starts in the file. */
  offset: number;
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
    offset: 0,
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
    return { value: undefined, file, node: null, offset: 0, errors: [{ message: readError(error), start: 0, end: 0 }] };
  }
}

/**
 * Parsed documents by their text, reused while a document's text is the same:
 * the language server re-renders on every edit, and an edit changes one
 * document of a file, so only that one is parsed again.
 */
const cache = new Map<string, SourcedValue[]>();
const CACHE_DOCUMENTS = 20_000;
const MARKER = /^---(?=[ \t\r\n]|$)/gm;

/** The file cut before each `---` line (a document marker at column 0 always starts a document). */
function chunks(text: string): { start: number; text: string }[] {
  const starts = [0];
  for (const m of text.matchAll(MARKER)) if (m.index !== 0) starts.push(m.index);
  return starts.map((start, i) => ({ start, text: text.slice(start, starts[i + 1] ?? text.length) }));
}

/**
 * Every document of a multi-document file (empty documents left out), each
 * value a fresh copy the caller may change; the nodes are shared and
 * read-only, their ranges relative to `offset`.
 */
export function parseAll(text: string, file: string): SourcedValue[] {
  const out: SourcedValue[] = [];
  for (const chunk of chunks(text)) {
    let docs = cache.get(chunk.text);
    if (docs === undefined) {
      docs = parseAllUncached(chunk.text, file);
      if (cache.size >= CACHE_DOCUMENTS) cache.delete(cache.keys().next().value as string);
      cache.set(chunk.text, docs);
    }
    for (const d of docs) {
      out.push({
        value: d.value === undefined ? undefined : structuredClone(d.value),
        file,
        node: d.node,
        offset: chunk.start,
        errors: d.errors.map((e) => ({ ...e, start: e.start + chunk.start, end: e.end + chunk.start })),
      });
    }
  }
  return out;
}

function parseAllUncached(text: string, file: string): SourcedValue[] {
  try {
    return parseAllDocuments(text, OPTIONS)
      .map((doc) => toSourced(doc as Document, file))
      .filter((d) => d.errors.length > 0 || (d.value !== null && d.value !== undefined));
  } catch (error) {
    return [
      { value: undefined, file, node: null, offset: 0, errors: [{ message: readError(error), start: 0, end: 0 }] },
    ];
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

export function spanOfNode(node: Node | null | undefined, file: string, offset = 0): SourceSpan {
  const range = node?.range;
  if (range === undefined || range === null) return { file, start: offset, end: offset };
  return { file, start: range[0] + offset, end: range[1] + offset };
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
