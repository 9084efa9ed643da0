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

/** An entry's string numbers, by entry number. */
export interface NameColumns {
  readonly kind: Uint32Array;
  /** The namespace's number, `undefined` written as ''. */
  readonly namespace: Uint32Array;
  /** The name's number + 1 (0: no name). */
  readonly name: Uint32Array;
}

export class SortedNames {
  private readonly byName: Uint32Array;
  private readonly byKindName: Uint32Array;

  /** `order`: every entry, in index order. */
  constructor(
    private readonly columns: NameColumns,
    order: Uint32Array,
  ) {
    const { kind, namespace, name } = columns;
    const rank = new Uint32Array(kind.length);
    order.forEach((o, i) => (rank[o] = i));
    const named = order.filter((o) => name[o] !== 0);
    this.byName = named.sort(
      (a, b) =>
        (kind[a] ?? 0) - (kind[b] ?? 0) ||
        (namespace[a] ?? 0) - (namespace[b] ?? 0) ||
        (name[a] ?? 0) - (name[b] ?? 0) ||
        (rank[a] ?? 0) - (rank[b] ?? 0),
    );
    // Each entry's (kind, namespace, name) first in index order: its rank.
    const first = new Uint32Array(kind.length);
    let lead = 0;
    this.byName.forEach((o, i) => {
      const prev = this.byName[i - 1];
      if (i === 0 || prev === undefined || this.compare(prev, kind[o] ?? 0, namespace[o] ?? 0, name[o] ?? 0) !== 0)
        lead = rank[o] ?? 0;
      first[o] = lead;
    });
    this.byKindName = this.byName
      .slice()
      .sort(
        (a, b) =>
          (kind[a] ?? 0) - (kind[b] ?? 0) ||
          (name[a] ?? 0) - (name[b] ?? 0) ||
          (first[a] ?? 0) - (first[b] ?? 0) ||
          (rank[a] ?? 0) - (rank[b] ?? 0),
      );
  }

  /** Entries of a kind, namespace and name (numbers as in the columns), in index order. */
  named(kind: number, namespace: number, name: number): OrdinalSpan {
    const lo = this.bound(this.byName, (o) => this.compare(o, kind, namespace, name + 1) < 0);
    const hi = this.bound(this.byName, (o) => this.compare(o, kind, namespace, name + 1) <= 0);
    return new OrdinalSpan(this.byName, lo, hi);
  }

  /** Entries of a kind and name in any namespace. */
  kindAndName(kind: number, name: number): OrdinalSpan {
    const k = this.columns.kind;
    const n = this.columns.name;
    const cmp = (o: number): number => (k[o] ?? 0) - kind || (n[o] ?? 0) - (name + 1);
    const lo = this.bound(this.byKindName, (o) => cmp(o) < 0);
    const hi = this.bound(this.byKindName, (o) => cmp(o) <= 0);
    return new OrdinalSpan(this.byKindName, lo, hi);
  }

  /** Entry `o`'s key against (kind, namespace, name + 1). */
  private compare(o: number, kind: number, namespace: number, name: number): number {
    const c = this.columns;
    return (c.kind[o] ?? 0) - kind || (c.namespace[o] ?? 0) - namespace || (c.name[o] ?? 0) - name;
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
