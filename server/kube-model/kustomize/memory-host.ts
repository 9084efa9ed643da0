/** A KustomizeHost over files held in memory (absolute paths to text): tests, and unsaved editor text. */
import type { KustomizeHost } from './index';

export function memoryHost(files: Readonly<Record<string, string>>): KustomizeHost {
  return {
    readFile: (p) => (Object.hasOwn(files, p) ? files[p] : undefined),
    isDirectory: (p) => Object.keys(files).some((f) => f.startsWith(`${p}/`)),
  };
}
