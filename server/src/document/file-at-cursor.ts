import { lastIndexWhere } from './last-index-where.js';
import { lfForLoneCr } from './manifest-file.js';
import type { ChunkCache, ManifestFile } from './manifest-file.js';
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
  const at = chunks[lastIndexWhere(chunks, (chunk) => chunk.start <= offset)];
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
