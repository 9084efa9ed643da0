/**
 * Where the server's tests find real-world YAML: the shared corpus (read in place, never copied; KW_CORPUS
 * overrides it) and the project's examples, and every YAML file below a folder in a stable order.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join, resolve } from 'node:path';

export const CORPUS = process.env.KW_CORPUS ?? resolve(process.cwd(), '..', 'shared', 'corpus');
export const EXAMPLES = resolve(process.cwd(), 'examples');

/** Every `.yaml`/`.yml` file below `dir`, sorted by name at each level; none when `dir` is not there. */
export function yamlFiles(dir: string): string[] {
  if (!existsSync(dir)) return [];
  const out: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (statSync(path).isDirectory()) out.push(...yamlFiles(path));
    else if (/\.ya?ml$/.test(name)) out.push(path);
  }
  return out;
}
