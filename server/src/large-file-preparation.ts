import type { Diagnostic } from 'vscode-languageserver-types';
import type { ChunkCache } from './document/manifest-file.js';
import { ownCopy } from './document/own-copy.js';
import type { DocumentChunk } from './document/split-documents.js';
import { asPieces, documentChunks, isTemplated } from './document/text-pieces.js';
import type { TextPieces } from './document/text-pieces.js';
import { withoutBuiltImages } from './features/built-image-tags.js';
import { assembleDiagnostics, chunkFindings, findingsKey } from './features/diagnostics.js';
import type { ChunkFindings, DiagnosticsOptions, PrecomputedFindings } from './features/diagnostics.js';
import type { WorkspaceService } from './workspace/workspace-service.js';

/** A chunk's findings as `diagnosticsWithoutParsing` last found them. */
interface SoonChunk {
  readonly start: number;
  readonly startLine: number;
  readonly text: string;
  readonly findings: ChunkFindings;
}

/** What the language service gives the preparation. */
export interface LargeFileHelpers {
  readonly cache: ChunkCache;
  readonly optionsFor: (around?: { readonly manifestsAround?: boolean }) => DiagnosticsOptions;
  /** The worker's findings for the chunks of the last file checked in parallel, not parsed here yet. */
  readonly precomputed: () => PrecomputedFindings | undefined;
  readonly workspace: WorkspaceService;
}

/**
 * A large file right after its first validation on two threads: its edits' diagnostics without parsing
 * what the worker checked, and its preparation for the index a slice at a time (`LanguageService`'s
 * `diagnosticsWithoutParsing` and `prepareSlice`, files within the size limit).
 */
export function createLargeFilePreparation({ cache, optionsFor, precomputed, workspace }: LargeFileHelpers): {
  diagnosticsWithoutParsing(
    text: string | TextPieces,
    around: { readonly manifestsAround?: boolean } | undefined,
  ): Diagnostic[];
  prepareSlice(uri: string, text: string | TextPieces, until: number): boolean;
} {
  /** The length of the last text `diagnosticsWithoutParsing` answered, its chunks' findings (dropped once `prepareSlice` is done). */
  let soon: { length: number; key: string; chunks: readonly SoonChunk[] } | undefined;
  /** The text `prepareSlice` works on (an open document's pieces, or a string): its chunks and the next one to do. */
  let preparing:
    | { uri: string; text: string | TextPieces; chunks: readonly DocumentChunk[]; templated: boolean; next: number }
    | undefined;
  const prepareSlice = (uri: string, text: string | TextPieces, until: number): boolean => {
    if (preparing?.uri !== uri || preparing.text !== text) {
      // An open document's pieces: an edit's chunks are those of the pieces it left as they were, and
      // those of the pieces it made (split once, see documentChunks).
      const pieces = asPieces(text);
      const chunks = documentChunks(pieces);
      // An edit: on from where the last text was (the chunks before are done but the edited one, which
      // `diagnostics` and the index then do as for any edit), not from the start again at every edit.
      const next = preparing?.uri === uri ? Math.min(preparing.next, chunks.length) : 0;
      preparing = { uri, text, chunks, templated: isTemplated(pieces), next };
    }
    const { chunks, templated } = preparing;
    // What a chunk's findings depend on is the same whatever is around (that decides only what is reported).
    const options = optionsFor(undefined);
    const key = findingsKey(options);
    while (preparing.next < chunks.length) {
      const chunk = chunks[preparing.next++]!;
      const parsed = cache.get(chunk.text);
      if (!templated) {
        chunkFindings(parsed, options, key, precomputed());
        // (Of the text, `prepare` reads only its length, to skip a file over the size limit, which the
        // language service has checked: the chunk's own, not the whole text built for it.)
        workspace.prepare(uri, { text: chunk.text, chunks: [{ chunk, parsed }], templated });
      }
      if (performance.now() >= until) break;
    }
    if (preparing.next < chunks.length) return false;
    preparing = undefined;
    soon = undefined;
    return true;
  };
  const diagnosticsWithoutParsing = (
    source: string | TextPieces,
    around: { readonly manifestsAround?: boolean } | undefined,
  ): Diagnostic[] => {
    const text = asPieces(source);
    if (isTemplated(text)) return [];
    const options = optionsFor(around);
    const key = findingsKey(options);
    const worker = precomputed();
    const given = worker?.key === key ? worker.byText : undefined;
    // As an edit's re-parse does: a chunk unchanged where it was, or moved by the edit, keeps its findings
    // (found by position, not by a lookup that hashes every chunk's text).
    const byStart = new Map<number, SoonChunk>();
    if (soon?.key === key) for (const c of soon.chunks) byStart.set(c.start, c);
    const moved = soon ? text.length - soon.length : 0;
    const chunks = documentChunks(text).map((chunk): SoonChunk => {
      const before = byStart.get(chunk.start);
      if (before?.text === chunk.text) return { ...before, start: chunk.start, startLine: chunk.startLine };
      const after = moved === 0 ? undefined : byStart.get(chunk.start - moved);
      if (after?.text === chunk.text) return { ...after, start: chunk.start, startLine: chunk.startLine };
      const parsed = cache.peek(chunk.text);
      const found = parsed === undefined ? given?.get(chunk.text) : undefined;
      return {
        start: chunk.start,
        startLine: chunk.startLine,
        // An edited chunk, kept for the edits to come: its own copy, not a view of this whole text (see ownCopy).
        text: byStart.size > 0 ? ownCopy(chunk.text) : chunk.text,
        findings: found ?? chunkFindings(parsed ?? cache.get(chunk.text), options, key, precomputed()),
      };
    });
    soon = { length: text.length, key, chunks };
    return withoutBuiltImages(assembleDiagnostics(chunks, options), text, workspace.builtImages);
  };
  return { diagnosticsWithoutParsing, prepareSlice };
}
