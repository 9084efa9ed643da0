/**
 * A filtered list as the log holds it, by one walk of the bucket: the objects that match, each as the
 * log holds it (a write still in flight shows the version before it), then only those sorted by key.
 * The bucket's sorted keys (sorted-keys.ts) are made again after every create or delete, 10,000 pods
 * sorted for each LIST while pods are being created; a label selector keeps a hundredth of them.
 */
import type { KubeObject } from './object';

type Stored = Readonly<KubeObject>;

/**
 * `bucket`'s objects in `namespace` (all when undefined) that `keep` accepts, ordered by key, where
 * `before` gives the durable version (null: absent) of each key with a write pending.
 */
export function durableMatches(
  bucket: ReadonlyMap<string, Stored> | undefined,
  before: ReadonlyMap<string, Stored | null>,
  namespace: string | undefined,
  keep: (obj: Stored) => boolean,
): Stored[] {
  const prefix = namespace === undefined ? '' : `${namespace}/`;
  const found: [string, Stored][] = [];
  if (bucket)
    for (const [key, obj] of bucket) {
      if (prefix !== '' && !key.startsWith(prefix)) continue;
      const shown = before.size === 0 ? obj : before.has(key) ? before.get(key)! : obj;
      if (shown !== null && keep(shown)) found.push([key, shown]);
    }
  // Keys deleted in memory whose deletion is not yet durable: the log still holds them.
  for (const [key, obj] of before)
    if (obj !== null && !bucket?.has(key) && key.startsWith(prefix) && keep(obj)) found.push([key, obj]);
  found.sort((a, b) => (a[0] < b[0] ? -1 : a[0] > b[0] ? 1 : 0));
  return found.map((e) => e[1]);
}
