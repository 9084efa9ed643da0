import { parseAllDocuments } from 'yaml';
import type { Document } from 'yaml';
import { fastParseDocuments } from './fast-yaml/index.js';
import { splitDocuments } from './split-documents.js';
import type { DocumentChunk } from './split-documents.js';
import { TextLines } from './text-lines.js';
import { MANIFEST_YAML_OPTIONS } from './yaml-options.js';
import { ownCopy } from './own-copy.js';

/**
 * One chunk of a file (normally one `---` document), parsed. Ranges inside it
 * are relative to the chunk, so the parse and everything computed from it can
 * be cached by the chunk's text and reused when an edit elsewhere moves it.
 */
export interface ParsedChunk {
  readonly text: string;
  readonly lines: TextLines;
  /** The YAML documents in the chunk (one, except after stray markers). */
  readonly docs: readonly Document.Parsed[];
  /** Results computed from this chunk by features, keyed by feature. */
  readonly memo: Map<string, unknown>;
  /** Why the chunk could not be parsed at all (too large, too deep). */
  readonly failure?: string;
}

export interface ManifestFile {
  readonly text: string;
  readonly chunks: readonly { readonly chunk: DocumentChunk; readonly parsed: ParsedChunk }[];
  /** True when the text holds Go/Helm template actions (`{{ ... }}`). */
  readonly templated: boolean;
}

export const TEMPLATE_ACTION = /\{\{[\s\S]*?\}\}/;

/** Parses chunks, reusing earlier parses of identical text (bounded LRU). */
export class ChunkCache {
  private readonly entries = new Map<string, ParsedChunk>();

  constructor(private readonly capacity = 20_000) {}

  /** The parse of `text` when one is kept, without parsing (nor counting as a use). */
  peek(text: string): ParsedChunk | undefined {
    return this.entries.get(text);
  }

  get(text: string): ParsedChunk {
    const hit = this.entries.get(text);
    if (hit) {
      this.entries.delete(text);
      // Keyed by the entry's own text again, not by `text` (a view of the whole file that asked, see ownCopy).
      this.entries.set(hit.text, hit);
      return hit;
    }
    // Kept: its own copy of the text, not a view of the whole file's (see ownCopy).
    const parsed = parseChunk(ownCopy(text));
    this.entries.set(parsed.text, parsed);
    if (this.entries.size > this.capacity) {
      const oldest = this.entries.keys().next();
      if (!oldest.done) this.entries.delete(oldest.value);
    }
    return parsed;
  }
}

/** Larger documents are not parsed: a clear diagnostic instead of a stalled server. */
export const MAX_CHUNK_LENGTH = 4 * 1024 * 1024;

export function parseChunk(text: string): ParsedChunk {
  const lines = new TextLines(text);
  if (text.length > MAX_CHUNK_LENGTH) {
    return {
      text,
      lines,
      docs: [],
      memo: new Map(),
      failure: `this YAML document is ${Math.round(text.length / 1024 / 1024)} MB; documents over ${MAX_CHUNK_LENGTH / 1024 / 1024} MB are not checked`,
    };
  }
  try {
    // The fast path covers plain manifests; anything else gets the yaml package and its exact errors.
    const parsed = fastParseDocuments(text) ?? parseAllDocuments(text, MANIFEST_YAML_OPTIONS);
    const docs = Array.isArray(parsed) ? parsed : [];
    return { text, lines, docs, memo: new Map() };
  } catch (error) {
    // The parser recurses: absurd nesting can exhaust the stack. Report, don't crash.
    const reason = error instanceof RangeError ? 'it is nested too deeply' : String(error);
    return { text, lines, docs: [], memo: new Map(), failure: `this YAML document could not be checked: ${reason}` };
  }
}

/**
 * A lone CR ends a line as LF does: the editor counts lines so (text-lines.ts,
 * as LSP says) and so does kubectl's YAML reader, but the `yaml` package and
 * the document splitter only break at LF. One character for one keeps every
 * offset, so positions stay those of the text as given.
 */
export function lfForLoneCr(text: string): string {
  return text.includes('\r') ? text.replace(/\r(?!\n)/g, '\n') : text;
}

/** Parses YAML text into its documents; never throws on bad input. */
export function parseManifestFile(given: string, cache?: ChunkCache): ManifestFile {
  const text = lfForLoneCr(given);
  const chunks = splitDocuments(text).map((chunk) => ({
    chunk,
    parsed: cache ? cache.get(chunk.text) : parseChunk(chunk.text),
  }));
  return { text, chunks, templated: TEMPLATE_ACTION.test(text) };
}
