import type { ChunkFindings, PrecomputedFindings } from './diagnostics.js';

/**
 * The worker's findings of a file's chunks (`found[i]` for `chunks[i]`), by chunk text, under the options
 * whose key is `key`. The Map is made on first use: a large file's first publish does not need it (its
 * full validation after the publish does), and keying it hashes every chunk's text (1-1.5 ms for the
 * 1,000-Deployment file on a quiet machine, between the pass's end and the publish).
 */
export function precomputedFindings(
  key: string,
  chunks: readonly { readonly text: string }[],
  found: readonly ChunkFindings[],
): PrecomputedFindings {
  let byText: Map<string, ChunkFindings> | undefined;
  return {
    key,
    get byText(): Map<string, ChunkFindings> {
      if (byText === undefined) {
        byText = new Map();
        // In order: of two chunks with the same text, the later one's findings (as `new Map(entries)` keeps).
        for (let i = 0; i < chunks.length; i++)
          byText.set((chunks[i] as { text: string }).text, found[i] as ChunkFindings);
      }
      return byText;
    },
  };
}
