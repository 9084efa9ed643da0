/** One `---` document's text and where it sits in the file. */
export interface DocumentChunk {
  readonly text: string;
  /** UTF-16 offset of the chunk's first character in the file. */
  readonly start: number;
  /** Zero-based line of the chunk's first character in the file. */
  readonly startLine: number;
}

const MARKER = /^---(?:[ \t]|$)/;
const DIRECTIVE_OR_BLANK = /^(?:%.*|#.*|[ \t]*)$/;

/**
 * Splits a YAML stream at its `---` document markers without parsing it, so
 * each document can be parsed, cached and validated on its own: an edit then
 * touches only the document it falls in. The marker line starts the chunk it
 * opens. A chunk holding only directives or comments joins the next one, so
 * `%YAML` lines stay with their document.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  const chunks: DocumentChunk[] = [];
  let chunkStart = 0;
  let chunkLine = 0;
  let onlyPreamble = true;
  let line = 0;
  let offset = 0;
  while (offset <= text.length) {
    let end = text.indexOf('\n', offset);
    if (end < 0) end = text.length;
    const lineText = text.slice(offset, end).replace(/\r$/, '');
    if (MARKER.test(lineText) && offset > chunkStart && !onlyPreamble) {
      chunks.push({ text: text.slice(chunkStart, offset), start: chunkStart, startLine: chunkLine });
      chunkStart = offset;
      chunkLine = line;
      onlyPreamble = true;
    }
    if (!DIRECTIVE_OR_BLANK.test(lineText) && !MARKER.test(lineText)) onlyPreamble = false;
    if (MARKER.test(lineText) && lineText.slice(3).trim() !== '' && !lineText.slice(3).trim().startsWith('#')) {
      onlyPreamble = false;
    }
    if (end === text.length) break;
    offset = end + 1;
    line++;
  }
  if (chunkStart < text.length || chunks.length === 0) {
    chunks.push({ text: text.slice(chunkStart), start: chunkStart, startLine: chunkLine });
  }
  return chunks;
}
