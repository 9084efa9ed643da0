import { parseChunk, TEMPLATE_ACTION, lfForLoneCr } from './manifest-file.js';
import type { ManifestFile, ParsedChunk } from './manifest-file.js';
import { splitDocuments } from './split-documents.js';

/** Parsing work done before the event loop gets a turn (requests from the editor wait no longer). */
export const SLICE_MS = 8;

/** Lets the event loop run what is waiting (I/O, queued messages) before going on. */
const yieldToEventLoop = (): Promise<void> => new Promise((resolve) => setImmediate(resolve));

/**
 * `parseManifestFile` for background work (the workspace scan): the same result,
 * parsed a slice of documents at a time with a turn of the event loop between
 * slices, so a large file read from disk never holds back what the editor asks
 * (its `didOpen` of that same file, above all). Resolves to `undefined` as soon
 * as `stop()` says the result is no longer wanted (the file was opened). `breather`: what runs between
 * slices (by default, one turn of the event loop).
 */
export async function parseManifestFileInSlices(
  given: string,
  stop: () => boolean,
  sliceMs = SLICE_MS,
  breather: () => Promise<void> = yieldToEventLoop,
): Promise<ManifestFile | undefined> {
  const text = lfForLoneCr(given);
  const chunks: { chunk: ReturnType<typeof splitDocuments>[number]; parsed: ParsedChunk }[] = [];
  let sliceStart = performance.now();
  for (const chunk of splitDocuments(text)) {
    if (performance.now() - sliceStart >= sliceMs) {
      await breather();
      if (stop()) return undefined;
      sliceStart = performance.now();
    }
    chunks.push({ chunk, parsed: parseChunk(chunk.text) });
  }
  return { text, chunks, templated: TEMPLATE_ACTION.test(text) };
}
