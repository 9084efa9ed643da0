// Tells whether the generated schemas are up to date: `schemas/.stamp` holds a
// hash of everything generation reads (the generator's own files and the
// versions of the model packages), written after a successful run.
import { createHash } from 'node:crypto';
import { existsSync, readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

/**
 * @param {string} root project root
 * @param {string[]} packageDirs the model packages
 */
export function inputsHash(root, packageDirs) {
  const hash = createHash('sha256');
  const generatorFiles = [
    join(root, 'scripts', 'generate-schemas.mjs'),
    ...readdirSync(join(root, 'scripts', 'schemas'))
      .filter((name) => name.endsWith('.mjs'))
      .sort()
      .map((name) => join(root, 'scripts', 'schemas', name)),
  ];
  for (const file of generatorFiles) hash.update(file.slice(root.length)).update(readFileSync(file));
  for (const dir of packageDirs) {
    const { name, version } = JSON.parse(readFileSync(join(dir, 'package.json'), 'utf8'));
    hash.update(`${dir.slice(root.length)} ${name}@${version}`);
  }
  return hash.digest('hex');
}

/** Whether the stamp matches `hash` and every output file exists. */
export function isFresh(stampFile, hash, outputs) {
  if (!existsSync(stampFile) || !outputs.every((file) => existsSync(file))) return false;
  return readFileSync(stampFile, 'utf8').trim() === hash;
}
