/**
 * `validate` could not use a temporary file it needs (standard input kept for its two passes, the
 * finding messages written out of memory): said in words, with what to do (set TMPDIR), and the
 * command exits as for a file it could not read.
 */
export class TemporaryFileError extends Error {
  override name = 'TemporaryFileError';

  constructor(what: string, where: string, cause: unknown, remedy: string) {
    const code = (cause as NodeJS.ErrnoException | undefined)?.code;
    super(`cannot keep ${what} in a temporary file under ${where} (${code ?? String(cause)}); ${remedy}`);
  }
}
