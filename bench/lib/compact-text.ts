// The text being scanned by bench/lib/compact-scan.ts and the character tests its
// parts share (issue #18 row 3, session 16); each mirrors the fast path's rule of the
// same name in server/src/document/fast-yaml/.
import { bail } from './compact-tree.ts';

/** The document being scanned (set by `compactScan`). */
export let text = '';

export function setText(source: string): void {
  text = source;
}

export function sameText(a: number, b: number, length: number): boolean {
  for (let i = 0; i < length; i++) if (text.charCodeAt(a + i) !== text.charCodeAt(b + i)) return false;
  return true;
}

const NOT_STRINGS = ['y', 'Y', 'yes', 'Yes', 'YES', 'n', 'N', 'no', 'No', 'NO', 'true', 'True', 'TRUE'];
const NOT_STRINGS_2 = ['false', 'False', 'FALSE', 'on', 'On', 'ON', 'off', 'Off', 'OFF', 'null', 'Null', 'NULL'];

/** A plain key that resolves to its own text: a letter first, no null/bool word, no exponent-only float. */
export function isStringWord(start: number, end: number): boolean {
  const c = text.charCodeAt(start);
  if (!((c >= 65 && c <= 90) || (c >= 97 && c <= 122))) return false;
  if ((c === 101 || c === 69) && end - start > 1) {
    const d = text.charCodeAt(start + 1);
    if ((d >= 48 && d <= 57) || d === 43 || d === 45) return false;
  }
  const length = end - start;
  if (length > 5) return true;
  for (const word of NOT_STRINGS) if (word.length === length && text.startsWith(word, start)) return false;
  for (const word of NOT_STRINGS_2) if (word.length === length && text.startsWith(word, start)) return false;
  return true;
}

/** After a quote at `q`, the position after its closing quote on the line. */
export function closeQuote(q: number, lineEnd: number): number {
  const quote = text.charCodeAt(q);
  for (let i = q + 1; i < lineEnd; i++) {
    const ch = text.charCodeAt(i);
    if (quote === 34 && ch === 92) i = escape(i + 1, lineEnd);
    else if (ch === quote) {
      if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
      else return i + 1;
    }
  }
  bail();
}

/** A double-quoted scalar's escape after the backslash at `at - 1`: its last character, or a bail when not one YAML knows. */
function escape(at: number, lineEnd: number): number {
  if (at >= lineEnd) bail();
  const c = text.charCodeAt(at);
  const digits = c === 120 ? 2 : c === 117 ? 4 : c === 85 ? 8 : 0;
  if (digits > 0) {
    for (let i = at + 1; i <= at + digits; i++) {
      const h = text.charCodeAt(i);
      if (!((h >= 48 && h <= 57) || (h >= 65 && h <= 70) || (h >= 97 && h <= 102)) || i >= lineEnd) bail();
    }
    return at + digits;
  }
  // 0 a b t n v f r e space " / \\ N _ L P
  if ('0abtnvfre "/\\N_LP'.indexOf(text.charAt(at)) < 0) bail();
  return at;
}

export function plainStart(pos: number, lineEnd: number): void {
  const c = text.charCodeAt(pos);
  if (c === 44 || c === 93 || c === 125 || c === 35 || c === 38 || c === 42 || c === 33) bail();
  if (c === 124 || c === 62 || c === 39 || c === 34 || c === 37 || c === 64 || c === 96) bail();
  if (c === 45 || c === 63 || c === 58) {
    const d = text.charCodeAt(pos + 1);
    if (pos + 1 >= lineEnd || d === 32) bail();
  }
}

/** The `:` after a single-line key at `pos`, or -1. */
export function keyColon(pos: number, lineEnd: number): number {
  const c = text.charCodeAt(pos);
  let i: number;
  if (c === 91 || c === 123 || c === 124 || c === 62 || c === 63) return -1;
  if (c === 34 || c === 39) {
    const quote = c;
    for (i = pos + 1; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (quote === 34 && ch === 92) i++;
      else if (ch === quote) {
        if (quote === 39 && text.charCodeAt(i + 1) === 39) i++;
        else break;
      }
    }
    if (i >= lineEnd) return -1;
    i++;
    if (text.charCodeAt(i) !== 58) return -1;
  } else {
    plainStart(pos, lineEnd);
    for (i = pos; i < lineEnd; i++) {
      const ch = text.charCodeAt(i);
      if (ch === 58 && (i + 1 === lineEnd || text.charCodeAt(i + 1) === 32)) break;
      if (ch === 35 && text.charCodeAt(i - 1) === 32) return -1;
    }
    if (i >= lineEnd) return -1;
  }
  if (i + 1 < lineEnd && text.charCodeAt(i + 1) !== 32) return -1;
  return i;
}

export function lineEndAt(pos: number): number {
  const e = text.indexOf('\n', pos);
  return e < 0 ? text.length : e;
}

export function isDash(pos: number, lineEnd: number): boolean {
  return text.charCodeAt(pos) === 45 && (pos + 1 === lineEnd || text.charCodeAt(pos + 1) === 32);
}

export function isMarker(pos: number, lineEnd: number): boolean {
  const c = text.charCodeAt(pos);
  if (c !== 45 && c !== 46) return false;
  if (text.charCodeAt(pos + 1) !== c || text.charCodeAt(pos + 2) !== c) return false;
  return pos + 3 === lineEnd || text.charCodeAt(pos + 3) === 32;
}

/** Only spaces, then nothing or a comment (after a space, unless `any`), up to the line end. */
export function restIsComment(pos: number, lineEnd: number, any: boolean): boolean {
  if (pos === lineEnd) return true;
  const c = text.charCodeAt(pos);
  if (c !== 32 && !(any && c === 35)) return false;
  while (pos < lineEnd && text.charCodeAt(pos) === 32) pos++;
  return pos === lineEnd || text.charCodeAt(pos) === 35;
}
