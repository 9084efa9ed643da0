/**
 * What one version of a stored object changed from the version before, for the write-ahead log: a status
 * write rewrites a ~3 KB pod for ~1 KB of status, a binding for one field; the log line carries only that.
 *
 * A delta is a list of operations on the previous version's JSON: `[path, value]` sets the value at `path`
 * (a list of keys; a key that is there keeps its place, a new one goes last), `[path]` removes the key.
 * It is made by comparing the two versions by identity (a write shares the stored object's frozen parts it
 * did not change), descending only into plain objects present in both; arrays and everything else are set
 * whole. Applying it to the previous version's JSON gives the new version's JSON, keys in the same order:
 * where the order could differ (keys moved, or a new key V8 would place before the old ones) the object is
 * set whole instead. A value that JSON leaves out (`undefined`) counts as absent on both sides.
 */
import { isObject } from './object';

export type DeltaOp = [path: string[], value: unknown] | [path: string[]];

/** The operations that turn `old` into `next`, or undefined when `next` has to be written whole. */
export function objectDelta(
  old: Readonly<Record<string, unknown>>,
  next: Record<string, unknown>,
): DeltaOp[] | undefined {
  const ops: DeltaOp[] = [];
  keysAbove.length = 0; // nothing left over from a walk that threw
  return diffInto(old, next, [], ops) ? ops : undefined;
}

/** A plain JSON object (not an array, nor a value with a `toJSON` or a class of its own). */
function isPlain(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const proto = Object.getPrototypeOf(value) as unknown;
  return proto === Object.prototype || proto === null;
}

const own = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

/**
 * `next`'s keys of every level being compared, one level's after the other: a level pushes its keys
 * at the end and cuts them off when done (its callees' come and go above them). One array for all the
 * updates, where a list per object compared was made and dropped at once.
 */
const keysAbove: string[] = [];

/**
 * Adds to `ops` what turns `old` into `next` (both at `path`, the keys from the root, which it gives back as
 * it found them); false, adding nothing, when the key order forbids. An operation's path is a copy of `path`
 * made for it: levels that turn out equal, or are set whole, allocate no path.
 */
function diffInto(
  old: Readonly<Record<string, unknown>>,
  next: Record<string, unknown>,
  path: string[],
  ops: DeltaOp[],
): boolean {
  // `old`'s keys walked with for-in (own keys only: the order of Object.keys, without an array a level);
  // `next`'s are needed as a list, to step through them beside `old`'s.
  const base = keysAbove.length;
  for (const key in next) if (own(next, key)) keysAbove.push(key);
  const end = keysAbove.length;
  // The kept keys must come first in `next`, in `old`'s order; the new ones after them.
  let i = base;
  for (const key in old) {
    if (!own(old, key) || old[key] === undefined || !own(next, key) || next[key] === undefined) continue;
    while (i < end && next[keysAbove[i]!] === undefined) i++;
    if (keysAbove[i] !== key || i === end) {
      keysAbove.length = base;
      return false;
    }
    i++;
  }
  for (const key in old) {
    if (!own(old, key)) continue;
    const before = old[key];
    if (before === undefined) continue;
    const after = own(next, key) ? next[key] : undefined;
    if (after === undefined) ops.push([pathTo(path, key)]);
    else if (after !== before) {
      let done = false;
      if (isPlain(before) && isPlain(after)) {
        path.push(key);
        done = diffInto(before, after, path, ops);
        path.pop();
      }
      if (!done) ops.push([pathTo(path, key), after]);
    }
  }
  for (; i < end; i++) {
    const key = keysAbove[i]!;
    const after = next[key];
    if (after !== undefined) ops.push([pathTo(path, key), after]);
  }
  keysAbove.length = base;
  return true;
}

/** A new array: `path`'s keys, then `key`. */
function pathTo(path: readonly string[], key: string): string[] {
  const out = new Array<string>(path.length + 1);
  for (let n = 0; n < path.length; n++) out[n] = path[n]!;
  out[path.length] = key;
  return out;
}

/**
 * Applies `ops` (as read from the log: checked here) to `base`, a parsed JSON object it changes in place.
 * Answers false, leaving `base` untouched, when they do not fit it (a malformed operation, a path that
 * does not exist).
 */
export function applyDelta(base: Record<string, unknown>, ops: unknown): boolean {
  if (!Array.isArray(ops)) return false;
  const targets: Record<string, unknown>[] = [];
  for (const op of ops as unknown[]) {
    if (!Array.isArray(op) || (op.length !== 1 && op.length !== 2)) return false;
    const path: unknown = op[0];
    if (!Array.isArray(path) || path.length === 0 || !path.every((k): k is string => typeof k === 'string'))
      return false;
    const target = parentOf(base, path);
    if (target === undefined) return false;
    if (op.length === 1 && !own(target, path[path.length - 1]!)) return false;
    targets.push(target);
  }
  (ops as DeltaOp[]).forEach((op, n) => {
    const target = targets[n]!;
    const key = op[0][op[0].length - 1]!;
    if (op.length === 1) delete target[key];
    // Defined, not assigned: a `__proto__` key stays an own key, as JSON.parse makes it.
    else Object.defineProperty(target, key, { value: op[1], writable: true, enumerable: true, configurable: true });
  });
  return true;
}

/** The object holding `path`'s last key: every key before it names an object present in `base`. */
function parentOf(base: Record<string, unknown>, path: readonly string[]): Record<string, unknown> | undefined {
  let at = base;
  for (let i = 0; i < path.length - 1; i++) {
    const key = path[i]!;
    const value = own(at, key) ? at[key] : undefined;
    if (!isObject(value) || Array.isArray(value)) return undefined;
    at = value;
  }
  return at;
}
