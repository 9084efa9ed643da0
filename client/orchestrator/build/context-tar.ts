/**
 * A build context as the tar stream the engine's build endpoint reads: POSIX
 * ustar headers, with a PAX header for a path or link target too long for
 * them. Files are read in chunks as the engine takes the stream; a file that
 * shrank after it was listed is padded, one that grew is cut at its listed
 * size, so the stream always stays a valid tar.
 */
import { createReadStream } from 'node:fs';
import { Readable } from 'node:stream';
import type { ContextEntry } from './context-files';

const BLOCK = 512;

function octal(value: number, width: number): string {
  return `${value.toString(8).padStart(width - 1, '0')}\0`;
}

function header(name: string, type: string, size: number, mode: number, mtimeMs: number, link = ''): Buffer {
  const h = Buffer.alloc(BLOCK);
  h.write(name, 0, 100, 'utf8');
  h.write(octal(mode, 8), 100, 'ascii');
  h.write(octal(0, 8), 108, 'ascii');
  h.write(octal(0, 8), 116, 'ascii');
  h.write(octal(size, 12), 124, 'ascii');
  h.write(octal(Math.max(0, Math.floor(mtimeMs / 1000)), 12), 136, 'ascii');
  h.write('        ', 148, 'ascii');
  h.write(type, 156, 'ascii');
  h.write(link, 157, 100, 'utf8');
  h.write('ustar\u000000', 257, 'ascii');
  let sum = 0;
  for (const byte of h) sum += byte;
  h.write(`${sum.toString(8).padStart(6, '0')}\0 `, 148, 'ascii');
  return h;
}

/** A PAX record `LEN key=value\n`, whose LEN counts itself. */
function paxRecord(key: string, value: string): string {
  const body = ` ${key}=${value}\n`;
  let len = Buffer.byteLength(body) + 1;
  while (String(len).length + Buffer.byteLength(body) !== len) len++;
  return `${len}${body}`;
}

const padding = (size: number) => Buffer.alloc((BLOCK - (size % BLOCK)) % BLOCK);

function headers(entry: ContextEntry): Buffer[] {
  const name = entry.type === 'dir' ? `${entry.path}/` : entry.path;
  const link = entry.linkTarget ?? '';
  const out: Buffer[] = [];
  const pax: string[] = [];
  if (Buffer.byteLength(name) > 100) pax.push(paxRecord('path', name));
  if (Buffer.byteLength(link) > 100) pax.push(paxRecord('linkpath', link));
  if (pax.length > 0) {
    const body = Buffer.from(pax.join(''), 'utf8');
    out.push(header('././@PaxHeader', 'x', body.length, 0o644, entry.mtimeMs), body, padding(body.length));
  }
  const type = entry.type === 'dir' ? '5' : entry.type === 'symlink' ? '2' : '0';
  const shortName = Buffer.from(name).subarray(0, 100).toString('utf8');
  const shortLink = Buffer.from(link).subarray(0, 100).toString('utf8');
  out.push(header(shortName, type, entry.type === 'file' ? entry.size : 0, entry.mode, entry.mtimeMs, shortLink));
  return out;
}

async function* fileBytes(entry: ContextEntry): AsyncGenerator<Buffer> {
  let sent = 0;
  const stream = createReadStream(entry.abs, { end: Math.max(0, entry.size - 1), highWaterMark: 256 * 1024 });
  if (entry.size > 0)
    for await (const chunk of stream as AsyncIterable<Buffer>) {
      const part = chunk.subarray(0, entry.size - sent);
      sent += part.length;
      yield part;
      if (sent >= entry.size) break;
    }
  else stream.destroy();
  if (sent < entry.size) yield Buffer.alloc(entry.size - sent);
  yield padding(entry.size);
}

async function* tarChunks(entries: readonly ContextEntry[]): AsyncGenerator<Buffer> {
  for (const entry of entries) {
    yield* headers(entry);
    if (entry.type === 'file') yield* fileBytes(entry);
  }
  yield Buffer.alloc(BLOCK * 2);
}

/** The context's tar stream. */
export function contextTar(entries: readonly ContextEntry[]): Readable {
  return Readable.from(tarChunks(entries), { objectMode: false });
}
