/**
 * `validate`'s finding messages until the report, out of memory: each text
 * written once (UTF-16, so lone surrogates come back as they were) to a
 * temporary file that has no name from the start (made in a private folder,
 * then unlinked while open: nothing is left behind on any exit, SIGINT and
 * SIGKILL included), and read back by number in 64 KB blocks. The same text
 * given again soon after gets its number back (most findings repeat a few
 * messages). Where no temporary file can be made, texts stay in memory.
 * Kept in memory, the messages of a file whose findings name its resources
 * (one per document) grew with the file (docs/BENCHMARKS.md).
 */
import { closeSync } from 'node:fs';
import { doubled } from './doubled.js';
import { openNameless, readAllAt, writeAllAt } from './nameless-file.js';
import { flatCopy } from './string-table.js';
import { TemporaryFileError } from './temporary-file-error.js';
import type { StringTable } from './string-table.js';

const REMEDY = 'set TMPDIR to a folder with free space';

/** Bytes written at once, and read at once. */
const BLOCK = 64 * 1024;
/** Distinct recent texts remembered to give the same number (forgotten all at once past this). */
const RECENT = 4096;

export class SpilledTexts {
  private fd: number | undefined;
  private starts = new Float64Array(1024);
  private lengths = new Uint32Array(1024);
  private count = 0;
  /** Bytes written to the file, and the bytes not yet written (from `written` on). */
  private written = 0;
  private pending = Buffer.alloc(BLOCK);
  private pendingLength = 0;
  private readonly recent = new Map<string, number>();
  private block = Buffer.alloc(0);
  private blockStart = -1;
  /** Texts kept in memory instead (no temporary file). */
  private readonly kept: string[] = [];

  constructor(
    private readonly strings: StringTable,
    private readonly directory: string | undefined,
  ) {
    this.fd = directory === undefined ? undefined : openNameless(directory, 'messages');
  }

  /** Whether texts go to a temporary file. */
  get spilled(): boolean {
    return this.fd !== undefined;
  }

  /** `text`'s number. */
  put(text: string): number {
    if (this.fd === undefined) {
      this.kept.push(this.strings.intern(text));
      return this.kept.length - 1;
    }
    const known = this.recent.get(text);
    if (known !== undefined) return known;
    if (this.recent.size >= RECENT) this.recent.clear();
    const bytes = text.length * 2;
    if (this.count === this.starts.length) this.grow();
    const id = this.count++;
    this.starts[id] = this.written + this.pendingLength;
    this.lengths[id] = bytes;
    if (this.pendingLength + bytes > this.pending.length) this.flush();
    if (bytes > this.pending.length) this.writeOut(Buffer.from(text, 'utf16le'));
    else this.pendingLength += this.pending.write(text, this.pendingLength, 'utf16le');
    // A copy of its own: a message built from names would keep the text they were cut from.
    this.recent.set(flatCopy(text), id);
    return id;
  }

  /** Text number `id`. */
  get(id: number): string {
    if (this.fd === undefined) return this.kept[id] ?? '';
    const start = this.starts[id] ?? 0;
    const length = this.lengths[id] ?? 0;
    if (start >= this.written) {
      const at = start - this.written;
      return this.pending.toString('utf16le', at, at + length);
    }
    if (length > BLOCK) {
      const out = Buffer.alloc(length);
      this.readAt(out, start);
      return out.toString('utf16le');
    }
    if (this.blockStart < 0 || start < this.blockStart || start + length > this.blockStart + this.block.length) {
      if (this.block.length < BLOCK) this.block = Buffer.alloc(BLOCK);
      this.readAt(this.block, start); // writes out what is pending first (which forgets the block read before)
      this.blockStart = start;
    }
    const at = start - this.blockStart;
    return this.block.toString('utf16le', at, at + length);
  }

  /** Closes the file (its bytes go with it). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  private flush(): void {
    if (this.pendingLength === 0) return;
    this.writeOut(this.pending.subarray(0, this.pendingLength));
    this.pendingLength = 0;
  }

  private writeOut(bytes: Buffer): void {
    try {
      writeAllAt(this.fd ?? -1, bytes, this.written);
    } catch (error) {
      // A full or failing disk: said in words by the command (the texts written so far are gone with the file).
      throw new TemporaryFileError('the finding messages', this.directory ?? 'the temporary folder', error, REMEDY);
    }
    this.written += bytes.length;
    // The block read last may end past what the file held then: read it again next time.
    this.blockStart = -1;
  }

  /** Fills `into` from `start` (what the file holds past its end is left as it was). */
  private readAt(into: Buffer, start: number): void {
    this.flush();
    readAllAt(this.fd ?? -1, into, into.length, start);
  }

  private grow(): void {
    this.starts = doubled(this.starts);
    this.lengths = doubled(this.lengths);
  }
}
