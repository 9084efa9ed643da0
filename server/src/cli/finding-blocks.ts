/**
 * `validate`'s findings as rows of numbers, a block of 16,384 at a time: each one's position,
 * severity, code (a string number), message (a text number) and file. A block is sorted when it is
 * full (by file, then report order) so the report merges the blocks' sorted runs file by file;
 * past a budget of blocks in memory, each sorted block goes to a nameless temporary file
 * (cli/spilled-bytes.ts) as 48-byte records and is read back through its windows, in the order the
 * merge reads them. Kept in memory, the findings of a 60 MB file held ~5 MiB of typed arrays
 * (docs/BENCHMARKS.md).
 */
import { SpilledBytes } from './spilled-bytes.js';

/** Numbers kept per finding in a block's `positions`: line, column, end line, end column. */
export const STRIDE = 4;
/** Bytes of a spilled finding: four positions as doubles, then severity, code, message and file as 32-bit numbers. */
const RECORD = 48;

/** Findings' rows: each one's position, severity, code, message and file. */
class Block {
  /** Whole numbers under 2^32 (16 bytes a finding); doubles from the first that is not (a hostile range). */
  positions: Uint32Array | Float64Array;
  severities: Uint8Array;
  codes: Uint32Array;
  messages: Uint32Array;
  fileOf: Uint32Array;

  constructor(
    readonly size: number,
    doubles = false,
  ) {
    this.positions = doubles ? new Float64Array(STRIDE * size) : new Uint32Array(STRIDE * size);
    this.severities = new Uint8Array(size);
    this.codes = new Uint32Array(size);
    this.messages = new Uint32Array(size);
    this.fileOf = new Uint32Array(size);
  }
}

/** A finding's fields, as `FindingBlocks.add` takes them. */
export interface FindingRow {
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  /** 0 error, 1 warning, 2 info. */
  severity: number;
  code: number;
  message: number;
  file: number;
}

/** A sorted block's findings of one file: its file and where they start (they end where the next run starts). */
interface Runs {
  readonly files: Uint32Array;
  /** One more than `files`: the block's length last. */
  readonly starts: Uint32Array;
}

export class FindingBlocks {
  private readonly bits: number;
  private readonly mask: number;
  /** Blocks in memory (`undefined`: spilled). */
  private readonly blocks: (Block | undefined)[] = [];
  /** Where each spilled block's first record is in `spill`. */
  private readonly spilledAt: number[] = [];
  /** Each sorted block's runs of one file, in file order. */
  private readonly runs: Runs[] = [];
  private spill: SpilledBytes | undefined;
  private count = 0;
  /** A spilled finding read back (slot 0), and which it is. */
  private readonly one = new Block(1, true);
  private oneIs = -1;
  private readonly record = new ArrayBuffer(RECORD);
  private readonly recordBytes = new Uint8Array(this.record);
  private readonly recordPositions = new Float64Array(this.record, 0, STRIDE);
  private readonly recordNumbers = new Uint32Array(this.record, 8 * STRIDE, 4);
  /** The place in its block of the finding `find` found last. */
  slot = 0;

  /**
   * `compareCodes`: two code numbers in report order; `spillTo`: a folder for the temporary file
   * (none: every block stays in memory); `kept`: blocks kept in memory before spilling; `bits`:
   * log2 of a block's size (tests make it small).
   */
  constructor(
    private readonly compareCodes: (a: number, b: number) => number,
    private readonly spillTo: string | undefined,
    private readonly kept = 2,
    bits = 14,
  ) {
    this.bits = bits;
    this.mask = (1 << bits) - 1;
  }

  get size(): number {
    return this.count;
  }

  /** Whether some blocks went to a temporary file. */
  get spilled(): boolean {
    return this.spill?.spilled ?? false;
  }

