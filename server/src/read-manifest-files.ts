import { decodeFileBytes } from './document/byte-decoder.js';
import { closeSync, constants, fstatSync, lstatSync, openSync, readdirSync, readFileSync, statSync } from 'node:fs';
import type { Dirent, Stats } from 'node:fs';
import { join } from 'node:path';

/** A path `validate` could not read: why, in words that follow "cannot read PATH: ". */
export interface UnreadablePath {
  path: string;
  reason: string;
}

export interface ManifestFiles {
  /** Each readable file's text (a BOM removed), in walk order. */
  texts: Map<string, string>;
  unreadable: UnreadablePath[];
  /** Links back into a folder being walked: nothing is missed, but the user hears of them. */
  loops: UnreadablePath[];
}

/** The files to check (not yet read), and what could not be walked. */
export interface ManifestPaths {
  /** Regular files, in walk order. */
  files: string[];
  unreadable: UnreadablePath[];
  loops: UnreadablePath[];
}

/** A path named on the command line that does not exist: a usage error, not a finding. */
export class MissingPathError extends Error {}

const YAML_NAME = /\.ya?ml$/i;

/**
 * The YAML files under `paths` (a named file is read whatever its name) and
 * the paths that could not be read. Directories are walked once each,
 * following symbolic links but never into a directory already on the way
 * down (a loop, told apart by device and inode); entries that cannot be
 * listed or read are reported and the walk goes on; only regular files are
 * opened (a FIFO would block, a device has no end).
 */
export function readManifestFiles(paths: readonly string[]): ManifestFiles {
  const { files, unreadable, loops } = listManifestFiles(paths);
  const result: ManifestFiles = { texts: new Map(), unreadable, loops };
  for (const path of files) {
    const text = readRegularFile(path);
    if (typeof text === 'string') result.texts.set(path, text);
    else result.unreadable.push({ path, reason: text.reason });
  }
  return result;
}

/**
 * The walk of `readManifestFiles` without reading: the regular files to
 * check, for a reader that streams them (`read-document-stream.ts`).
 */
export function listManifestFiles(paths: readonly string[]): ManifestPaths {
  const result: ManifestPaths = { files: [], unreadable: [], loops: [] };
  const seenDirs = new Set<string>();
  const skip = (path: string, reason: string): void => {
    result.unreadable.push({ path, reason });
  };

  const visitDir = (path: string, stat: Stats, ancestors: ReadonlySet<string>): void => {
    const id = `${stat.dev}:${stat.ino}`;
    if (ancestors.has(id)) {
      result.loops.push({ path, reason: 'it leads back to a folder that contains it (a symbolic link loop)' });
      return;
    }
    if (seenDirs.has(id)) return; // reached again through another link: already checked
    seenDirs.add(id);
    let entries: Dirent[];
    try {
      entries = readdirSync(path, { withFileTypes: true }).sort(byName);
    } catch (error) {
      return skip(path, errorReason(error));
    }
    const inside = new Set(ancestors).add(id);
    // The folder's path as `join` writes it before an entry's name: an entry's name is one plain segment (no
    // separator, never `.` or `..`), so `join(path, name)` is this and the name, without normalising it again.
    const folder = join(path, '\0').slice(0, -1);
    for (const entry of entries) {
      const name = entry.name;
      if (name === 'node_modules' || name.startsWith('.')) continue;
      // A regular file (not a link) needs no stat: its listing says what it is.
      if (entry.isFile()) {
        if (YAML_NAME.test(name)) result.files.push(folder + name);
      } else visit(folder + name, false, inside);
    }
  };

  const visit = (path: string, explicit: boolean, ancestors: ReadonlySet<string>): void => {
    let stat: Stats;
    try {
      stat = statSync(path);
    } catch (error) {
      const code = (error as NodeJS.ErrnoException).code;
      if (explicit && code === 'ENOENT' && !isLink(path)) throw new MissingPathError(`no such file or folder: ${path}`);
      // A dangling or looping link inside a folder matters only where a manifest would be.
      if (explicit || YAML_NAME.test(path)) skip(path, errorReason(error));
      return;
    }
    if (stat.isDirectory()) return visitDir(path, stat, ancestors);
    if (!explicit && !YAML_NAME.test(path)) return;
    if (!stat.isFile()) return skip(path, `it is ${kindOf(stat)}, not a regular file; skipped`);
    result.files.push(path);
  };

  for (const p of paths) visit(p, true, new Set());
  return result;
}

/** Folder entries in the order of their names as `Array.prototype.sort` puts strings. */
function byName(a: Dirent, b: Dirent): number {
  return a.name < b.name ? -1 : a.name > b.name ? 1 : 0;
}

function isLink(path: string): boolean {
  try {
    return lstatSync(path).isSymbolicLink();
  } catch {
    return false;
  }
}

/** Opens without blocking and checks again on the open file: what was swapped in after the stat is not read if it is not a regular file. */
export function readRegularFile(path: string): string | { reason: string } {
  let fd: number;
  try {
    fd = openSync(path, constants.O_RDONLY | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    return { reason: errorReason(error) };
  }
  try {
    const stat = fstatSync(fd);
    if (!stat.isFile()) return { reason: `it is ${kindOf(stat)}, not a regular file; skipped` };
    return decodeFileBytes(readFileSync(fd));
  } catch (error) {
    return { reason: errorReason(error) };
  } finally {
    closeSync(fd);
  }
}

export function kindOf(stat: Stats): string {
  if (stat.isFIFO()) return 'a FIFO (named pipe)';
  if (stat.isSocket()) return 'a socket';
  if (stat.isCharacterDevice() || stat.isBlockDevice()) return 'a device';
  return 'not a file';
}

const REASONS: Record<string, string> = {
  EACCES: 'permission denied',
  EPERM: 'permission denied',
  ELOOP: 'too many levels of symbolic links (a symbolic link loop)',
  ENOENT: 'it is a symbolic link to nothing (its target does not exist)',
  EIO: 'input/output error',
  EISDIR: 'it is a folder',
  ENOTDIR: 'a part of the path is not a folder',
  ENAMETOOLONG: 'the path is too long',
  EMFILE: 'too many open files',
};

export function errorReason(error: unknown): string {
  const code = (error as NodeJS.ErrnoException).code;
  if (code !== undefined) return `${REASONS[code] ?? (error as Error).message} (${code})`;
  return error instanceof Error ? error.message : String(error);
}
