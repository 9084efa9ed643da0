/**
 * A temporary file for `validate`'s data held out of memory (finding messages, index entries): made 0600 in a
 * private folder of `directory`, then unlinked while open, so it has no name from the start and nothing is
 * left behind on any exit, SIGINT and SIGKILL included.
 */
import { closeSync, mkdtempSync, openSync, rmdirSync, unlinkSync } from 'node:fs';
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

function quietly(action: () => void): void {
  try {
    action();
  } catch {
    // already gone, or never made
  }
}
