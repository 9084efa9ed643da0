/**
 * The string form of a label selector, as list and watch take it
 * (`a=b,c!=d,e in (x,y),f notin (),g,!h,n>1`), read the way the API server reads it:
 * a lexer (identifiers run up to whitespace or one of `=!(),<>`; `in` and `notin`
 * are operators only where an operator may stand) and a parser that says what it
 * found and what it expected. `()` is the set holding the empty string. Keys and
 * values are checked as label keys and values; a problem inside one requirement is
 * prefixed `unable to parse requirement: `.
 */
import { labelValueErrors, qualifiedNameErrors } from './name-formats';

export type SelectorOp = '=' | '!=' | 'in' | 'notin' | 'exists' | '!' | 'gt' | 'lt';

export interface Requirement {
  key: string;
  op: SelectorOp;
  values: string[];
}

/** A selector string that does not parse; the API server answers it with 400 Bad Request. */
export class SelectorSyntaxError extends Error {}

type TokenKind = 'id' | 'in' | 'notin' | '!' | '!=' | '=' | '==' | '(' | ')' | ',' | '>' | '<' | 'end';
interface Token {
  kind: TokenKind;
  text: string;
}

const SYMBOLS = new Set(['!', '!=', '=', '==', '(', ')', ',', '>', '<']);
const SYMBOL_CHARS = '=!(),<>';
const WHITESPACE = ' \t\r\n';

function lex(text: string): Token[] {
  const tokens: Token[] = [];
  let i = 0;
  while (i < text.length) {
    const ch = text[i]!;
    if (WHITESPACE.includes(ch)) {
      i++;
    } else if (SYMBOL_CHARS.includes(ch)) {
      // The longest symbol that starts here (`==`, `!=`, else one character).
      const two = text.slice(i, i + 2);
      const symbol = SYMBOLS.has(two) ? two : ch;
      tokens.push({ kind: symbol as TokenKind, text: symbol });
      i += symbol.length;
    } else {
      let j = i;
      while (j < text.length && !WHITESPACE.includes(text[j]!) && !SYMBOL_CHARS.includes(text[j]!)) j++;
      const word = text.slice(i, j);
      tokens.push({ kind: word === 'in' || word === 'notin' ? word : 'id', text: word });
      i = j;
    }
  }
  tokens.push({ kind: 'end', text: '' });
  return tokens;
}

const invalid = (field: string, value: string, detail: string) =>
  `${field}: Invalid value: ${JSON.stringify(value)}: ${detail}`;

/** Reads tokens; `inValues` makes the keywords `in`/`notin` plain identifiers (keys and values). */
class Parser {
  private at = 0;
  constructor(private readonly tokens: Token[]) {}

  peek(inValues = true): Token {
    const t = this.tokens[this.at]!;
    return inValues && (t.kind === 'in' || t.kind === 'notin') ? { kind: 'id', text: t.text } : t;
  }

  next(inValues = true): Token {
    const t = this.peek(inValues);
    if (t.kind !== 'end') this.at++;
    return t;
  }

  requirement(): Requirement {
    let t = this.next();
    const negated = t.kind === '!';
    if (negated) t = this.next();
    if (t.kind !== 'id') throw new Error(`found '${t.text}', expected: identifier`);
    const key = t.text;
    const keyErrors = qualifiedNameErrors(key);
    if (keyErrors.length > 0) throw new Error(invalid('<nil>', key, keyErrors.join('; ')));
    const after = this.peek().kind;
    if (negated || after === 'end' || after === ',') return checked({ key, op: negated ? '!' : 'exists', values: [] });
    const op = this.operator();
    const values = op === 'in' || op === 'notin' ? this.valueSet() : [this.exactValue()];
    return checked({ key, op, values });
  }

  private operator(): SelectorOp {
    const t = this.next(false);
    const ops: Partial<Record<TokenKind, SelectorOp>> = {
      in: 'in',
      notin: 'notin',
      '=': '=',
      '==': '=',
      '!=': '!=',
      '>': 'gt',
      '<': 'lt',
    };
    const op = ops[t.kind];
    if (!op) throw new Error(`found '${t.text}', expected: in, notin, =, ==, !=, gt, lt`);
    return op;
  }

  private exactValue(): string {
    const ahead = this.peek().kind;
    if (ahead === 'end' || ahead === ',') return '';
    const t = this.next();
    if (t.kind !== 'id') throw new Error(`found '${t.text}', expected: identifier`);
    return t.text;
  }

  /** `(a,b)`; `()` and empty places between commas are the empty string. */
  private valueSet(): string[] {
    const open = this.next();
    if (open.kind !== '(') throw new Error(`found '${open.text}' expected: '('`);
    const first = this.peek();
    if (first.kind === ')') {
      this.next();
      return [''];
    }
    if (first.kind !== 'id' && first.kind !== ',')
      throw new Error(`found '${first.text}', expected: ',', ')' or identifier`);
    const values = new Set<string>();
    for (;;) {
      const t = this.next();
      if (t.kind === 'id') {
        values.add(t.text);
        const ahead = this.peek();
        if (ahead.kind === ')') break;
        if (ahead.kind !== ',') throw new Error(`found '${ahead.text}', expected: ',' or ')'`);
      } else if (t.kind === ',') {
        const ahead = this.peek().kind;
        if (values.size === 0 || ahead === ')' || ahead === ',') values.add('');
        if (ahead === ')') break;
        if (ahead === ',') this.next();
      } else throw new Error(`found '${t.text}', expected: ',', or identifier`);
    }
    this.next(); // the ')'
    return [...values].sort();
  }
}

/** A parsed requirement's values checked as label values (and integers for `>` and `<`). */
function checked(r: Requirement): Requirement {
  const errors: string[] = [];
  r.values.forEach((v, i) => {
    if ((r.op === 'gt' || r.op === 'lt') && !/^[+-]?\d+$/.test(v))
      errors.push(invalid(`values[${i}]`, v, "for 'Gt', 'Lt' operators, the value must be an integer"));
    const problems = labelValueErrors(v);
    if (problems.length > 0) errors.push(invalid(`values[${i}][${r.key}]`, v, problems.join('; ')));
  });
  if (errors.length === 1) throw new Error(errors[0]);
  if (errors.length > 1) throw new Error(`[${errors.join(', ')}]`);
  return r;
}

/** Parses the string form; throws SelectorSyntaxError with the API server's message. */
export function parseLabelSelector(text: string): Requirement[] {
  const parser = new Parser(lex(text));
  const requirements: Requirement[] = [];
  for (;;) {
    const start = parser.peek();
    if (start.kind === 'end') return requirements;
    if (start.kind !== 'id' && start.kind !== '!')
      throw new SelectorSyntaxError(`found '${start.text}', expected: !, identifier, or 'end of string'`);
    try {
      requirements.push(parser.requirement());
    } catch (error) {
      throw new SelectorSyntaxError(`unable to parse requirement: ${(error as Error).message}`);
    }
    const t = parser.next();
    if (t.kind === 'end') return requirements;
    if (t.kind !== ',') throw new SelectorSyntaxError(`found '${t.text}', expected: ',' or 'end of string'`);
    const ahead = parser.peek();
    if (ahead.kind !== 'id' && ahead.kind !== '!')
      throw new SelectorSyntaxError(`found '${ahead.text}', expected: identifier after ','`);
  }
}
