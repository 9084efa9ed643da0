/**
 * How deep a YAML text nests, found without recursion, so that a hostile body
 * is refused before the YAML composer (which recurses per level) can exhaust
 * the stack: a stack overflow inside the parser is not a safe error in V8
 * (a regular expression compiled at that depth can abort the process).
 * First the lexer, which stops at the first flow collection past the limit,
 * then the parser's token tree, walked with a stack of our own.
 */
import { Lexer, Parser } from 'yaml';

/** YAML bodies may nest this deep: below where the composer's recursion is still safe (it overflows near 800). */
export const MAX_YAML_DEPTH = 500;

interface Token {
  type?: string;
  offset?: number;
  value?: unknown;
  key?: unknown;
  items?: { key?: unknown; value?: unknown }[];
}

const COLLECTIONS = new Set(['block-map', 'block-seq', 'flow-collection']);

/** The offset of the first collection nested past `limit`, or undefined when none is. */
export function tooDeepAt(text: string, limit = MAX_YAML_DEPTH): number | undefined {
  let flow = 0;
  let offset = 0;
  for (const lexeme of new Lexer().lex(text)) {
    if (lexeme === '[' || lexeme === '{') {
      if (++flow > limit) return offset;
    } else if (lexeme === ']' || lexeme === '}') flow = Math.max(0, flow - 1);
    // Control lexemes (one character below space) stand for no source text.
    if (!(lexeme.length === 1 && lexeme < ' ')) offset += lexeme.length;
  }
  for (const document of new Parser().parse(text)) {
    const stack: [unknown, number][] = [[document, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
      const token = node as Token;
      const here = token.type !== undefined && COLLECTIONS.has(token.type) ? depth + 1 : depth;
      if (here > limit) return token.offset ?? 0;
      if (token.value !== undefined) stack.push([token.value, here]);
      if (token.key !== undefined) stack.push([token.key, here]);
      for (const item of token.items ?? []) {
        if (item.key !== undefined) stack.push([item.key, here]);
        if (item.value !== undefined) stack.push([item.value, here]);
      }
    }
  }
  return undefined;
}
