/**
 * `validate`'s workspace index entries without their ranges. An entry of a
 * streamed document keeps, in place of each range, a `DeferredRange`: a
 * number that says which range of which document it stands for, and the
 * line it starts on (the one position a check reads before reporting: "already
 * defined in this file, line 4"). The few a finding across files needs are
 * found again by reading the file once more and re-reading only the documents
 * they are in (`resolve`). Kept as objects, the ranges were ~120 bytes each,
 * four per document: most of the index of a large file (docs/BENCHMARKS.md).
 *
 * A file that changed or vanished since its check cannot give the exact range
 * back: such a finding points at the start of the line the range started on
 * (which is known), and `resolve` says how many were so placed.
 */
import type { Position, Range } from 'vscode-languageserver-types';
import type { StreamedDocument } from '../read-document-stream.js';
import type { IndexedResource } from '../workspace/indexed-resource.js';

/** A range of a document's index entries, found again only when a finding needs it. */
export class DeferredRange implements Range {
  constructor(
    /** Which range of the whole run (ids are given in order, document after document). */
    readonly id: number,
    /** Its first line: the one position read before a finding is reported. */
    readonly line: number,
  ) {}

  /** The start line; its character is not known until resolved (reading it is a mistake, and throws). */
  get start(): Position {
    return unresolvedPosition(this.line);
  }

  get end(): Position {
    throw new Error('kube-workbench: a deferred range was read before it was resolved');
  }
}

function unresolvedPosition(line: number): Position {
  return {
    line,
    get character(): number {
      throw new Error('kube-workbench: a deferred range was read before it was resolved');
    },
  };
}

function isPosition(value: unknown): value is Position {
  return (
    typeof value === 'object' &&
    value !== null &&
    typeof (value as Position).line === 'number' &&
    typeof (value as Position).character === 'number'
  );
}

/** Whether `value` is a range as the entries hold them (plain `{ start, end }` positions). */
function isRange(value: object): value is Range {
  return (
    !(value instanceof DeferredRange) &&
    'start' in value &&
    'end' in value &&
    isPosition(value.start) &&
    isPosition(value.end)
  );
}

/**
 * Every range in `entries`, in a fixed order: entry by entry, each walked
 * depth first in key order (arrays, maps and sets in their order), a range
 * met twice in one entry listed once. The same text gives the same list.
 */
export function rangesOf(entries: readonly IndexedResource[]): Range[] {
  const out: Range[] = [];
  for (const entry of entries) walk(entry, new Set(), out);
  return out;
}

function walk(value: unknown, seen: Set<object>, out: Range[]): void {
  if (typeof value !== 'object' || value === null || seen.has(value)) return;
  seen.add(value);
  if (isRange(value)) {
    out.push(value);
    return;
  }
  if (Array.isArray(value)) for (const item of value as unknown[]) walk(item, seen, out);
  else if (value instanceof Map)
    for (const [k, v] of value as Map<unknown, unknown>) {
      walk(k, seen, out);
      walk(v, seen, out);
    }
  else if (value instanceof Set) for (const v of value as Set<unknown>) walk(v, seen, out);
  else for (const key of Object.keys(value)) walk((value as Record<string, unknown>)[key], seen, out);
}

/** A document's ranges when its entries were kept: which file, its first line, where its ids start. */
const GROW = 1024;

export class DeferredRanges {
  private nextId = 0;
  private docs = 0;
  private firstId = new Int32Array(GROW);
  private docFile = new Int32Array(GROW);
  private docLine = new Int32Array(GROW);

  /**
   * Stand-ins for the ranges of one document's entries (document at zero-based
   * line `startLine` of file `file`): a map from each range object to its
   * stand-in, for copying the entries without their ranges.
   */
  defer(file: number, startLine: number, entries: readonly IndexedResource[]): Map<object, DeferredRange> {
    const ranges = rangesOf(entries);
    const out = new Map<object, DeferredRange>();
    if (ranges.length === 0) return out;
    if (this.docs === this.firstId.length) this.grow();
    this.firstId[this.docs] = this.nextId;
    this.docFile[this.docs] = file;
    this.docLine[this.docs] = startLine;
    this.docs++;
    for (const r of ranges) out.set(r, new DeferredRange(this.nextId++, r.start.line));
    return out;
  }

  /**
   * The ranges `needed` stand for, read again: each file holding one streamed
   * once more (`documentsOf`), and only the documents holding one re-read, by
   * `entriesOf`, which must make the entries as when they were kept. A range
   * whose file is gone or whose document no longer gives the same ranges (the
   * file changed) is placed at the start of its line and counted in `inexact`.
   */
  resolve(
    needed: readonly DeferredRange[],
    documentsOf: (file: number) => Iterable<StreamedDocument>,
    entriesOf: (file: number, doc: StreamedDocument) => readonly IndexedResource[],
  ): { ranges: Map<DeferredRange, Range>; inexact: number } {
    const ranges = new Map<DeferredRange, Range>();
    // File -> document (by first line) -> the stand-ins wanted from it.
    const wanted = new Map<number, Map<number, { first: number; count: number; items: DeferredRange[] }>>();
    for (const d of needed) {
      const doc = this.docOf(d.id);
      const file = this.docFile[doc] ?? -1;
      const line = this.docLine[doc] ?? -1;
      let inFile = wanted.get(file);
      if (!inFile) wanted.set(file, (inFile = new Map()));
      let w = inFile.get(line);
      if (!w) {
        const first = this.firstId[doc] ?? 0;
        const count = (doc + 1 < this.docs ? (this.firstId[doc + 1] ?? 0) : this.nextId) - first;
        inFile.set(line, (w = { first, count, items: [] }));
      }
      w.items.push(d);
    }
    for (const [file, inFile] of wanted) {
      let left = inFile.size;
      try {
        for (const doc of documentsOf(file)) {
          const w = inFile.get(doc.startLine);
          if (!w) continue;
          const found = rangesOf(entriesOf(file, doc));
          // The same document gives the same ranges; another text (the file changed) need not.
          if (found.length === w.count)
            for (const d of w.items) {
              const r = found[d.id - w.first];
              if (r && r.start.line === d.line) ranges.set(d, r);
            }
          if (--left === 0) break;
        }
      } catch {
        // Gone or unreadable now: every range not found is placed at its line.
      }
    }
    let inexact = 0;
    for (const d of needed)
      if (!ranges.has(d)) {
        inexact++;
        ranges.set(d, { start: { line: d.line, character: 0 }, end: { line: d.line, character: 0 } });
      }
    return { ranges, inexact };
  }

  /** The document (by order kept) a range id belongs to: the last whose first id is at most `id`. */
  private docOf(id: number): number {
    let lo = 0;
    let hi = this.docs;
    while (lo < hi) {
      const mid = (lo + hi) >> 1;
      if ((this.firstId[mid] ?? 0) <= id) lo = mid + 1;
      else hi = mid;
    }
    return lo - 1;
  }

  private grow(): void {
    const bigger = (a: Int32Array<ArrayBuffer>): Int32Array<ArrayBuffer> => {
      const b = new Int32Array(a.length * 2);
      b.set(a);
      return b;
    };
    this.firstId = bigger(this.firstId);
    this.docFile = bigger(this.docFile);
    this.docLine = bigger(this.docLine);
  }
}
