/**
 * A temporary file for `validate`'s data held out of memory (finding messages, index entries): made 0600 in a
 * private folder of `directory`, then unlinked while open, so it has no name from the start and nothing is
 * left behind on any exit, SIGINT and SIGKILL included.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmdirSync, unlinkSync, writeSync } from 'node:fs';
import { join } from 'node:path';

/** A new file only this process can read or write, already without a name; `undefined` when none can be made. */
export function openNameless(directory: string, name: string): number | undefined {
  let folder: string;
  try {
    folder = mkdtempSync(join(directory, 'kube-workbench-findings-'));
  } catch {
    return undefined; // not writable: the caller keeps its data in memory
  }
  const path = join(folder, name);
  let fd: number | undefined;
  try {
    fd = openSync(path, 'wx+', 0o600);
    unlinkSync(path);
    return fd;
  } catch {
    // A file that cannot lose its name while open is not used (it could be left behind).
    if (fd !== undefined) closeSync(fd);
    quietly(() => unlinkSync(path));
    return undefined;
  } finally {
    quietly(() => rmdirSync(folder));
  }
}

/** Writes all of `bytes` at `position` of the file (a write may take fewer bytes than asked). */
export function writeAllAt(fd: number, bytes: Uint8Array, position: number): void {
  let done = 0;
  while (done < bytes.length) done += writeSync(fd, bytes, done, bytes.length - done, position + done);
}

/** Reads `length` bytes from `position` of the file into the start of `into` (fewer at its end). */
export function readAllAt(fd: number, into: Uint8Array, length: number, position: number): void {
  let done = 0;
  while (done < length) {
    const n = readSync(fd, into, done, length - done, position + done);
    if (n === 0) break;
    done += n;
  }
}

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // already gone, or never made
  }
}
