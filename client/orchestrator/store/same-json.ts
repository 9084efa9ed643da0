/**
 * Structural equality of JSON values for the store's hot paths, with the meaning of `jsonEqual`
 * (key order ignored; a key holding `undefined` counts as absent; own keys only) but allocating
 * nothing: the store compares every update with the version before (~64,000 times in the
 * 10,000-pod churn), and `jsonEqual`'s key lists and callbacks were ~2 % of the churn's bytes.
 * Recursion is bounded by the nesting depth the store checked first (MAX_NESTING_DEPTH).
 */
const own = (obj: object, key: string): boolean => Object.prototype.hasOwnProperty.call(obj, key);

export function sameJson(a: unknown, b: unknown): boolean {
  if (a === b) return true;
  if (typeof a !== 'object' || a === null || typeof b !== 'object' || b === null) return false;
  if (Array.isArray(a)) {
    if (!Array.isArray(b) || a.length !== b.length) return false;
    for (let i = 0; i < a.length; i++) if (!sameJson(a[i], b[i])) return false;
    return true;
  }
  if (Array.isArray(b)) return false;
  const x = a as Record<string, unknown>;
  const y = b as Record<string, unknown>;
  let defined = 0;
  for (const key in x) {
    if (!own(x, key)) continue;
    const value = x[key];
    if (value === undefined) continue;
    defined++;
    if (!sameJson(value, own(y, key) ? y[key] : undefined)) return false;
  }
  for (const key in y) if (own(y, key) && y[key] !== undefined) defined--;
  return defined === 0;
}
