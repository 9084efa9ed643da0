/** Reading a small file that another process wrote, without trusting what is in its place. */
import { constants, promises as fs } from 'node:fs';

/** Why a file could not be read as one, in words that finish "… is not valid: ". */
export class UntrustedFileError extends Error {
  override name = 'UntrustedFileError';
}

/**
 * The text of a regular file of at most `maxBytes`, or undefined when there is
 * no file. Throws UntrustedFileError for a symbolic link, a FIFO (opened
 * non-blocking, so it never waits for a writer), a directory or device, and a
 * file too large; it never reads more than `maxBytes` + 1 bytes.
 */
export async function readUntrustedFile(path: string, maxBytes: number): Promise<string | undefined> {
  let handle: fs.FileHandle;
  try {
    const link = await fs.lstat(path);
    if (link.isSymbolicLink()) throw new UntrustedFileError('it is a symbolic link');
    if (!link.isFile()) throw new UntrustedFileError('it is not a regular file');
    // O_NOFOLLOW and O_NONBLOCK: what was swapped in after the lstat cannot redirect or block the read.
    handle = await fs.open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0) | (constants.O_NONBLOCK ?? 0));
  } catch (error) {
    if (error instanceof UntrustedFileError) throw error;
    const code = (error as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return undefined;
    if (code === 'ELOOP') throw new UntrustedFileError('it is a symbolic link');
    throw new UntrustedFileError(`it cannot be read (${code ?? (error as Error).message})`);
  }
  try {
    const stat = await handle.stat();
    if (!stat.isFile()) throw new UntrustedFileError('it is not a regular file');
    if (stat.size > maxBytes) throw new UntrustedFileError(`it is ${stat.size} bytes, more than ${maxBytes}`);
    const buffer = Buffer.alloc(maxBytes + 1);
    const { bytesRead } = await handle.read(buffer, 0, buffer.length, 0);
    if (bytesRead > maxBytes) throw new UntrustedFileError(`it is more than ${maxBytes} bytes`);
    return buffer.subarray(0, bytesRead).toString('utf8');
  } finally {
    await handle.close();
  }
}
