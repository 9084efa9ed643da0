import { lfForLoneCr, TEMPLATE_ACTION } from './document/manifest-file.js';
import type { ChunkCache, ManifestFile, ParsedChunk } from './document/manifest-file.js';
import type { DocumentChunk } from './document/split-documents.js';
import { splitDocuments } from './document/split-documents.js';
import { documentChunks, isTemplated } from './document/text-pieces.js';
import type { TextPieces } from './document/text-pieces.js';

/** Each file's length (that of the text it was parsed from), read by the next edit without building its text. */
const lengths = new WeakMap<ManifestFile, number>();

/**
 * `parseManifestFile(given, cache)` after an edit of `previous` (the same file before it): the
 * same result, but a chunk found unchanged where it was (before the edit) or moved by the edit's
 * length difference (after it) takes the previous parse without a cache lookup, which hashes the
 * chunk's whole text: in a file of 1,000 documents, an edit then costs one lookup instead of 1,000.
 * A chunk is reused only when its text is equal, so the result is exactly the fresh parse's.
 * `given` may be an open document's pieces (see PiecedTextDocument): its chunks are then the pieces'
 * (each piece split once), and the file's `text` is built only if a reader asks for it.
 */
export function reparseManifestFile(
  given: string | TextPieces,
  previous: ManifestFile | undefined,
  cache: ChunkCache,
): ManifestFile {
  const byStart = new Map<number, { chunk: DocumentChunk; parsed: ParsedChunk }>();
  if (previous) for (const entry of previous.chunks) byStart.set(entry.chunk.start, entry);
  const length = given.length;
  const moved = previous ? length - (lengths.get(previous) ?? previous.text.length) : 0;
  // (The chunk's text compared with the previous chunk's: for a piece the edit left alone, the same string.)
  const reuse = (chunk: DocumentChunk): { chunk: DocumentChunk; parsed: ParsedChunk } => {
    const before = byStart.get(chunk.start);
    if (before?.chunk.text === chunk.text) return { chunk, parsed: before.parsed };
    const after = moved === 0 ? undefined : byStart.get(chunk.start - moved);
    if (after?.chunk.text === chunk.text) return { chunk, parsed: after.parsed };
    return { chunk, parsed: cache.get(chunk.text) };
  };
  let file: ManifestFile;
  if (typeof given === 'string') {
    const text = lfForLoneCr(given);
    file = { text, chunks: splitDocuments(text).map(reuse), templated: TEMPLATE_ACTION.test(text) };
  } else {
    const chunks = documentChunks(given).map(reuse);
    const templated = isTemplated(given);
    let text: string | undefined;
    file = {
      get text() {
        text ??= lfForLoneCr(given.text());
        return text;
      },
      chunks,
      templated,
    };
  }
  lengths.set(file, length);
  return file;
}
