/**
 * A JSON value written as UTF-8 straight into a buffer, the bytes `JSON.stringify` would give,
 * without making the text first. For the log's lines: `JSON.stringify` builds a long text as a
 * string of parts, and writing it into a buffer flattens it into one more copy, so each line was
 * allocated about twice over and dropped at once (a quarter of the bytes the churn allocates).
 *
 * Only plain JSON data takes this path: strings, finite or not numbers, booleans, null, arrays and
 * objects whose values are these (an `undefined`, function or symbol member is left out, or null in an
 * array, as `JSON.stringify` does). A
 * string with characters outside printable ASCII, a number other than a small integer, are written
 * as `JSON.stringify` makes their text; anything else (a `toJSON`, a function in an array, a bigint)
 * answers UNUSUAL, and so does a value nested past what the stack holds: the caller uses
 * `JSON.stringify` then, which gives its own answer or error.
 */

/** Not enough room before `end`. */
export const NO_ROOM = -1;
/** A value this writer leaves to `JSON.stringify`. */
export const UNUSUAL = -2;

const QUOTE = 0x22;
const BACKSLASH = 0x5c;

/**
 * Writes `value`'s JSON into `buf` from `start`, never at or past `end`. Returns the offset after
 * it, or NO_ROOM / UNUSUAL (bytes from `start` on may then have been written: they mean nothing).
 */
export function writeJson(value: unknown, buf: Buffer, start: number, end: number): number {
  try {
    return writeValue(value, buf, start, end);
  } catch (error) {
    if (error instanceof RangeError) return UNUSUAL; // nested deeper than this writer's stack holds
    throw error;
  }
}

function writeValue(value: unknown, buf: Buffer, at: number, end: number): number {
  switch (typeof value) {
    case 'string':
      return writeString(value, buf, at, end);
    case 'number':
      return writeNumber(value, buf, at, end);
    case 'boolean':
      return writeAscii(value ? 'true' : 'false', buf, at, end);
    case 'object':
      if (value === null) return writeAscii('null', buf, at, end);
      if (Array.isArray(value)) return writeArray(value, buf, at, end);
      return writeObject(value as Record<string, unknown>, buf, at, end);
    default:
      return UNUSUAL;
  }
}

function writeObject(obj: Record<string, unknown>, buf: Buffer, at: number, end: number): number {
  if (typeof obj.toJSON === 'function') return UNUSUAL;
  if (at >= end) return NO_ROOM;
  buf[at++] = 0x7b; // {
  let first = true;
  for (const key in obj) {
    // A JSON object's own keys, in JSON.stringify's order (its prototype, Object's or none, has no enumerable key).
    if (!Object.prototype.hasOwnProperty.call(obj, key)) continue;
    const member = obj[key];
    if (member === undefined) continue;
    const t = typeof member;
    if (t === 'function' || t === 'symbol') continue; // JSON.stringify leaves these members out too
    if (!first) {
      if (at >= end) return NO_ROOM;
      buf[at++] = 0x2c; // ,
    }
    first = false;
    at = writeString(key, buf, at, end);
    if (at < 0) return at;
    if (at >= end) return NO_ROOM;
    buf[at++] = 0x3a; // :
    at = writeValue(member, buf, at, end);
    if (at < 0) return at;
  }
  if (at >= end) return NO_ROOM;
  buf[at++] = 0x7d; // }
  return at;
}

function writeArray(list: readonly unknown[], buf: Buffer, at: number, end: number): number {
  if (at >= end) return NO_ROOM;
  buf[at++] = 0x5b; // [
  for (let i = 0; i < list.length; i++) {
    if (i > 0) {
      if (at >= end) return NO_ROOM;
      buf[at++] = 0x2c;
    }
    const item = list[i];
    const t = typeof item;
    // JSON.stringify writes null for these in an array.
    at =
      t === 'undefined' || t === 'function' || t === 'symbol'
        ? writeAscii('null', buf, at, end)
        : writeValue(item, buf, at, end);
    if (at < 0) return at;
  }
  if (at >= end) return NO_ROOM;
  buf[at++] = 0x5d; // ]
  return at;
}

/** A string as JSON: printable ASCII byte by byte (quotes and backslashes escaped), else JSON.stringify's text. */
function writeString(s: string, buf: Buffer, at: number, end: number): number {
  // Each character takes at most two bytes here (an escaped quote or backslash), plus the quotes.
  if (at + 2 * s.length + 2 > end) return writeText(JSON.stringify(s), buf, at, end);
  const from = at;
  buf[at++] = QUOTE;
  for (let i = 0; i < s.length; i++) {
    const c = s.charCodeAt(i);
    if (c >= 0x20 && c < 0x7f) {
      if (c === QUOTE || c === BACKSLASH) buf[at++] = BACKSLASH;
      buf[at++] = c;
    } else return writeText(JSON.stringify(s), buf, from, end);
  }
  buf[at++] = QUOTE;
  return at;
}

function writeNumber(n: number, buf: Buffer, at: number, end: number): number {
  // Integers up to 2^53 print the same as JSON.stringify prints them; the rest go through it (NaN is null).
  return writeAscii(Number.isSafeInteger(n) ? String(n) : JSON.stringify(n), buf, at, end);
}

function writeAscii(text: string, buf: Buffer, at: number, end: number): number {
  if (at + text.length > end) return NO_ROOM;
  for (let i = 0; i < text.length; i++) buf[at++] = text.charCodeAt(i);
  return at;
}

/** JSON text (escaped by JSON.stringify, so well-formed) as UTF-8: at most 3 bytes per UTF-16 unit. */
function writeText(text: string, buf: Buffer, at: number, end: number): number {
  if (at + 3 * text.length > end) return NO_ROOM;
  return at + buf.write(text, at, 'utf8');
}

/** Room for the text of a key (grown to the largest key made, up to KEY_ROOM_LIMIT). */
let keyRoom = Buffer.allocUnsafeSlow(16 * 1024);
const KEY_ROOM_LIMIT = 1024 * 1024;

/**
 * A string that is equal for two values exactly when their JSON is, for a map's key: the JSON's
 * UTF-8 bytes read as Latin-1 (one flat string, one character per byte), where `JSON.stringify`
 * makes a string of parts that the map's hash then flattens into a second copy. A value left to
 * `JSON.stringify` (see `writeJson`) gets the same reading of its text.
 */
export function jsonKey(value: unknown): string {
  let end = writeJson(value, keyRoom, 0, keyRoom.length);
  while (end === NO_ROOM && keyRoom.length < KEY_ROOM_LIMIT) {
    keyRoom = Buffer.allocUnsafeSlow(keyRoom.length * 4);
    end = writeJson(value, keyRoom, 0, keyRoom.length);
  }
  if (end >= 0) return keyRoom.toString('latin1', 0, end);
  return Buffer.from(String(JSON.stringify(value))).toString('latin1');
}
