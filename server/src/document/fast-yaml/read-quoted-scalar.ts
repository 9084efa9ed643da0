import { Scalar } from 'yaml';
import { bail } from './bail.js';
import { newScalar } from './nodes.js';

const SIMPLE_ESCAPES: Record<string, string> = {
  '0': '\0',
  a: '\x07',
  b: '\b',
  t: '\t',
  n: '\n',
  v: '\v',
  f: '\f',
  r: '\r',
  e: '\x1b',
  ' ': ' ',
  '"': '"',
  '/': '/',
  '\\': '\\',
  N: '\u0085',
  _: '\u00a0',
  L: '\u2028',
  P: '\u2029',
};
const HEX_LENGTH: Record<string, number> = { x: 2, u: 4, U: 8 };
const HEX = /^[0-9a-fA-F]+$/;

/**
 * A single- or double-quoted scalar starting at `start` (its quote) that
 * closes before `lineEnd`; multi-line quoted scalars bail. Returns the node
 * (range not set) and the position after the closing quote.
 */
export function readQuotedScalar(text: string, start: number, lineEnd: number): { node: Scalar; end: number } {
  return text.charCodeAt(start) === 39 ? readSingle(text, start, lineEnd) : readDouble(text, start, lineEnd);
}

function readSingle(text: string, start: number, lineEnd: number): { node: Scalar; end: number } {
  let value = '';
  let from = start + 1;
  for (;;) {
    const q = text.indexOf("'", from);
    if (q < 0 || q >= lineEnd) bail('multi-line single-quoted scalar');
    value += text.slice(from, q);
    if (text.charCodeAt(q + 1) === 39 && q + 1 < lineEnd) {
      value += "'";
      from = q + 2;
      continue;
    }
    const node = newScalar(value);
    node.source = value;
    node.type = Scalar.QUOTE_SINGLE;
    return { node, end: q + 1 };
  }
}

function readDouble(text: string, start: number, lineEnd: number): { node: Scalar; end: number } {
  let value = '';
  let from = start + 1;
  for (let i = from; ; i++) {
    if (i >= lineEnd) bail('multi-line double-quoted scalar');
    const c = text.charCodeAt(i);
    if (c === 34) {
      value += text.slice(from, i);
      const node = newScalar(value);
      node.source = value;
      node.type = Scalar.QUOTE_DOUBLE;
      return { node, end: i + 1 };
    }
    if (c !== 92) continue;
    value += text.slice(from, i);
    const e = text.charAt(i + 1);
    if (i + 1 >= lineEnd) bail('escaped line break');
    const simple = SIMPLE_ESCAPES[e];
    if (simple !== undefined) {
      value += simple;
      i += 1;
    } else {
      const length = HEX_LENGTH[e];
      if (length === undefined) bail('unknown escape');
      const hex = text.slice(i + 2, i + 2 + length);
      if (hex.length !== length || i + 2 + length > lineEnd || !HEX.test(hex)) bail('bad hex escape');
      const code = parseInt(hex, 16);
      if (code > 0x10ffff) bail('code point out of range');
      value += String.fromCodePoint(code);
      i += 1 + length;
    }
    from = i + 1;
  }
}
