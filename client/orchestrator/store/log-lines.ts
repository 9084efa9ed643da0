/**
 * The write-ahead log's lines as bytes. A line is encoded into a shared chunk of memory, one after the
 * other, so a batch of lines encoded in a row is one contiguous range of a chunk: the log writes that range
 * as it is, without joining the lines into a new buffer. A chunk is never written twice: once full, the next
 * line starts a new one, and the old chunk lives as long as a line in it waits for its batch.
 */
import { NO_ROOM, writeJson } from './json-bytes';
import type { WalRecord } from './stored-state';

/** Bytes per chunk (about 40 lines of a running pod's status write). */
const CHUNK_BYTES = 32 * 1024;

let chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
let used = 0;

/**
 * The log line of a record, as the UTF-8 bytes written. Throws (a value too deep to serialize) before
 * anything is written. Bytes rather than text: a line waits in memory until its batch is durable (tens of
 * milliseconds, through several young-generation collections), and the collector copies a string that is
 * still alive but never a buffer's bytes (held outside the heap). The bytes are written into the chunk
 * straight from the record (json-bytes.ts), with no text in between; a record that does not fit in a
 * chunk, or that is not plain JSON data, is made by `JSON.stringify` as before.
 */
export function encodeRecord(record: WalRecord): Buffer {
  let end = writeJson(record, chunk, used, chunk.length - 1);
  if (end === NO_ROOM && used > 0) {
    chunk = Buffer.allocUnsafeSlow(CHUNK_BYTES);
    used = 0;
    end = writeJson(record, chunk, 0, chunk.length - 1);
  }
  if (end < 0) return alone(JSON.stringify(record));
  const start = used;
  chunk[end] = 0x0a;
  used = end + 1;
  return chunk.subarray(start, used);
}

function alone(text: string): Buffer {
  const length = Buffer.byteLength(text);
  const bytes = Buffer.allocUnsafe(length + 1);
  bytes.write(text, 0, length);
  bytes[length] = 0x0a;
  return bytes;
}

/** The batch's lines as one buffer: a view of their chunk when they follow each other in it. */
export function batchBytes(batch: readonly { line: Buffer }[]): Buffer {
  if (batch.length === 1) return batch[0]!.line;
  if (batch.length === 0) return Buffer.alloc(0);
  const first = batch[0]!.line;
  let end = first.byteOffset + first.length;
  for (let i = 1; i < batch.length; i++) {
    const line = batch[i]!.line;
    if (line.buffer !== first.buffer || line.byteOffset !== end) return Buffer.concat(batch.map((p) => p.line));
    end += line.length;
  }
  return Buffer.from(first.buffer, first.byteOffset, end - first.byteOffset);
}
