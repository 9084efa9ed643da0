/**
 * `validate -`: standard input kept in a private temporary file, so it is read (and streamed) as the
 * other files are.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface SavedStdin {
  path: string;
  remove(): void;
}

/** Why standard input could not be kept: said in words, with what to do. */
export class StdinNotSavedError extends Error {
  override name = 'StdinNotSavedError';
}

/** Standard input in a temporary file of its own (mode 0600 in a fresh private folder). */
export function saveStdin(text: string, folder: string = tmpdir()): SavedStdin {
  let dir: string;
  try {
    dir = mkdtempSync(join(folder, 'kube-workbench-stdin-'));
  } catch (error) {
    throw new StdinNotSavedError(
      `cannot keep standard input in a temporary file under ${folder} (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
        'set TMPDIR to a folder you can write to, or pass the files as PATHs',
    );
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'stdin.yaml');
  try {
    writeFileSync(path, text, { mode: 0o600 });
  } catch (error) {
    remove();
    throw new StdinNotSavedError(
      `cannot keep standard input in ${path} (${(error as NodeJS.ErrnoException).code ?? String(error)}); ` +
        'set TMPDIR to a folder with free space, or pass the files as PATHs',
    );
  }
  return { path, remove };
}
