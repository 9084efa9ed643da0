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
  private readonly strings = new Map<string, string>();

  /** `text`'s one flat copy in this table (the same string for equal texts). */
  intern(text: string): string {
    let kept = this.strings.get(text);
    if (kept === undefined) {
      kept = flatCopy(text);
      this.strings.set(kept, kept);
    }
    return kept;
  }

  get size(): number {
    return this.strings.size;
  }

  /**
   * A copy of plain data (objects, arrays, Maps, Sets, primitives) whose strings
   * are this table's: what an index entry keeps no longer holds the text it was
   * read from. Objects shared inside `value` stay shared in the copy; an object's
   * prototype is kept.
   */
  detach<T>(value: T): T {
    return this.copy(value, new Map()) as T;
  }

  private copy(value: unknown, seen: Map<object, unknown>): unknown {
    if (typeof value === 'string') return this.intern(value);
    if (typeof value !== 'object' || value === null) return value;
    const known = seen.get(value);
    if (known !== undefined) return known;
    if (Array.isArray(value)) {
      const out: unknown[] = [];
      seen.set(value, out);
      for (const item of value as unknown[]) out.push(this.copy(item, seen));
      return out;
    }
    if (value instanceof Map) {
      const out = new Map<unknown, unknown>();
      seen.set(value, out);
      for (const [k, v] of value as Map<unknown, unknown>) out.set(this.copy(k, seen), this.copy(v, seen));
      return out;
    }
    if (value instanceof Set) {
      const out = new Set<unknown>();
      seen.set(value, out);
      for (const v of value as Set<unknown>) out.add(this.copy(v, seen));
      return out;
    }
    const out = Object.create(Object.getPrototypeOf(value) as object | null) as Record<string, unknown>;
    seen.set(value, out);
    // Property names are already flat (the engine keeps one copy of each); their values are not.
    for (const key of Object.keys(value)) {
      const v = this.copy((value as Record<string, unknown>)[key], seen);
      if (key === '__proto__')
        Object.defineProperty(out, key, { value: v, enumerable: true, writable: true, configurable: true });
      else out[key] = v;
    }
    return out;
  }
}

/**
 * A string with its own characters: made a property name, the engine copies a
 * slice or a concatenation into one flat string (measured: 20 x 1 MB texts kept
 * by their slices fall to nothing; `JSON.parse(JSON.stringify(s))` does the same
 * at more cost). Lone surrogates and any other code units are kept as they are.
 */
function flatCopy(text: string): string {
  const holder: Record<string, number> = Object.create(null) as Record<string, number>;
  holder[text] = 0;
  for (const key in holder) return key;
  return text;
}
