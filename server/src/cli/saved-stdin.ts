/**
 * `validate -`: standard input kept in a private temporary file, so it is read (and streamed) as the
 * other files are.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { TemporaryFileError } from './temporary-file-error.js';

export interface SavedStdin {
  path: string;
  remove(): void;
}

const REMEDY = 'set TMPDIR to a folder you can write to, with free space, or pass the files as PATHs';

/** Standard input in a temporary file of its own (mode 0600 in a fresh private folder). */
export function saveStdin(text: string, folder: string = tmpdir()): SavedStdin {
  let dir: string;
  try {
    dir = mkdtempSync(join(folder, 'kube-workbench-stdin-'));
  } catch (error) {
    throw new TemporaryFileError('standard input', folder, error, REMEDY);
  }
  const remove = () => rmSync(dir, { recursive: true, force: true });
  const path = join(dir, 'stdin.yaml');
  try {
    writeFileSync(path, text, { mode: 0o600 });
  } catch (error) {
    remove();
    throw new TemporaryFileError('standard input', dir, error, REMEDY);
  }
  // Gone when the process ends, whatever ended the command (removing it twice is harmless).
  process.once('exit', remove);
  return { path, remove };
}