  add(row: FindingRow): void {
    const i = this.count;
    const k = i & this.mask;
    const n = i >> this.bits;
    if (k === 0) {
      if (n > 0) this.seal(n - 1);
      this.blocks.push(new Block(this.mask + 1));
    }
    this.count = i + 1;
    const b = this.blocks[n] as Block;
    const { line, column, endLine, endColumn } = row;
    if (
      b.positions instanceof Uint32Array &&
      (line >>> 0 !== line || column >>> 0 !== column || endLine >>> 0 !== endLine || endColumn >>> 0 !== endColumn)
    )
      b.positions = Float64Array.from(b.positions);
    const p = k * STRIDE;
    b.positions[p] = line;
    b.positions[p + 1] = column;
    b.positions[p + 2] = endLine;
    b.positions[p + 3] = endColumn;
    b.severities[k] = row.severity;
    b.codes[k] = row.code;
    b.messages[k] = row.message;
    b.fileOf[k] = row.file;
  }

  /** The block holding finding `i` (a spilled one read back alone), its place in it as `slot`; past the last: zeros. */
  find(i: number): Block {
    const n = i >> this.bits;
    const b = this.blocks[n];
    if (b !== undefined && i < this.count) {
      this.slot = i & this.mask;
      return b;
    }
    this.slot = 0;
    if (b !== undefined || n >= this.blocks.length) return EMPTY;
    if (this.oneIs !== i) this.read(i);
    return this.one;
  }

  /**
   * Each file's findings (`files` of them), in report order: by line, then column, then code;
   * those that tie in the order they came. The findings are numbered anew (their places in their
   * sorted blocks): call once, after the last `add`.
   */
  ordered(files: number): Uint32Array[] {
    const last = this.blocks.length - 1;
    if (last >= 0 && this.runs.length === last) this.sort(last);
    const counts = new Uint32Array(files);
    for (const r of this.runs)
      for (let j = 0; j < r.files.length; j++) {
        const f = r.files[j] ?? 0;
        counts[f] = (counts[f] ?? 0) + (r.starts[j + 1] ?? 0) - (r.starts[j] ?? 0);
      }
    const lists = Array.from(counts, (c) => new Uint32Array(c));
    // Each block's next run, and the merge's heads: block, next, end, and the head's key.
    const cursor = new Uint32Array(this.runs.length);
    const heads = this.runs.length;
    const from = new Uint32Array(heads);
    const at = new Uint32Array(heads);
    const end = new Uint32Array(heads);
    const line = new Float64Array(heads);
    const column = new Float64Array(heads);
    const code = new Uint32Array(heads);
    for (let f = 0; f < files; f++) {
      const list = lists[f];
      if (!list || list.length === 0) continue;
      let h = 0;
      this.runs.forEach((r, n) => {
        const j = cursor[n] ?? 0;
        if (r.files[j] !== f || j >= r.files.length) return;
        from[h] = n;
        at[h] = (n << this.bits) + (r.starts[j] ?? 0);
        end[h++] = (n << this.bits) + (r.starts[j + 1] ?? 0);
        cursor[n] = j + 1;
      });
      const key = (x: number): void => {
        const b = this.find(at[x] ?? 0);
        const p = this.slot * STRIDE;
        line[x] = b.positions[p] ?? 0;
        column[x] = b.positions[p + 1] ?? 0;
        code[x] = b.codes[this.slot] ?? 0;
      };
      for (let x = 0; x < h; x++) key(x);
      let live = h;
      for (let o = 0; o < list.length; o++) {
        // The smallest head; ties go to the earlier block (the one that came first).
        let best = 0;
        for (let x = 1; x < live; x++) {
          const c =
            (line[x] ?? 0) - (line[best] ?? 0) ||
            (column[x] ?? 0) - (column[best] ?? 0) ||
            this.compareCodes(code[x] ?? 0, code[best] ?? 0) ||
            (from[x] ?? 0) - (from[best] ?? 0);
          if (c < 0) best = x;
        }
        const i = at[best] ?? 0;
        list[o] = i;
        if (i + 1 < (end[best] ?? 0)) {
          at[best] = i + 1;
          key(best);
        } else {
          // The run is done: the last head takes its place.
          live--;
          from[best] = from[live] ?? 0;
          at[best] = at[live] ?? 0;
          end[best] = end[live] ?? 0;
          line[best] = line[live] ?? 0;
          column[best] = column[live] ?? 0;
          code[best] = code[live] ?? 0;
        }
      }
    }
    return lists;
  }

