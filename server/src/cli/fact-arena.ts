/**
 * `validate`'s index entries as bytes: each entry's facts (ranges, labels,
 * ports, references, ...) encoded once into shared byte chunks, strings as ids
 * into one `StringTable`, object keys as one id per shape, numbers as
 * variable-length integers; read back a field at a time, as plain values, when
 * a check asks. As objects (even with packed ranges and shared lists) a 15 MB
 * file's entries held ~0.7 KiB of heap per document (docs/BENCHMARKS.md). The
 * records past a budget go to a temporary file (cli/spilled-bytes.ts).
 */
import type { Range } from 'vscode-languageserver-types';
import { setOwn } from '../../kube-model/patch/json-value.js';
import { doubled } from './doubled.js';
import { PackedRange } from './packed-range.js';
import { SpilledBytes } from './spilled-bytes.js';
import type { StringTable } from './string-table.js';

/**
 * Bytes of records kept in memory before the rest go to a temporary file (a 15 MB file's entries:
 * ~4 MiB; read back through 4 KiB windows as fast, docs/BENCHMARKS.md).
 */
const BUDGET = 2 ** 20;
/** Deeper values are not plain data (or hold a cycle): such an entry stays an object. */
const MAX_DEPTH = 64;

const enum Tag {
  Undefined,
  Null,
  False,
  True,
  Whole,
  Negative,
  Double,
  Text,
  List,
  Record,
  BareRecord,
  Table,
  Group,
  Range,
}

/** What cannot be encoded (a class instance, a cycle): the caller keeps the value as it is. */
class NotPlain extends Error {}

/** One empty list for every empty list read back (readers do not change them). */
const NOTHING: readonly never[] = Object.freeze([]);

const float = new Float64Array(1);
const floatBytes = new Uint8Array(float.buffer);

export class FactArena {
  private readonly records: SpilledBytes;
  /** Reads one record at a time (decoding never reads another). */
  private readonly reader = new Reader(new Uint8Array(0), 0);
  private scratch = new Uint8Array(4096);
  private at = 0;
  private readonly shapes: string[][] = [];
  private readonly shapeIds = new Map<string, number>();

  /**
   * `spillTo`: a folder for a temporary file of the records past `budget`
   * bytes (none: they stay in memory).
   */
  constructor(
    readonly strings: StringTable,
    spillTo?: string,
    budget = BUDGET,
  ) {
    this.records = new SpilledBytes(spillTo, budget, 'the index entries');
  }

  /** Whether records went to a temporary file. */
  get spilled(): boolean {
    return this.records.spilled;
  }

  /**
   * `fields` encoded as one record: returns the chunk and offset to read it
   * from, or `undefined` when a value is not plain data (objects of
   * `Object.prototype` or none, arrays, Maps, Sets, strings, numbers, booleans,
   * `undefined`, `null`).
   */
  put(fields: readonly unknown[]): number | undefined {
    this.at = 0;
    const ends: number[] = [];
    try {
      for (const value of fields) {
        this.value(value, 0);
        ends.push(this.at);
      }
    } catch (error) {
      if (error instanceof NotPlain) return undefined;
      throw error;
    }
    const body = this.scratch.subarray(0, this.at);
    // The header: each field's length, so one field is read without the others.
    const header: number[] = [];
    let start = 0;
    for (const end of ends) {
      header.push(end - start);
      start = end;
    }
    const head = encodeWholes(header);
    // The record's length first, so a record is read back from the file whole.
    const size = encodeWholes([head.length + body.length]);
    const record = new Uint8Array(size.length + head.length + body.length);
    record.set(size);
    record.set(head, size.length);
    record.set(body, size.length + head.length);
    return this.records.append(record);
  }

  /** Field `field` (of `count`) of the record at `position`, as a plain value. */
  read(position: number, field: number, count: number): unknown {
    const r = this.reader;
    const records = this.records;
    const start = records.locate(position, 10);
    r.at = start;
    r.bytes = records.view;
    const size = r.whole();
    const head = r.at - start;
    r.at = records.locate(position, head + size) + head;
    r.bytes = records.view;
    let skip = 0;
    for (let i = 0; i < count; i++) {
      const length = r.whole();
      if (i < field) skip += length;
    }
    r.at += skip;
    return this.decode(r);
  }

  /** Lets the temporary file go (after the checks). */
  close(): void {
    this.records.close();
  }

