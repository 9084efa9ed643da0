/** One `---` document's text and where it sits in the file. */
export interface DocumentChunk {
  readonly text: string;
  /** UTF-16 offset of the chunk's first character in the file. */
  readonly start: number;
  /** Zero-based line of the chunk's first character in the file. */
  readonly startLine: number;
}

/** Only comments, directives and blank lines (after the chunk's own marker line). */
const PREAMBLE_ONLY = /^(?:[ \t]*(?:[#%][^\n]*)?\r?(?:\n|$))*$/;

/**
 * Splits a YAML stream at its `---` document markers without parsing it, so
 * each document can be parsed, cached and validated on its own: an edit then
 * touches only the document it falls in. The marker line starts the chunk it
 * opens. A chunk holding only directives or comments joins the next one, so
 * `%YAML` lines stay with their document. Linear in the text, one pass.
 */
export function splitDocuments(text: string): DocumentChunk[] {
  return splitCountingLines(text).chunks;
}

/**
 * `splitDocuments`, and the text's line feeds: the split counts them chunk by chunk to number the
 * chunks' lines, and its count past the last chunk's end is the whole text's (the open file's first
 * validation needs both before its worker can start: one count over the 1 MB text instead of two).
 */
export function splitCountingLines(text: string): { chunks: DocumentChunk[]; lineFeeds: number } {
  const starts = [0];
  for (let i = text.startsWith('---') ? 0 : text.indexOf('\n---'); i >= 0; i = text.indexOf('\n---', i + 1)) {
    const marker = i === 0 && text.startsWith('---') ? 0 : i + 1;
    const after = text.charCodeAt(marker + 3);
    // `---` followed by a space, tab, line break or the end: a marker, not `----` or `---x`.
    if (!(Number.isNaN(after) || after === 32 || after === 9 || after === 10 || after === 13)) continue;
    if (marker === 0) continue;
    const previous = starts[starts.length - 1] ?? 0;
    if (isPreamble(text, previous, marker)) continue;
    starts.push(marker);
  }
  const chunks: DocumentChunk[] = [];
  let line = 0;
  for (let c = 0; c < starts.length; c++) {
    const start = starts[c] ?? 0;
    const end = starts[c + 1] ?? text.length;
    chunks.push({ text: text.slice(start, end), start, startLine: line });
    for (let i = text.indexOf('\n', start); i >= 0 && i < end; i = text.indexOf('\n', i + 1)) line++;
  }
  // The chunks tile the text from 0 to its end: `line` has counted every line feed.
  return { chunks, lineFeeds: line };
}

/** Whether text[from, to) holds no document content: only its marker line, comments and directives. */
function isPreamble(text: string, from: number, to: number): boolean {
  let body = from;
  if (text.startsWith('---', from)) {
    const eol = text.indexOf('\n', from);
    const rest = text.slice(from + 3, eol < 0 || eol > to ? to : eol).trim();
    if (rest !== '' && !rest.startsWith('#')) return false; // `--- value` or `--- !tag`: content
    body = eol < 0 || eol > to ? to : eol + 1;
  }
  return PREAMBLE_ONLY.test(text.slice(body, to));
}
