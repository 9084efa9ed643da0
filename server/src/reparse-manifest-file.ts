import { lfForLoneCr, TEMPLATE_ACTION } from './document/manifest-file.js';
import type { ChunkCache, ManifestFile, ParsedChunk } from './document/manifest-file.js';
import { splitDocuments } from './document/split-documents.js';

/**
 * `parseManifestFile(given, cache)` after an edit of `previous` (the same file before it): the
 * same result, but a chunk found unchanged where it was (before the edit) or moved by the edit's
 * length difference (after it) takes the previous parse without a cache lookup, which hashes the
 * chunk's whole text: in a file of 1,000 documents, an edit then costs one lookup instead of 1,000.
 * A chunk is reused only when its text is equal, so the result is exactly the fresh parse's.
 */
export function reparseManifestFile(
  given: string,
  previous: ManifestFile | undefined,
  cache: ChunkCache,
): ManifestFile {
  const text = lfForLoneCr(given);
  const byStart = new Map<number, ParsedChunk>();
  if (previous) for (const { chunk, parsed } of previous.chunks) byStart.set(chunk.start, parsed);
  const moved = previous ? text.length - previous.text.length : 0;
  const chunks = splitDocuments(text).map((chunk) => {
    const before = byStart.get(chunk.start);
    if (before?.text === chunk.text) return { chunk, parsed: before };
    const after = moved === 0 ? undefined : byStart.get(chunk.start - moved);
    if (after?.text === chunk.text) return { chunk, parsed: after };
    return { chunk, parsed: cache.get(chunk.text) };
  });
  return { text, chunks, templated: TEMPLATE_ACTION.test(text) };
}
