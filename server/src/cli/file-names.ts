import { relative, sep } from 'node:path';
import { pathToFileURL } from 'node:url';

/** A name the URL path and `relative` leave as it is: letters, digits, `_`, `.`, `-` (but not `.` or `..`). */
const PLAIN_NAME = /^[\w.-]+$/;

/**
 * Each file's display name (its path relative to the working folder, as
 * `relative(cwd, file) || file` gives it) and file URL (as `pathToFileURL`
 * gives it), worked out once per folder instead of once per file: the walk
 * lists a folder's files one after another, so the last folder's two
 * prefixes are kept and a file of it only appends its name. A name with any
 * other character, a file at the root, a name that is also one of the
 * working folder's, or a system whose paths are not
 * `/`-separated takes the whole path through `relative` and `pathToFileURL`.
 */
export class FileNames {
  private folder: string | undefined;
  /** `relative(cwd, folder)` and a `/`, or nothing when the folder is the working folder. */
  private displayPrefix = '';
  /** The folder's URL ending with `/`. */
  private urlPrefix = '';

  /** The working folder's segments: a file of such a name might be the working folder or above it (then `relative` gives `''` or `..`s). */
  private readonly cwdNames: ReadonlySet<string>;

  constructor(private readonly cwd: string) {
    this.cwdNames = new Set(cwd.split('/'));
  }

  /** The path as reports name it. */
  display(file: string): string {
    const at = this.split(file);
    return at < 0 ? relative(this.cwd, file) || file : this.displayPrefix + file.slice(at + 1);
  }

  /** The file's URL (`file:`), as the workspace index keys it. */
  url(file: string): string {
    const at = this.split(file);
    return at < 0 ? pathToFileURL(file).href : this.urlPrefix + file.slice(at + 1);
  }

  /** Where the file's name starts (after the last `/`), its folder's prefixes made; -1: take the whole path. */
  private split(file: string): number {
    if (sep !== '/') return -1;
    const at = file.lastIndexOf('/');
    if (at <= 0) return -1;
    const name = file.slice(at + 1);
    if (name === '.' || name === '..' || this.cwdNames.has(name) || !PLAIN_NAME.test(name)) return -1;
    const folder = file.slice(0, at);
    if (folder !== this.folder) {
      const shown = relative(this.cwd, folder);
      const url = pathToFileURL(folder).href;
      this.folder = folder;
      this.displayPrefix = shown === '' ? '' : `${shown}/`;
      this.urlPrefix = url.endsWith('/') ? url : `${url}/`;
    }
    return at;
  }
}
