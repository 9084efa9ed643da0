/**
 * Each bucket's keys (`namespace/name`) in order, made when a list needs them and
 * kept until a key is added or removed: a list is a walk, and one namespace's
 * objects are one run found by binary search.
 */
export class SortedKeys {
  private readonly byResource = new Map<string, string[]>();

  /** Calls `visit` with `resource`'s keys in order, or only those in `namespace`. */
  forEach(
    resource: string,
    bucket: ReadonlyMap<string, unknown>,
    namespace: string | undefined,
    visit: (key: string) => void,
  ): void {
    let keys = this.byResource.get(resource);
    if (!keys) this.byResource.set(resource, (keys = [...bucket.keys()].sort()));
    if (namespace === undefined) {
      for (const key of keys) visit(key);
      return;
    }
    const prefix = `${namespace}/`;
    for (let i = lowerBound(keys, prefix); i < keys.length && keys[i]!.startsWith(prefix); i++) visit(keys[i]!);
  }

  /** A key of `resource` was added or removed. */
  invalidate(resource: string): void {
    this.byResource.delete(resource);
  }
}

/** The first index whose key is >= `wanted`. */
function lowerBound(keys: readonly string[], wanted: string): number {
  let lo = 0;
  let hi = keys.length;
  while (lo < hi) {
    const mid = (lo + hi) >>> 1;
    if (keys[mid]! < wanted) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
