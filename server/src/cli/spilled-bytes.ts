/**
 * An append-only run of byte records (`validate`'s index entries): kept in
 * memory in 256 KiB chunks up to a budget, then the chunks past it go to a
 * nameless temporary file (cli/nameless-file.ts) as each fills, read back
 * through 64 cached 4 KiB windows. A record never spans two chunks (one
 * larger than a chunk gets a chunk of its own). Where no temporary file can be
 * made, every chunk stays in memory. Kept in memory, a 60 MB file's entries
 * held ~16 MiB of chunks (docs/BENCHMARKS.md).
 */
import { closeSync } from 'node:fs';
import { openNameless, readAllAt, writeAllAt } from './nameless-file.js';
import { TemporaryFileError } from './temporary-file-error.js';

const REMEDY = 'set TMPDIR to a folder with free space';
/** Bytes of one chunk. */
const CHUNK = 256 * 1024;
/** Bytes of one window read back from the file (a page: the checks also read entries here and there), and how many are kept. */
const WINDOW = 4096;
const WINDOWS = 64;

interface Window {
  readonly bytes: Buffer;
  /** Bytes of the file it holds (less at the file's end). */
  readonly length: number;
}

export class SpilledBytes {
  /** Chunks kept in memory (all of them without a file), with where each starts. */
  private readonly kept: Uint8Array[] = [];
  private readonly keptStarts: number[] = [];
  /** Where the file's bytes start among the positions (the kept chunks come first). */
  private fileStart = -1;
  private fd: number | undefined;
  private written = 0;
  /** The chunk being filled, and the position of its first byte. */
  private chunk = Buffer.alloc(0);
  private chunkStart = 0;
  private used = 0;
  private readonly windows = new Map<number, Window>();
  private scratch = Buffer.alloc(0);

  /**
   * `directory`: where the temporary file goes once `budget` bytes are kept
   * (none: everything stays in memory); `what` names the data in errors.
   */
  constructor(
    private readonly directory: string | undefined,
    private readonly budget: number,
    private readonly what: string,
  ) {}

  /** Whether some chunks went to a temporary file. */
  get spilled(): boolean {
    return this.fd !== undefined;
  }

  /** Appends `bytes` as one record; returns its position. */
  append(bytes: Uint8Array): number {
    if (this.used + bytes.length > this.chunk.length) this.nextChunk(bytes.length);
    const position = this.chunkStart + this.used;
    this.chunk.set(bytes, this.used);
    this.used += bytes.length;
    return position;
  }

  /** The bytes `locate` found last: a chunk, or a window or copy of the file. */
  view: Uint8Array = this.chunk;

  /**
   * Finds the `length` bytes from `position` (fewer past the end of what was
   * appended): they are `view`'s from the offset returned, until the next call.
   */
  locate(position: number, length: number): number {
    if (position >= this.chunkStart) {
      this.view = this.chunk;
      return position - this.chunkStart;
    }
    if (this.fileStart < 0 || position < this.fileStart) {
      // Kept chunks: the last starting at or before `position`.
      let lo = 0;
      let hi = this.keptStarts.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if ((this.keptStarts[mid] ?? 0) <= position) lo = mid + 1;
        else hi = mid;
      }
      this.view = this.kept[lo - 1] ?? this.chunk;
      return position - (this.keptStarts[lo - 1] ?? 0);
    }
    const offset = position - this.fileStart;
    const end = Math.min(offset + length, this.written);
    const w = Math.floor(offset / WINDOW);
    if (end > (w + 1) * WINDOW) {
      // Across two windows: read on its own.
      if (this.scratch.length < end - offset) this.scratch = Buffer.alloc(Math.max(WINDOW, end - offset));
      this.readAt(this.scratch, offset, end - offset);
      this.view = this.scratch;
      return 0;
    }
    let window = this.windows.get(w);
    if (window === undefined || window.length < end - w * WINDOW) {
      if (window !== undefined) this.windows.delete(w);
      else if (this.windows.size >= WINDOWS) {
        const oldest = this.windows.keys().next().value;
        if (oldest !== undefined) {
          // Its buffer is read into again.
          window = this.windows.get(oldest);
          this.windows.delete(oldest);
        }
      }
      const bytes = window?.bytes ?? Buffer.alloc(WINDOW);
      const length = Math.min(WINDOW, this.written - w * WINDOW);
      this.readAt(bytes, w * WINDOW, length);
      window = { bytes, length };
    } else this.windows.delete(w);
    // The most recently used last.
    this.windows.set(w, window);
    this.view = window.bytes;
    return offset - w * WINDOW;
  }

  /** Closes the file (its bytes go with it). */
  close(): void {
    if (this.fd !== undefined) closeSync(this.fd);
    this.fd = undefined;
  }

  /** Keeps or writes out the chunk being filled and starts one that holds at least `size` bytes. */
  private nextChunk(size: number): void {
    if (this.used > 0) {
      if (this.fd === undefined && this.directory !== undefined && this.chunkStart + this.used > this.budget) {
        this.fd = openNameless(this.directory, 'entries');
        if (this.fd !== undefined) this.fileStart = this.chunkStart;
      }
      if (this.fd !== undefined) this.writeOut(this.chunk.subarray(0, this.used));
      else {
        this.kept.push(this.chunk.subarray(0, this.used));
        this.keptStarts.push(this.chunkStart);
      }
    }
    this.chunkStart += this.used;
    this.used = 0;
    // The chunk just written out is reused (a kept one is not).
    if (this.fd === undefined || this.chunk.length < Math.max(CHUNK, size))
      this.chunk = Buffer.alloc(Math.max(CHUNK, size));
  }

  private writeOut(bytes: Uint8Array): void {
    try {
      writeAllAt(this.fd ?? -1, bytes, this.written);
    } catch (error) {
      // A full or failing disk: said in words by the command.
      throw new TemporaryFileError(this.what, this.directory ?? 'the temporary folder', error, REMEDY);
    }
    this.written += bytes.length;
  }

  /** Fills `into` with `length` bytes of the file from `offset`. */
  private readAt(into: Buffer, offset: number, length: number): void {
    try {
      readAllAt(this.fd ?? -1, into, length, offset);
    } catch (error) {
      throw new TemporaryFileError(this.what, this.directory ?? 'the temporary folder', error, REMEDY);
    }
  }
}
