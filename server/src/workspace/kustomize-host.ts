import { readdirSync, statSync, readFileSync } from 'node:fs';
import { decodeFileBytes } from '../document/byte-decoder.js';

/** Files larger than this are not read for rendering (as the workspace index). */
const MAX_FILE_BYTES = 16 * 1024 * 1024;

/**
 * What the language server reads while rendering and completing kustomizations:
 * the renderer's host (`readFile`, `isDirectory`, absolute paths, never throwing)
 * plus folder listings for path completion. Open documents' text wins over the disk.
 */
export interface EditorKustomizeHost {
  readFile(path: string): string | undefined;
  isDirectory(path: string): boolean;
  /** Entries of a folder (hidden ones included), or [] when it cannot be read. */
  list(dir: string): { name: string; directory: boolean }[];
}

/** The disk, with the editor's unsaved text over it (`openText` answers for open documents). */
export function editorKustomizeHost(openText: (path: string) => string | undefined): EditorKustomizeHost {
  return {
    readFile(path) {
      const open = openText(path);
      if (open !== undefined) return open;
      try {
        const stat = statSync(path);
        if (!stat.isFile() || stat.size > MAX_FILE_BYTES) return undefined;
        return decodeFileBytes(readFileSync(path));
      } catch {
        return undefined;
      }
    },
    isDirectory(path) {
      try {
        return statSync(path).isDirectory();
      } catch {
        return false;
      }
    },
    list(dir) {
      try {
        return readdirSync(dir, { withFileTypes: true })
          .filter((e) => e.isFile() || e.isDirectory())
          .map((e) => ({ name: e.name, directory: e.isDirectory() }));
      } catch {
        return [];
      }
    },
  };
}
