/**
 * The previous state of a file as the workspace knows it: its version in the last
 * commit (`git show HEAD:./name`, run in the file's folder). Fetched in the
 * background when a document opens or is saved; until then, and for a file that
 * is not in git (or when git is missing, slow or the version is too large), there
 * is no baseline. A change of baseline is reported so the document is checked again.
 */
import { execFile } from 'node:child_process';
import { basename, dirname } from 'node:path';
import { fileURLToPath } from 'node:url';

/** Committed versions larger than this are not read (the editor checks files up to 16 MB). */
const MAX_BASELINE_BYTES = 16 * 1024 * 1024;
const GIT_TIMEOUT_MS = 5_000;

export type ShowCommitted = (folder: string, name: string) => Promise<string | undefined>;

/** `git show HEAD:./name` in `folder`: the committed text, or undefined for any failure. */
export const gitShowCommitted: ShowCommitted = (folder, name) =>
  new Promise((resolve) => {
    execFile(
      'git',
      ['-C', folder, 'show', `HEAD:./${name}`],
      {
        timeout: GIT_TIMEOUT_MS,
        maxBuffer: MAX_BASELINE_BYTES,
        encoding: 'utf8',
        // Reading must never take the repository's lock or prompt for anything.
        env: { ...process.env, GIT_OPTIONAL_LOCKS: '0', GIT_TERMINAL_PROMPT: '0' },
        windowsHide: true,
      },
      (error, stdout) => resolve(error ? undefined : stdout),
    );
  });

export class GitBaselines {
  private readonly texts = new Map<string, string | undefined>();
  private readonly generation = new Map<string, number>();

  constructor(
    private readonly onChange: (uri: string) => void,
    private readonly show: ShowCommitted = gitShowCommitted,
  ) {}

  /** The committed text of a document, when known. */
  get(uri: string): string | undefined {
    return this.texts.get(uri);
  }

  /** Reads the committed version again (on open and save: a commit may have moved HEAD). */
  refresh(uri: string): void {
    if (!uri.startsWith('file:')) return;
    let path: string;
    try {
      path = fileURLToPath(uri);
    } catch {
      return;
    }
    const generation = (this.generation.get(uri) ?? 0) + 1;
    this.generation.set(uri, generation);
    void this.show(dirname(path), basename(path)).then((text) => {
      // A later refresh (or a close) wins over a slow earlier one.
      if (this.generation.get(uri) !== generation) return;
      if (this.texts.get(uri) === text) return;
      this.texts.set(uri, text);
      this.onChange(uri);
    });
  }

  forget(uri: string): void {
    this.texts.delete(uri);
    this.generation.delete(uri);
  }
}
