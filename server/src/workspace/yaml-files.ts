import { readdir } from 'node:fs/promises';
import { join } from 'node:path';

const SKIPPED = new Set(['node_modules', '.git', 'out', 'dist', 'vendor']);

/** Every `.yaml`/`.yml` file (and kustomize's extensionless `Kustomization`) below a folder (hidden folders and dependency folders skipped), at most `limit`. */
export async function findYamlFiles(root: string, limit = 20_000): Promise<string[]> {
  const out: string[] = [];
  const pending = [root];
  while (pending.length > 0 && out.length < limit) {
    const dir = pending.pop() ?? root;
    let entries;
    try {
      entries = await readdir(dir, { withFileTypes: true });
    } catch {
      continue; // unreadable folders are skipped, not fatal
    }
    for (const entry of entries) {
      if (entry.name.startsWith('.') || SKIPPED.has(entry.name)) continue;
      const path = join(dir, entry.name);
      if (entry.isDirectory()) pending.push(path);
      else if (entry.isFile() && (/\.ya?ml$/i.test(entry.name) || entry.name === 'Kustomization')) out.push(path);
      if (out.length >= limit) break;
    }
  }
  return out.sort();
}
