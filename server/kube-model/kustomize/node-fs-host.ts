import * as fs from 'node:fs';
import type { KustomizeHost } from './index';

/** Files larger than this are treated as unreadable (a kustomization never needs them). */
export const MAX_FILE_BYTES = 8 * 1024 * 1024;

/**
 * The real file system as a KustomizeHost. Never throws: a file that is
 * missing, too large, not a regular file (FIFOs and devices could block or
 * never end), or behind a symlink loop reads as undefined.
 */
export function nodeFsHost(): KustomizeHost {
  return {
    readFile(file: string): string | undefined {
      try {
        const stat = fs.statSync(file); // follows symlinks; a loop throws ELOOP
        if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
        const fd = fs.openSync(file, fs.constants.O_RDONLY | (fs.constants.O_NONBLOCK ?? 0));
        try {
          const again = fs.fstatSync(fd); // the file may have been swapped since the stat
          if (!again.isFile() || again.size > MAX_FILE_BYTES) return undefined;
          return fs.readFileSync(fd, 'utf8');
        } finally {
          fs.closeSync(fd);
        }
      } catch {
        return undefined;
      }
    },
    isDirectory(file: string): boolean {
      try {
        return fs.statSync(file).isDirectory();
      } catch {
        return false;
      }
    },
  };
}
