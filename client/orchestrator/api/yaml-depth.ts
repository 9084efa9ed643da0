/**
 * The shape of a YAML text, checked in linear time and without recursion
 * before the YAML composer runs: nesting (the composer recurses per level,
 * and a stack overflow inside the parser is not a safe error in V8: a regular
 * expression compiled at that depth can abort the process) and the number of
 * documents (the composer would build every one of a body of 700,000 `---`
 * first) and of values (MAX_YAML_VALUES). First the lexer, which stops at the first problem, then the
 * parser's token tree, walked with a stack of our own.
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

export type YamlShapeProblem = { kind: 'deep' | 'documents' | 'large' | 'aliases'; offset: number };

/** YAML bodies may hold this many aliases: the yaml package resolves each by searching the document. */
export const MAX_YAML_ALIASES = 100;

/**
 * YAML bodies may hold this many values (scalars, aliases and collections): the yaml package took 5.5 s
 * for 100,000 on a loaded 2-core machine, and 97 s for a 3 MiB body of 1.5 million tiny values (JSON
 * bodies have no such limit: JSON.parse reads 3 MiB in milliseconds).
 */
export const MAX_YAML_VALUES = 100_000;

const SCALAR = '\x1f';
const CONTROL = new Set(['\x02', '\x18', SCALAR]);
const BLOCK_INDICATORS = new Set(['-', '?', ':']);
const NOT_CONTENT = new Set(['\n', '\r\n', '---', '...']);

/**
 * One pass of the lexer (linear, stops early): a flow collection nested past `limit`, a block
 * indicator so far right that the block collections around it could nest past `limit` (each
 * level starts at least a column further right), or a second document.
 */
function lexerProblem(text: string, limit: number): YamlShapeProblem | undefined {
  let values = 0;
  let aliases = 0;
  let flow = 0;
  let offset = 0;
  let lineStart = 0;
  let content = false;
  let ended = false;
  let started = false;
  for (const lexeme of new Lexer().lex(text)) {
    // The lexer's control lexemes (document, scalar, flow-error end) stand for no source text.
    if (CONTROL.has(lexeme)) {
      if (lexeme === SCALAR && ++values > MAX_YAML_VALUES) return { kind: 'large', offset };
      continue;
    }
    if ((lexeme === '[' || lexeme === '{' || lexeme === '-' || lexeme[0] === '*') && ++values > MAX_YAML_VALUES)
      return { kind: 'large', offset };
    if (lexeme[0] === '*' && ++aliases > MAX_YAML_ALIASES) return { kind: 'aliases', offset };
    if (lexeme === '[' || lexeme === '{') {
      if (++flow > limit) return { kind: 'deep', offset };
    } else if (lexeme === ']' || lexeme === '}') flow = Math.max(0, flow - 1);
    else if (flow === 0 && BLOCK_INDICATORS.has(lexeme) && offset - lineStart > 2 * limit)
      return { kind: 'deep', offset };
    if (lexeme === '---') {
      if (content || started) return { kind: 'documents', offset };
      started = true;
    }
    if (lexeme === '...') ended = content;
    else if (!NOT_CONTENT.has(lexeme) && !/^[ \t#]/.test(lexeme)) {
      if (ended) return { kind: 'documents', offset };
      content = true;
    }
    const newline = lexeme.lastIndexOf('\n');
    if (newline >= 0) lineStart = offset + newline + 1;
    offset += lexeme.length;
  }
  return undefined;
}

/**
 * The first shape problem of a YAML text: nesting past `limit` (at the offset of the collection) or a
 * second document (at its start). Linear in the text.
 */
export function yamlShapeProblem(text: string, limit = MAX_YAML_DEPTH): YamlShapeProblem | undefined {
  const early = lexerProblem(text, limit);
  if (early) return early;
  for (const document of new Parser().parse(text)) {
    const stack: [unknown, number][] = [[document, 0]];
    while (stack.length > 0) {
      const [node, depth] = stack.pop()!;
      if (typeof node !== 'object' || node === null || Array.isArray(node)) continue;
      const token = node as Token;
      const here = token.type !== undefined && COLLECTIONS.has(token.type) ? depth + 1 : depth;
      if (here > limit) return { kind: 'deep', offset: token.offset ?? 0 };
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
