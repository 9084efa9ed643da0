import { closeSync, constants, fstatSync, openSync, readSync } from 'node:fs';
import { ByteDecoder } from './document/byte-decoder.js';
import type { EncodingProblem } from './document/byte-decoder.js';
import { splitDocuments } from './document/split-documents.js';

/** One `---` document of a file read as a stream, and where it sits. */
export interface StreamedDocument {
  readonly text: string;
  /** Zero-based line of its first character in the file. */
  readonly startLine: number;
  /** Bytes that are not UTF-8 in it, at offsets into `text`. */
  readonly problems: readonly EncodingProblem[];
}

/** Bytes read at a time. */
export const READ_BLOCK = 1024 * 1024;

/**
 * Reads a file document by document, never holding more than the document
 * being cut plus one block: `validate` checks files of any size with memory
 * bounded by their largest document. The documents are those
 * `splitDocuments` makes of the whole text (the last one of each block waits
 * for the next, and only whole lines are split), with the same lines.
 * Opens without blocking and reads only a regular file (checked on the open
 * file). Throws what the file system says when it cannot be read.
 */
export function* readDocumentStream(path: string, blockSize = READ_BLOCK): Generator<StreamedDocument> {
  const fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) throw new NotRegularFileError(stat.isFIFO() ? 'a FIFO (named pipe)' : 'not a regular file');
    const decoder = new ByteDecoder();
    // A small file gets a block its size (plus one byte to see the end), not a megabyte to zero.
    const block = Buffer.allocUnsafe(Math.max(1, Math.min(blockSize, stat.size + 1)));
    const cutter = new DocumentCutter();
    let total = 0;
    for (;;) {
      const n = readSync(fd, block, 0, block.length, null);
      total += n;
      // A short read that brings the file to its size is its end: no second read to see nothing left.
      const final = n === 0 || (n < block.length && total === stat.size);
      // The decoder copies what it keeps (a cut sequence), so the block can be read into again.
      const { text, problems } = decoder.decode(block.subarray(0, n), final);
      yield* cutter.push(text, problems, final);
      if (final) return;
    }
  } finally {
    closeSync(fd);
  }
}

export class NotRegularFileError extends Error {}

/** The problems of a document without any (almost all of them): one shared empty list, not two new ones each. */
const NO_PROBLEMS: readonly EncodingProblem[] = Object.freeze([]);

/** Cuts a stream of text into the documents `splitDocuments` finds, keeping the last (maybe unfinished) one. */
export class DocumentCutter {
  private pending = '';
  /** Text after the last line break of the pushed text: split only at whole lines. */
  private partialLine = '';
  private pendingProblems: EncodingProblem[] = [];
  /** Lines before `pending` in the file. */
  private line = 0;

  *push(text: string, problems: readonly EncodingProblem[], final: boolean): Generator<StreamedDocument> {
    const base = this.pending.length + this.partialLine.length;
    for (const p of problems) this.pendingProblems.push({ offset: base + p.offset, message: p.message });
    let incoming = this.partialLine + text;
    // A lone CR ends a line as LF does (as parseManifestFile reads it); one at the end waits in case LF follows.
    if (incoming.includes('\r')) incoming = incoming.replace(final ? /\r(?!\n)/g : /\r(?!\n|$)/g, '\n');
    if (final) this.partialLine = '';
    else {
      const lastBreak = incoming.lastIndexOf('\n');
      this.partialLine = incoming.slice(lastBreak + 1);
      incoming = incoming.slice(0, lastBreak + 1);
    }
    this.pending += incoming;
    const chunks = splitDocuments(this.pending);
    const keep = final ? chunks.length : chunks.length - 1;
    for (let i = 0; i < keep; i++) {
      const chunk = chunks[i];
      if (!chunk) continue;
      const end = chunk.start + chunk.text.length;
      yield {
        text: chunk.text,
        startLine: this.line + chunk.startLine,
        problems:
          this.pendingProblems.length === 0
            ? NO_PROBLEMS
            : this.pendingProblems
                .filter((p) => p.offset >= chunk.start && p.offset < end)
                .map((p) => ({ offset: p.offset - chunk.start, message: p.message })),
      };
    }
    const last = chunks[chunks.length - 1];
    if (final || !last) {
      this.pending = '';
      this.pendingProblems = [];
      return;
    }
    if (last.start > 0) {
      this.line += last.startLine;
      this.pending = this.pending.slice(last.start);
      this.pendingProblems = this.pendingProblems
        .filter((p) => p.offset >= last.start)
        .map((p) => ({ offset: p.offset - last.start, message: p.message }));
    }
  }
}
