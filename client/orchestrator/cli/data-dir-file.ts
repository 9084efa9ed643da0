/**
 * Reading one of the data directory's own files (token, key, certificate): by the full start
 * (data-dir.ts) and by the early stage of `cluster start` (early-start.ts, whose small bundle must
 * not load the rest of data-dir.ts). Synchronous: three small files take well under a millisecond
 * that way, where `fs/promises` made four thread-pool round trips per file, which a busy machine
 * delayed by 10-70 ms before the listen (docs/BENCHMARKS.md, session 11).
 */
import { closeSync, constants, fstatSync, openSync, readFileSync } from 'node:fs';

/** A file of the data directory that cannot be used: said in words, with what to do. */
export class DataDirFileError extends Error {
  override name = 'DataDirFileError';
}

/**
 * The file's text, or undefined when it is missing. Anything but a regular file of at most 1 MiB
 * (a FIFO, opened non-blocking so the start never waits for a writer; a folder; a device) is
 * refused with a DataDirFileError naming the file and what to do; other failures are thrown as
 * they come.
 */
export function readDataDirFile(path: string): string | undefined {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if ((error as NodeJS.ErrnoException).code === 'ENOENT') return undefined;
    throw error;
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile() || stat.size > 1024 * 1024)
      throw new DataDirFileError(
        `${path} is not a regular file of at most 1 MiB; remove it and start again (the cluster makes a new one)`,
      );
    return readFileSync(fd, 'utf8');
  } finally {
    closeSync(fd);
  }
}
