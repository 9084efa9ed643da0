/**
 * Entries of `validate`'s index (numbers) grouped by a key, as two typed arrays: every group's
 * entries side by side in the order they were added, and where each group starts. Instead of one
 * list per key of objects, 4 bytes an entry; built once, read many times.
 */
import { doubled } from './doubled.js';

/** A group's entries: positions `start` to `end` of `ordinals` (or the numbers `start` to `end` themselves). */
export class OrdinalSpan {
  constructor(
    readonly ordinals: Uint32Array | undefined,
    readonly start: number,
    readonly end: number,
  ) {}

  get length(): number {
    return this.end - this.start;
  }

  /** The `i`-th entry's number (`i` within the span). */
  ordinal(i: number): number {
    return this.ordinals === undefined ? this.start + i : (this.ordinals[this.start + i] ?? 0);
  }
}

export const NO_ORDINALS = new OrdinalSpan(undefined, 0, 0);

/** Collects (key, entry) pairs, then groups them: each group's entries keep the order they were added. */
export class OrdinalGroupsBuilder {
  private readonly ids = new Map<string, number>();
  private groupOf = new Uint32Array(1024);
  private ordinals = new Uint32Array(1024);
  private count = 0;

  add(key: string, ordinal: number): void {
    let id = this.ids.get(key);
    if (id === undefined) this.ids.set(key, (id = this.ids.size));
    if (this.count === this.ordinals.length) {
      this.groupOf = doubled(this.groupOf);
      this.ordinals = doubled(this.ordinals);
    }
    this.groupOf[this.count] = id;
    this.ordinals[this.count++] = ordinal;
  }

  build(): OrdinalGroups {
    const groups = this.ids.size;
    const starts = new Uint32Array(groups + 1);
    for (let i = 0; i < this.count; i++) {
      const g = (this.groupOf[i] ?? 0) + 1;
      starts[g] = (starts[g] ?? 0) + 1;
    }
    for (let g = 0; g < groups; g++) starts[g + 1] = (starts[g + 1] ?? 0) + (starts[g] ?? 0);
    const filled = starts.slice(0, groups);
    const sorted = new Uint32Array(this.count);
    for (let i = 0; i < this.count; i++) {
      const g = this.groupOf[i] ?? 0;
      const at = filled[g] ?? 0;
      sorted[at] = this.ordinals[i] ?? 0;
      filled[g] = at + 1;
    }
    return new OrdinalGroups(this.ids, starts, sorted);
  }
}

/** Groups by key, in the order their keys were first added. */
export class OrdinalGroups {
  constructor(
    private readonly ids: ReadonlyMap<string, number>,
    private readonly starts: Uint32Array,
    private readonly ordinals: Uint32Array,
  ) {}

  /** The entries under `key` (none: an empty span). */
  get(key: string): OrdinalSpan {
    const id = this.ids.get(key);
    return id === undefined ? NO_ORDINALS : this.group(id);
  }

  get size(): number {
    return this.ids.size;
  }

  /** Group number `id` (groups are numbered in the order their keys came). */
  group(id: number): OrdinalSpan {
    return new OrdinalSpan(this.ordinals, this.starts[id] ?? 0, this.starts[id + 1] ?? 0);
  }
}
