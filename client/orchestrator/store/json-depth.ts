/**
 * The nesting depth of a JSON value (0 for a scalar, `{"a":{}}` is 2), counting no further than
 * `limit` + 1, with the meaning of `nestingDepth` but allocating only its two stacks (no pair per
 * value, no list of values per object): the store measures every write it takes. No recursion, so
 * hostile input deeper than the stack is measured too.
 */
export function jsonDepth(value: unknown, limit: number): number {
  if (typeof value !== 'object' || value === null) return 0;
  let deepest = 0;
  const values: object[] = [value];
  const depths: number[] = [1];
  while (values.length > 0) {
    const v = values.pop()!;
    const here = depths.pop()!;
    if (here > deepest) {
      deepest = here;
      if (deepest > limit) return deepest;
    }
    if (Array.isArray(v)) {
      for (let i = 0; i < v.length; i++) {
        const child: unknown = v[i];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(here + 1);
        }
      }
    } else {
      const o = v as Record<string, unknown>;
      for (const key in o) {
        if (!Object.prototype.hasOwnProperty.call(o, key)) continue;
        const child = o[key];
        if (typeof child === 'object' && child !== null) {
          values.push(child);
          depths.push(here + 1);
        }
      }
    }
  }
  return deepest;
}
