/**
 * A tar stream (POSIX ustar, GNU long names) of files to send into a
 * container, read from disk as the stream is consumed: the container's
 * `tar -x` takes it on the exec's standard input. Only regular files go in; a
 * file's size is taken when its turn comes, and a file that shrinks while it
 * is read is padded (the next save sends it again) rather than breaking the
 * archive.
 */
import { constants } from 'node:fs';
import { open } from 'node:fs/promises';
import { Readable } from 'node:stream';

export interface TarFile {
  /** Local file to read. */
  source: string;
  /** Path inside the archive (relative, or absolute: `tar -C /` takes both). */
  name: string;
}

const BLOCK = 512;
const CHUNK = 64 * 1024;

/** The archive of `files` as a stream; a file that cannot be read ends the stream with its error. */
export function tarStream(files: readonly TarFile[], now: Date = new Date()): Readable {
  return Readable.from(tarChunks(files, now), { objectMode: false });
}

async function* tarChunks(files: readonly TarFile[], now: Date): AsyncGenerator<Buffer> {
  const mtime = Math.floor(now.getTime() / 1000);
  for (const file of files) {
    // Never blocks on a FIFO, never follows a link: the stat below refuses both.
    const handle = await open(file.source, constants.O_RDONLY | constants.O_NONBLOCK | constants.O_NOFOLLOW);
    try {
      const stat = await handle.stat();
      if (!stat.isFile()) throw new Error(`${file.source} is not a regular file`);
      yield* headerBlocks(archiveName(file.name), stat.size, stat.mode & 0o7777, mtime);
      let left = stat.size;
      while (left > 0) {
        const want = Math.min(CHUNK, left);
        const buffer = Buffer.alloc(want);
        const { bytesRead } = await handle.read(buffer, 0, want, stat.size - left);
        if (bytesRead === 0) {
          // Shrunk while read: zeros keep the archive well formed.
          yield Buffer.alloc(left);
          left = 0;
          break;
        }
        yield bytesRead === want ? buffer : buffer.subarray(0, bytesRead);
        left -= bytesRead;
      }
      const pad = (BLOCK - (stat.size % BLOCK)) % BLOCK;
      if (pad > 0) yield Buffer.alloc(pad);
    } finally {
      await handle.close();
    }
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** Drops a leading `/` (tar stores relative names; `-C /` puts them back). */
function archiveName(name: string): string {
  return name.replace(/^\/+/, '');
}

/** The header of one regular file; a GNU `L` record before it when the name does not fit ustar's fields. */
export function headerBlocks(name: string, size: number, mode: number, mtime: number): Buffer[] {
  const bytes = Buffer.from(name, 'utf8');
  const split = splitUstar(bytes);
  if (split) return [header(split.name, split.prefix, size, mode, mtime, '0')];
  const longName = Buffer.concat([bytes, Buffer.alloc(1)]);
  const pad = (BLOCK - (longName.length % BLOCK)) % BLOCK;
  return [
    header(Buffer.from('././@LongLink'), Buffer.alloc(0), longName.length, 0o644, mtime, 'L'),
    longName,
    Buffer.alloc(pad),
    header(bytes.subarray(0, 100), Buffer.alloc(0), size, mode, mtime, '0'),
  ];
}

/** ustar keeps up to 100 bytes of name and 155 of prefix, split at a `/`. */
function splitUstar(bytes: Buffer): { name: Buffer; prefix: Buffer } | undefined {
  if (bytes.length <= 100) return { name: bytes, prefix: Buffer.alloc(0) };
  for (let i = bytes.length - 101; i < bytes.length && i <= 155; i++) {
    if (i < 0 || bytes[i] !== 0x2f) continue;
    return { prefix: bytes.subarray(0, i), name: bytes.subarray(i + 1) };
  }
  return undefined;
}

function header(name: Buffer, prefix: Buffer, size: number, mode: number, mtime: number, type: string): Buffer {
  const h = Buffer.alloc(BLOCK);
  name.copy(h, 0, 0, 100);
  octal(h, 100, 8, mode);
  octal(h, 108, 8, 0);
  octal(h, 116, 8, 0);
  if (size < 8 ** 11) octal(h, 124, 12, size);
  else {
    // base-256 for sizes past 8 GiB
    h[124] = 0x80;
    let v = BigInt(size);
    for (let i = 135; i > 124; i--) {
      h[i] = Number(v & 0xffn);
      v >>= 8n;
    }
  }
  octal(h, 136, 12, mtime);
  h.fill(0x20, 148, 156);
  h.write(type, 156, 'ascii');
  h.write('ustar\u000000', 257, 'binary');
  prefix.copy(h, 345, 0, 155);
  let sum = 0;
  for (const b of h) sum += b;
  h.write(sum.toString(8).padStart(6, '0') + '\u0000 ', 148, 'binary');
  return h;
}

function octal(h: Buffer, offset: number, length: number, value: number): void {
  h.write(value.toString(8).padStart(length - 1, '0') + '\u0000', offset, 'ascii');
}
