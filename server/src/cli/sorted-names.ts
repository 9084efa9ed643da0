/**
 * The names of `validate`'s index (cli/flat-index.ts) as two sorted lists of entry numbers, 4 bytes
 * an entry each, found by binary search: no key string or map entry per distinct name (a file whose
 * every document has a name of its own held ~100 bytes a document in those).
 * - by kind, namespace, name, then index order: the entries of one name, as `WorkspaceIndex.named`;
 * - by kind, name, then the index order of each (kind, namespace, name)'s first entry, then index
 *   order: `namedElsewhere`'s, in the order the editor's index lists them (its name table's keys in
 *   turn, each in index order).
 */
import { OrdinalSpan } from './ordinal-groups.js';

/** An entry's string numbers, by entry number (read from the index's rows: no copy of its own). */
export interface NameColumns {
  readonly kind: (o: number) => number;
  /** The namespace's number, `undefined` written as ''. */
  readonly namespace: (o: number) => number;
  /** The name's number + 1 (0: no name). */
  readonly name: (o: number) => number;
}

export class SortedNames {
  private readonly byName: Uint32Array;
  private readonly byKindName: Uint32Array;

  /**
   * `order`: every entry, in index order. Sorted by counting, one key at a time from the last
   * (each pass stable): typed arrays only. Sorting with a comparator copied each list into two
   * arrays on the heap (16 bytes an entry), the peak of a 60 MB file (docs/BENCHMARKS.md).
   */
  constructor(
    private readonly columns: NameColumns,
    order: Uint32Array,
    entries: number,
  ) {
    const { kind, namespace, name } = columns;
    const rank = new Uint32Array(entries);
    order.forEach((o, i) => (rank[o] = i));
    const named = order.filter((o) => name(o) !== 0);
    const byName = new Uint32Array(named.length);
    const byKindName = new Uint32Array(named.length);
    sortedBy(kind, sortedBy(namespace, sortedBy(name, named, byName), byKindName), byName);
    this.byName = byName;
    // Each entry's (kind, namespace, name) first in index order: its rank.
    const first = new Uint32Array(entries);
    let lead = 0;
    byName.forEach((o, i) => {
      const prev = byName[i - 1];
      if (i === 0 || prev === undefined || this.compare(prev, kind(o), namespace(o), name(o)) !== 0)
        lead = rank[o] ?? 0;
      first[o] = lead;
    });
    // From index order: by first, then name, then kind (`named` is no longer needed in between).
    sortedBy(
      kind,
      sortedBy(
        name,
        sortedBy((o) => first[o] ?? 0, named, byKindName),
        named,
      ),
      byKindName,
    );
    this.byKindName = byKindName;
  }

  /** Entries of a kind, namespace and name (numbers as in the columns), in index order. */
  named(kind: number, namespace: number, name: number): OrdinalSpan {
    const lo = this.bound(this.byName, (o) => this.compare(o, kind, namespace, name + 1) < 0);
    const hi = this.bound(this.byName, (o) => this.compare(o, kind, namespace, name + 1) <= 0);
    return new OrdinalSpan(this.byName, lo, hi);
  }

  /** Entries of a kind and name in any namespace. */
  kindAndName(kind: number, name: number): OrdinalSpan {
    const c = this.columns;
    const cmp = (o: number): number => c.kind(o) - kind || c.name(o) - (name + 1);
    const lo = this.bound(this.byKindName, (o) => cmp(o) < 0);
    const hi = this.bound(this.byKindName, (o) => cmp(o) <= 0);
    return new OrdinalSpan(this.byKindName, lo, hi);
  }

  /** Entry `o`'s key against (kind, namespace, name + 1). */
  private compare(o: number, kind: number, namespace: number, name: number): number {
    const c = this.columns;
    return c.kind(o) - kind || c.namespace(o) - namespace || c.name(o) - name;
  }

  /** The first position in `list` where `before` no longer holds. */
  private bound(list: Uint32Array, before: (o: number) => boolean): number {
    let lo = 0;
    let hi = list.length;
    while (lo < hi) {
      const mid = (lo + hi) >>> 1;
      if (before(list[mid] ?? 0)) lo = mid + 1;
      else hi = mid;
    }
    return lo;
  }
}

/**
 * `list`'s entries ordered by `key` (a whole number per entry, small: one count per value), those of one key in `list`'s order,
 * written into `out` (as long as `list`, not `list` itself); returns `out`.
 */
function sortedBy(key: (o: number) => number, list: Uint32Array, out: Uint32Array): Uint32Array {
  let top = 0;
  for (const o of list) top = Math.max(top, key(o));
  const starts = new Uint32Array(top + 2);
  for (const o of list) {
    const k = key(o) + 1;
    starts[k] = (starts[k] ?? 0) + 1;
  }
  for (let k = 1; k <= top + 1; k++) starts[k] = (starts[k] ?? 0) + (starts[k - 1] ?? 0);
  for (const o of list) {
    const k = key(o);
    const at = starts[k] ?? 0;
    out[at] = o;
    starts[k] = at + 1;
  }
  return out;
}
