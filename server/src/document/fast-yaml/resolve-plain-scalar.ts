import type { Scalar } from 'yaml';
import { newPlainScalar } from './nodes.js';

// The YAML 1.1 core tags in the order the `yaml` package tries them, as
// MANIFEST_YAML_OPTIONS configures it (no sexagesimal, no timestamps).
const NULL = /^(?:~|[Nn]ull|NULL)?$/;
const TRUE = /^(?:Y|y|[Yy]es|YES|[Tt]rue|TRUE|[Oo]n|ON)$/;
const FALSE = /^(?:N|n|[Nn]o|NO|[Ff]alse|FALSE|[Oo]ff|OFF)$/;
const INT_BIN = /^[-+]?0b[0-1_]+$/;
const INT_OCT = /^[-+]?0[0-7_]+$/;
const INT = /^[-+]?[0-9][0-9_]*$/;
const INT_HEX = /^[-+]?0x[0-9a-fA-F_]+$/;
const FLOAT_NAN = /^(?:[-+]?\.(?:inf|Inf|INF)|\.nan|\.NaN|\.NAN)$/;
const FLOAT_EXP = /^[-+]?(?:[0-9][0-9_]*)?(?:\.[0-9_]*)?[eE][-+]?[0-9]+$/;
const FLOAT = /^[-+]?(?:[0-9][0-9_]*)?\.[0-9_]*$/;

/**
 * What a plain scalar's first character lets it be (`FIRST[code]`, for codes below 128; past them, a
 * string): each pattern above fixes the characters it may start with, so the patterns that cannot match
 * are not tried (a cold thread pays for every `test` call, and most scalars of a manifest are words).
 */
const Start = {
  /** Matches none of the patterns: a string. */
  String: 0,
  /** `~`: null. */
  Tilde: 1,
  /** A letter that starts a null, a bool or an exponent-only float (`e3`): those three. */
  Word: 2,
  /** A digit, sign or dot: the numbers. */
  Number: 3,
} as const;
const FIRST = new Uint8Array(128);
for (const c of 'YyNnTtFfOoEe') FIRST[c.charCodeAt(0)] = Start.Word;
for (const c of '0123456789+-.') FIRST[c.charCodeAt(0)] = Start.Number;
FIRST['~'.charCodeAt(0)] = Start.Tilde;

/**
 * The characters a number of the patterns above may end with (digits, `_`, `.`, hex digits, and the `f`/`F`
 * of `.inf` or `n`/`N` of `.nan`): a digit-led scalar ending otherwise (`100m`, `128Mi`) is a string.
 */
const NUMBER_END = new Uint8Array(128);
for (const c of '0123456789_.abcdefABCDEFnN') NUMBER_END[c.charCodeAt(0)] = 1;

/**
 * A plain scalar as the `yaml` package resolves it under the YAML 1.1 schema
 * of MANIFEST_YAML_OPTIONS: value, `format` and `minFractionDigits` included.
 */
export function resolvePlainScalar(source: string): Scalar {
  // The empty scalar is null (NULL matches it); otherwise the first character decides which patterns may match.
  if (source.length === 0) return plain(null, source);
  const first = source.charCodeAt(0);
  const start = first < 128 ? (FIRST[first] as number) : Start.String;
  if (start === Start.String) return plain(source, source);
  if (start === Start.Tilde) return NULL.test(source) ? plain(null, source) : plain(source, source);
  if (start === Start.Word) {
    if (NULL.test(source)) return plain(null, source);
    if (TRUE.test(source)) return plain(true, source);
    if (FALSE.test(source)) return plain(false, source);
    if (FLOAT_EXP.test(source)) return plain(parseFloat(source.replace(/_/g, '')), source, 'EXP');
    return plain(source, source);
  }
  const last = source.charCodeAt(source.length - 1);
  if (last >= 128 || NUMBER_END[last] === 0) return plain(source, source);
  if (INT_BIN.test(source)) return plain(integer(source, 2, 2), source, 'BIN');
  if (INT_OCT.test(source)) return plain(integer(source, 1, 8), source, 'OCT');
  if (INT.test(source)) return plain(integer(source, 0, 10), source);
  if (INT_HEX.test(source)) return plain(integer(source, 2, 16), source, 'HEX');
  if (FLOAT_NAN.test(source)) {
    const value =
      source.slice(-3).toLowerCase() === 'nan'
        ? NaN
        : source.charCodeAt(0) === 45
          ? Number.NEGATIVE_INFINITY
          : Number.POSITIVE_INFINITY;
    return plain(value, source);
  }
  if (FLOAT_EXP.test(source)) return plain(parseFloat(source.replace(/_/g, '')), source, 'EXP');
  if (FLOAT.test(source)) {
    const node = plain(parseFloat(source.replace(/_/g, '')), source);
    const fraction = source.slice(source.indexOf('.') + 1).replace(/_/g, '');
    if (fraction.endsWith('0')) node.minFractionDigits = fraction.length;
    return node;
  }
  return plain(source, source);
}

/** Digits after the sign and `skip` prefix characters, underscores dropped, in `radix`. */
function integer(source: string, skip: number, radix: number): number {
  const sign = source.charCodeAt(0);
  const signed = sign === 45 || sign === 43;
  const n = parseInt(source.slice(skip + (signed ? 1 : 0)).replace(/_/g, ''), radix);
  return sign === 45 ? -1 * n : n;
}

function plain(value: unknown, source: string, format?: string): Scalar {
  const node = newPlainScalar(value, source);
  if (format !== undefined) node.format = format;
  return node;
}
