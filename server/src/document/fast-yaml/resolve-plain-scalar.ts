import { Scalar } from 'yaml';
import { newScalar } from './nodes.js';

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

/** Certainly strings: a letter first that starts no null, bool or exponent-only float (`e3`). */
const SURELY_STRING = /^[A-Za-z]/;
const WORDS = /^[YyNnTtFfOoEe]/;

/**
 * A plain scalar as the `yaml` package resolves it under the YAML 1.1 schema
 * of MANIFEST_YAML_OPTIONS: value, `format` and `minFractionDigits` included.
 */
export function resolvePlainScalar(source: string): Scalar {
  if (SURELY_STRING.test(source) && !WORDS.test(source)) return plain(source, source);
  if (NULL.test(source)) return plain(null, source);
  if (TRUE.test(source)) return plain(true, source);
  if (FALSE.test(source)) return plain(false, source);
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
  const node = newScalar(value);
  node.source = source;
  node.type = Scalar.PLAIN;
  if (format !== undefined) node.format = format;
  return node;
}
