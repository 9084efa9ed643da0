import { setOwn } from '../../kube-model/patch/json-value.js';

/**
 * Strings `validate` keeps until its report (messages, names, labels) as one
 * flat copy each. A string cut from a document's text (a name, a label value)
 * is a slice that keeps the whole text it was cut from alive, and a message
 * built by concatenation is a tree of its pieces (names cut from the text among
 * them): kept as they come, the findings and index entries of a 15 MB file kept
 * every block of its text and ~370,000 string pieces alive (heap snapshot in
 * docs/BENCHMARKS.md). Each distinct string is kept once.
 */
export class StringTable {
  private readonly ids = new Map<string, number>();
  private readonly texts: string[] = [];

  /** `text`'s one flat copy in this table (the same string for equal texts). */
  intern(text: string): string {
    return this.texts[this.id(text)] ?? text;
  }

  /** `text`'s number in this table (the same number for equal texts; `text(id)` gives it back). */
  id(text: string): number {
    let id = this.ids.get(text);
    if (id === undefined) {
      id = this.texts.length;
      const kept = flatCopy(text);
      this.texts.push(kept);
      this.ids.set(kept, id);
    }
    return id;
  }

  /** The string numbered `id` (`''` for a number this table did not give). */
  text(id: number): string {
    return this.texts[id] ?? '';
  }

  get size(): number {
    return this.texts.length;
  }

  /**
   * `value` (plain data: objects, arrays, Maps, Sets, primitives) with this
   * table's strings: what an index entry keeps no longer holds the text it was
   * read from. Only what holds a string that changes is copied (a range, all
   * numbers, is kept as it is); objects shared inside `value` stay shared; a
   * copied object keeps its prototype and its keys' order. An object
   * `replace` gives something for is replaced by it (not copied).
   */
  detach<T>(value: T, replace?: (value: object) => unknown): T {
    return this.copy(value, new Map(), replace) as T;
  }

  private copy(value: unknown, seen: Map<object, unknown>, replace?: (value: object) => unknown): unknown {
    if (typeof value === 'string') return this.intern(value);
    if (typeof value !== 'object' || value === null) return value;
    if (seen.has(value)) return seen.get(value);
    const instead = replace?.(value);
    if (instead !== undefined) {
      seen.set(value, instead);
      return instead;
    }
    // Until a part changes, the value is its own copy (so a cycle meets itself).
    seen.set(value, value);
    let out: unknown = value;
    if (Array.isArray(value)) {
      const items = value as unknown[];
      items.forEach((item, i) => {
        const copied = this.copy(item, seen, replace);
        if (!replaced(copied, item)) return;
        if (out === value) out = [...items];
        (out as unknown[])[i] = copied;
      });
    } else if (value instanceof Map) {
      const pairs: [unknown, unknown][] = [];
      let changed = false;
      for (const [k, v] of value as Map<unknown, unknown>) {
        const pair: [unknown, unknown] = [this.copy(k, seen, replace), this.copy(v, seen, replace)];
        changed ||= replaced(pair[0], k) || replaced(pair[1], v);
        pairs.push(pair);
      }
      if (changed) out = new Map(pairs);
    } else if (value instanceof Set) {
      const items: unknown[] = [];
      let changed = false;
      for (const v of value as Set<unknown>) {
        const copied = this.copy(v, seen, replace);
        changed ||= replaced(copied, v);
        items.push(copied);
      }
      if (changed) out = new Set(items);
    } else {
      const record = value as Record<string, unknown>;
      for (const key of Object.keys(record)) {
        const v = record[key];
        const copied = this.copy(v, seen, replace);
        if (!replaced(copied, v)) continue;
        // The same keys in the same order (a spread copy of an object literal keeps its shape and size).
        if (out === value) out = cloneObject(record);
        setOwn(out as Record<string, unknown>, key, copied);
      }
    }
    seen.set(value, out);
    return out;
  }
}

/** Whether `copy` stands for something else than `original` (strings compare equal whatever holds them). */
function replaced(copy: unknown, original: unknown): boolean {
  return typeof original === 'string' || copy !== original;
}

/** A shallow copy of an object with its prototype and own enumerable keys in order. */
function cloneObject(record: Record<string, unknown>): Record<string, unknown> {
  const proto = Object.getPrototypeOf(record) as object | null;
  if (proto === Object.prototype) return { ...record };
  const out = Object.create(proto) as Record<string, unknown>;
  for (const key of Object.keys(record)) setOwn(out, key, record[key]);
  return out;
}

/**
 * A string with its own characters: made a property name, the engine copies a
 * slice or a concatenation into one flat string (measured: 20 x 1 MB texts kept
 * by their slices fall to nothing; `JSON.parse(JSON.stringify(s))` does the same
 * at more cost). Lone surrogates and any other code units are kept as they are.
 */
export function flatCopy(text: string): string {
  const holder: Record<string, number> = Object.create(null) as Record<string, number>;
  holder[text] = 0;
  for (const key in holder) return key;
  return text;
}