  /** Lets the temporary file go. */
  close(): void {
    this.spill?.close();
  }

  /** Sorts full block `n`, then spills the oldest block past the budget. */
  private seal(n: number): void {
    this.sort(n);
    const victim = n - Math.max(0, this.kept - 1);
    if (victim >= 0 && this.spillTo !== undefined) this.write(victim);
  }

  /** Puts block `n`'s findings in file order, then report order, and notes its runs of one file. */
  private sort(n: number): void {
    const b = this.blocks[n] as Block;
    const size = Math.min(b.size, this.count - (n << this.bits));
    const pos = b.positions;
    const order = new Uint32Array(size);
    for (let k = 0; k < size; k++) order[k] = k;
    order.sort(
      (x, y) =>
        (b.fileOf[x] ?? 0) - (b.fileOf[y] ?? 0) ||
        (pos[x * STRIDE] ?? 0) - (pos[y * STRIDE] ?? 0) ||
        (pos[x * STRIDE + 1] ?? 0) - (pos[y * STRIDE + 1] ?? 0) ||
        this.compareCodes(b.codes[x] ?? 0, b.codes[y] ?? 0) ||
        x - y,
    );
    const sorted = new Block(size, pos instanceof Float64Array);
    const files: number[] = [];
    const starts: number[] = [];
    order.forEach((k, to) => {
      for (let s = 0; s < STRIDE; s++) sorted.positions[to * STRIDE + s] = pos[k * STRIDE + s] ?? 0;
      sorted.severities[to] = b.severities[k] ?? 0;
      sorted.codes[to] = b.codes[k] ?? 0;
      sorted.messages[to] = b.messages[k] ?? 0;
      const f = b.fileOf[k] ?? 0;
      sorted.fileOf[to] = f;
      if (to === 0 || files[files.length - 1] !== f) {
        files.push(f);
        starts.push(to);
      }
    });
    starts.push(size);
    this.blocks[n] = sorted;
    this.runs[n] = { files: Uint32Array.from(files), starts: Uint32Array.from(starts) };
  }

  /** Block `n` to the temporary file, a record a finding. */
  private write(n: number): void {
    const b = this.blocks[n];
    if (b === undefined) return;
    this.spill ??= new SpilledBytes(this.spillTo, 0, 'the findings');
    for (let k = 0; k < b.size; k++) {
      for (let s = 0; s < STRIDE; s++) this.recordPositions[s] = b.positions[k * STRIDE + s] ?? 0;
      this.recordNumbers[0] = b.severities[k] ?? 0;
      this.recordNumbers[1] = b.codes[k] ?? 0;
      this.recordNumbers[2] = b.messages[k] ?? 0;
      this.recordNumbers[3] = b.fileOf[k] ?? 0;
      const at = this.spill.append(this.recordBytes);
      if (k === 0) this.spilledAt[n] = at;
    }
    this.blocks[n] = undefined;
  }

  /** Reads spilled finding `i` into `one`. */
  private read(i: number): void {
    const spill = this.spill as SpilledBytes;
    const from = spill.locate((this.spilledAt[i >> this.bits] ?? 0) + (i & this.mask) * RECORD, RECORD);
    const view = spill.view;
    for (let j = 0; j < RECORD; j++) this.recordBytes[j] = view[from + j] ?? 0;
    const one = this.one;
    for (let s = 0; s < STRIDE; s++) one.positions[s] = this.recordPositions[s] ?? 0;
    one.severities[0] = this.recordNumbers[0] ?? 0;
    one.codes[0] = this.recordNumbers[1] ?? 0;
    one.messages[0] = this.recordNumbers[2] ?? 0;
    one.fileOf[0] = this.recordNumbers[3] ?? 0;
    this.oneIs = i;
  }
}

/** What a finding number past the last reads (nothing: zeros). */
const EMPTY = new Block(1);
