import { lfForLoneCr } from './manifest-file.js';
import type { ChunkCache, ManifestFile } from './manifest-file.js';
import type { DocumentChunk } from './split-documents.js';
import { documentChunks, isTemplated } from './text-pieces.js';
import type { TextPieces } from './text-pieces.js';

/**
 * The file as a request at one cursor reads it (hover, completion: `chunkAt` and `templated`), with only the
 * chunk under the cursor parsed: the chunk `chunkAt` picks (the last one starting at or before `offset`),
 * from the cache or parsed now. For a version not parsed yet, whose other chunks may never have been parsed
 * on this thread (a large file still being prepared: the worker checked them), so the request does not parse them.
 */
export function fileAtCursor(text: TextPieces, offset: number, cache: ChunkCache): ManifestFile {
  const chunks = documentChunks(text);
  let low = 0;
  let high = chunks.length - 1;
  let at: DocumentChunk | undefined;
  while (low <= high) {
    const mid = (low + high) >> 1;
    const chunk = chunks[mid]!;
    if (chunk.start <= offset) {
      at = chunk;
      low = mid + 1;
    } else high = mid - 1;
  }
  let whole: string | undefined;
  return {
    get text() {
      whole ??= lfForLoneCr(text.text());
      return whole;
    },
    chunks: at ? [{ chunk: at, parsed: cache.get(at.text) }] : [],
    templated: isTemplated(text),
  };
}