  private decode(r: Reader): unknown {
    const tag = r.bytes[r.at++] as Tag;
    switch (tag) {
      case Tag.Undefined:
        return undefined;
      case Tag.Null:
        return null;
      case Tag.False:
        return false;
      case Tag.True:
        return true;
      case Tag.Whole:
        return r.whole();
      case Tag.Negative:
        return -r.whole();
      case Tag.Double:
        for (let i = 0; i < 8; i++) floatBytes[i] = r.bytes[r.at++] ?? 0;
        return float[0];
      case Tag.Text:
        return this.strings.text(r.whole());
      case Tag.List: {
        const n = r.whole();
        if (n === 0) return NOTHING;
        const out = new Array<unknown>(n);
        for (let i = 0; i < n; i++) out[i] = this.decode(r);
        return out;
      }
      case Tag.Record:
      case Tag.BareRecord: {
        const keys = this.shapes[r.whole()] ?? [];
        const out = (tag === Tag.Record ? {} : Object.create(null)) as Record<string, unknown>;
        for (const key of keys) setOwn(out, key, this.decode(r));
        return out;
      }
      case Tag.Table: {
        const n = r.whole();
        const out = new Map<unknown, unknown>();
        for (let i = 0; i < n; i++) {
          const key = this.decode(r);
          out.set(key, this.decode(r));
        }
        return out;
      }
      case Tag.Group: {
        const n = r.whole();
        const out = new Set<unknown>();
        for (let i = 0; i < n; i++) out.add(this.decode(r));
        return out;
      }
      case Tag.Range: {
        const line = r.whole();
        const character = r.whole();
        const span = r.whole();
        return PackedRange.from(line, character, line + span, r.whole());
      }
      default:
        throw new Error(`index entry: unknown tag ${String(tag)}`);
    }
  }

  private value(value: unknown, depth: number): void {
    if (depth > MAX_DEPTH) throw new NotPlain();
    switch (typeof value) {
      case 'undefined':
        return this.byte(Tag.Undefined);
      case 'boolean':
        return this.byte(value ? Tag.True : Tag.False);
      case 'string':
        this.byte(Tag.Text);
        return this.whole(this.strings.id(value));
      case 'number':
        return this.number(value);
      case 'object':
        break;
      default:
        throw new NotPlain();
    }
    if (value === null) return this.byte(Tag.Null);
    const proto = Object.getPrototypeOf(value) as unknown;
    if (Array.isArray(value) && proto === Array.prototype) {
      const items = value as unknown[];
      this.byte(Tag.List);
      this.whole(items.length);
      for (let i = 0; i < items.length; i++) this.value(items[i], depth + 1);
    } else if (value instanceof Map && proto === Map.prototype) {
      this.byte(Tag.Table);
      this.whole(value.size);
      for (const [k, v] of value as Map<unknown, unknown>) {
        this.value(k, depth + 1);
        this.value(v, depth + 1);
      }
    } else if (value instanceof Set && proto === Set.prototype) {
      this.byte(Tag.Group);
      this.whole(value.size);
      for (const v of value as Set<unknown>) this.value(v, depth + 1);
    } else if (proto === Object.prototype || proto === null) {
      if (proto === Object.prototype && this.range(value)) return;
      const record = value as Record<string, unknown>;
      const keys = Object.keys(record);
      this.byte(proto === null ? Tag.BareRecord : Tag.Record);
      this.whole(this.shape(keys));
      for (const key of keys) this.value(record[key], depth + 1);
    } else throw new NotPlain();
  }

  /** A plain range of whole numbers (`{ start, end }`, each `{ line, character }`) in four numbers. */
  private range(value: object): boolean {
    const { start, end } = value as Partial<Range>;
    if (!isPosition(start) || !isPosition(end) || end.line < start.line || Object.keys(value).length !== 2)
      return false;
    this.byte(Tag.Range);
    this.whole(start.line);
    this.whole(start.character);
    this.whole(end.line - start.line);
    this.whole(end.character);
    return true;
  }

  private shape(keys: string[]): number {
    const key = JSON.stringify(keys);
    let id = this.shapeIds.get(key);
    if (id === undefined) {
      id = this.shapes.length;
      this.shapes.push(keys.map((k) => this.strings.intern(k)));
      this.shapeIds.set(key, id);
    }
    return id;
  }

  private number(n: number): void {
    if (Number.isSafeInteger(n) && !Object.is(n, -0)) {
      this.byte(n < 0 ? Tag.Negative : Tag.Whole);
      return this.whole(Math.abs(n));
    }
    this.byte(Tag.Double);
    float[0] = n;
    for (let i = 0; i < 8; i++) this.byte(floatBytes[i] ?? 0);
  }

  private byte(b: number): void {
    if (this.at === this.scratch.length) this.scratch = doubled(this.scratch);
    this.scratch[this.at++] = b;
  }

  /** A whole number from 0 to 2^53 - 1, seven bits a byte. */
  private whole(n: number): void {
    while (n >= 0x80) {
      this.byte((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    this.byte(n);
  }
}

class Reader {
  constructor(
    public bytes: Uint8Array,
    public at: number,
  ) {}

  whole(): number {
    let n = 0;
    let scale = 1;
    for (;;) {
      const b = this.bytes[this.at++] ?? 0;
      n += (b & 0x7f) * scale;
      if (b < 0x80) return n;
      scale *= 0x80;
    }
  }
}

function encodeWholes(values: readonly number[]): Uint8Array {
  const out: number[] = [];
  for (let n of values) {
    while (n >= 0x80) {
      out.push((n % 0x80) | 0x80);
      n = Math.floor(n / 0x80);
    }
    out.push(n);
  }
  return Uint8Array.from(out);
}

function isPosition(value: unknown): value is { line: number; character: number } {
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return false;
  const { line, character } = value as { line?: unknown; character?: unknown };
  return (
    Number.isSafeInteger(line) &&
    Number.isSafeInteger(character) &&
    (line as number) >= 0 &&
    (character as number) >= 0 &&
    Object.keys(value).length === 2
  );
}
