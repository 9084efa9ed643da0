import { pathToFileURL } from 'node:url';
import { findYamlFiles } from './yaml-files.js';

/** Files read at once while scanning. */
const CONCURRENCY = 32;

/**
 * Calls `visit` for every `.yaml`/`.yml` file below the folders (as a file
 * URI), a bounded number at a time; resolves when all are done. Returns how
 * many files were visited.
 */
export async function scanFolders(folders: readonly string[], visit: (uri: string) => Promise<void>): Promise<number> {
  let count = 0;
  for (const folder of folders) {
    const queue = (await findYamlFiles(folder)).map((path) => pathToFileURL(path).href).reverse();
    count += queue.length;
    const worker = async (): Promise<void> => {
      for (let uri = queue.pop(); uri !== undefined; uri = queue.pop()) await visit(uri);
    };
    await Promise.all(Array.from({ length: CONCURRENCY }, worker));
  }
  return count;
}
