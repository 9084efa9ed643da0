import { isCollection, isScalar, visit } from 'yaml';
import type { Document, Node, YAMLError } from 'yaml';

/**
 * Where a YAML syntax error belongs, as offsets in the chunk. The `yaml`
 * package reports an unclosed quote or flow collection where the text ends
 * (often the end of the document); the user's mistake is where it opens, so
 * the range runs from the opening character to the end of its line. An
 * implicit key that runs over lines (a mis-indented line read as the rest of
 * the previous value) is reported on the line with its colon, as kubectl's
 * "line N: mapping values are not allowed in this context" is.
 */
export function syntaxErrorRange(doc: Document.Parsed, text: string, error: YAMLError): [number, number] {
  const [at, end] = error.pos;
  const message = error.message;
  const quote = /closing (["'])quote/.exec(message)?.[1];
  if (quote !== undefined) {
    const opened = innermost(
      doc,
      at,
      (n) => isScalar(n) && n.type === (quote === '"' ? 'QUOTE_DOUBLE' : 'QUOTE_SINGLE'),
    );
    if (opened !== undefined) return toLineEnd(text, opened);
  }
  const flow = /flow (sequence|map)\b.*end with/i.exec(message)?.[1];
  if (flow !== undefined) {
    const opener = flow === 'sequence' ? '[' : '{';
    const opened = innermost(doc, at, (n) => isCollection(n) && n.flow === true && text[n.range?.[0] ?? -1] === opener);
    if (opened !== undefined) return toLineEnd(text, opened);
  }
  if (error.code === 'MULTILINE_IMPLICIT_KEY' || error.code === 'BLOCK_AS_IMPLICIT_KEY') {
    // The key as parsed: a plain scalar over several lines, the last of which holds the colon.
    let keyEnd = end;
    if (error.code === 'BLOCK_AS_IMPLICIT_KEY')
      visit(doc, {
        Scalar(_key, node) {
          if (node.range?.[0] === at) keyEnd = Math.max(keyEnd, node.range[1]);
        },
      });
    const lastLine = text.lastIndexOf('\n', keyEnd - 1);
    if (lastLine >= at) {
      let start = lastLine + 1;
      while (text[start] === ' ' || text[start] === '\t') start++;
      return toLineEnd(text, start);
    }
  }
  return [at, end];
}

/** The start of the node that opens last before `offset` and satisfies `test` (the one still open there). */
function innermost(doc: Document.Parsed, offset: number, test: (node: Node) => boolean): number | undefined {
  let best: number | undefined;
  visit(doc, {
    Node(_key, node) {
      const range = node.range;
      if (!range || range[0] >= offset || range[1] < offset - 1 || !test(node)) return;
      if (best === undefined || range[0] > best) best = range[0];
    },
  });
  return best;
}

function toLineEnd(text: string, start: number): [number, number] {
  const eol = text.indexOf('\n', start);
  let stop = eol < 0 ? text.length : eol;
  if (text[stop - 1] === '\r') stop--;
  return [start, Math.max(start + 1, stop)];
}
