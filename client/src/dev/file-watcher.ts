/**
 * A debounced recursive watcher over folders: one `fs.watch` per folder
 * (Linux has no recursive watch of its own before Node 22), batches of
 * changed and deleted files once the tree has been quiet for `debounceMs`
 * (and at the latest after `maxWaitMs`, so a file written without pause still
 * gets seen).
 *
 * Hostile trees: symbolic links are never followed (a link loop is one link),
 * FIFOs and sockets are never opened, and past `maxFolders` folders or the
 * system's watch limit it stops adding watches and says where. A file created
 * and removed between two batches (an editor's temporary file) is not
 * reported; a deleted folder reports the files seen in it.
 */
import { watch, type FSWatcher } from 'node:fs';
import { lstat, readdir } from 'node:fs/promises';
import { join, sep } from 'node:path';

export interface WatchBatch {
  /** Files (anything but folders) that were created or changed, absolute. */
  changed: string[];
  /** Files that were there and are gone, absolute. */
  deleted: string[];
}

export interface FileWatcherOptions {
  roots: readonly string[];
  onBatch: (batch: WatchBatch) => void;
  /** A problem that leaves part of the tree unwatched. */
  onProblem?: (message: string) => void;
  /** Paths never watched (a folder returning true is not entered); `.git` is always left out. */
  ignore?: (path: string, isFolder: boolean) => boolean;
  debounceMs?: number;
  maxWaitMs?: number;
  maxFolders?: number;
}

export class FileWatcher {
  private readonly folders = new Map<string, FSWatcher>();
  private readonly files = new Set<string>();
  private readonly pending = new Set<string>();
  private quiet: ReturnType<typeof setTimeout> | undefined;
  private deadline: ReturnType<typeof setTimeout> | undefined;
  private closed = false;
  private full = false;
  private flushing = Promise.resolve();

  private constructor(private readonly options: FileWatcherOptions) {}

  /** Watches every folder under the roots; resolves once the first scan is done. */
  static async start(options: FileWatcherOptions): Promise<FileWatcher> {
    const watcher = new FileWatcher(options);
    for (const root of options.roots) await watcher.add(root);
    return watcher;
  }

  /** How many folders are watched (for messages and tests). */
  get folderCount(): number {
    return this.folders.size;
  }

  /** Waits for the batch being worked out, if any (tests; stopping). */
  async settled(): Promise<void> {
    await this.flushing;
  }

  close(): void {
    this.closed = true;
    clearTimeout(this.quiet);
    clearTimeout(this.deadline);
    for (const w of this.folders.values()) w.close();
    this.folders.clear();
  }

  private ignored(path: string, isFolder: boolean): boolean {
    if (isFolder && path.endsWith(`${sep}.git`)) return true;
    return this.options.ignore?.(path, isFolder) ?? false;
  }

  /** Watches a folder and everything below it; the files found go into `found` when given. */
  private async add(folder: string, found?: Set<string>): Promise<void> {
    const stack = [folder];
    while (stack.length > 0 && !this.closed) {
      const dir = stack.pop()!;
      if (this.folders.has(dir) || this.ignored(dir, true)) continue;
      if (this.folders.size >= (this.options.maxFolders ?? 20_000)) {
        if (!this.full)
          this.options.onProblem?.(`more than ${this.folders.size} folders: ${dir} and others are not watched`);
        this.full = true;
        return;
      }
      let entries;
      try {
        this.folders.set(dir, this.watchFolder(dir));
        entries = await readdir(dir, { withFileTypes: true });
      } catch (error) {
        this.unwatch(dir);
        const code = (error as NodeJS.ErrnoException).code;
        if (code === 'ENOSPC' || code === 'EMFILE') {
          if (!this.full)
            this.options.onProblem?.(
              `the system's limit of watched folders is reached: ${dir} and others are not watched`,
            );
          this.full = true;
          return;
        }
        if (code !== 'ENOENT' && code !== 'ENOTDIR')
          this.options.onProblem?.(`${dir} cannot be watched: ${String(error)}`);
        continue;
      }
      for (const entry of entries) {
        const path = join(dir, entry.name);
        if (entry.isDirectory()) stack.push(path);
        else if (!this.ignored(path, false)) {
          this.files.add(path);
          found?.add(path);
        }
      }
    }
  }

  private watchFolder(dir: string): FSWatcher {
    const w = watch(dir, { persistent: true }, (_event, name) => {
      if (name === null || this.closed) return;
      this.pending.add(join(dir, name.toString()));
      this.schedule();
    });
    w.on('error', () => this.unwatch(dir));
    return w;
  }

  private unwatch(dir: string): void {
    this.folders.get(dir)?.close();
    this.folders.delete(dir);
  }

  private schedule(): void {
    clearTimeout(this.quiet);
    this.quiet = setTimeout(() => this.flush(), this.options.debounceMs ?? 100);
    this.deadline ??= setTimeout(() => this.flush(), this.options.maxWaitMs ?? 1_000);
  }

  private flush(): void {
    clearTimeout(this.quiet);
    clearTimeout(this.deadline);
    this.quiet = this.deadline = undefined;
    this.flushing = this.flushing
      .then(() => this.work())
      .catch((error: unknown) => this.options.onProblem?.(String(error)));
  }

  private async work(): Promise<void> {
    const changed = new Set<string>();
    const deleted = new Set<string>();
    while (this.pending.size > 0 && !this.closed) {
      const paths = [...this.pending];
      this.pending.clear();
      for (const path of paths) {
        let stat;
        try {
          stat = await lstat(path);
        } catch {
          stat = undefined;
        }
        if (stat?.isDirectory()) {
          if (!this.folders.has(path)) {
            await this.add(path, changed);
          }
        } else if (stat) {
          if (this.ignored(path, false)) continue;
          this.files.add(path);
          changed.add(path);
          deleted.delete(path);
        } else this.forget(path, changed, deleted);
      }
    }
    if (this.closed || (changed.size === 0 && deleted.size === 0)) return;
    this.options.onBatch({ changed: [...changed].sort(), deleted: [...deleted].sort() });
  }

  /** A path that is gone: the file, or every file seen under the folder. */
  private forget(path: string, changed: Set<string>, deleted: Set<string>): void {
    const gone = (file: string) => {
      this.files.delete(file);
      changed.delete(file);
      deleted.add(file);
    };
    if (this.files.has(path)) gone(path);
    if (this.folders.has(path)) {
      const prefix = path + sep;
      for (const dir of [...this.folders.keys()]) if (dir === path || dir.startsWith(prefix)) this.unwatch(dir);
      for (const file of [...this.files]) if (file.startsWith(prefix)) gone(file);
    }
    changed.delete(path);
  }
}
