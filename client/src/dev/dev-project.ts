/**
 * What `kube-workbench run PATH` (and Run in the editor) works on: the build
 * configuration (a skaffold.yaml, plus the images setting) and the manifest
 * files. PATH is a skaffold.yaml, a folder holding one, or manifest files and
 * folders (then images are built only when a skaffold.yaml above them, or the
 * setting, says how).
 */
import { promises as fs } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { expandGlobs } from './manifest-globs.js';
import { readSkaffoldConfig, type DevConfig } from './skaffold-config.js';

export interface DevProject {
  /** The skaffold.yaml read, if any. */
  skaffoldFile?: string;
  config: DevConfig;
  manifestFiles: string[];
}

const SKAFFOLD_NAMES = ['skaffold.yaml', 'skaffold.yml'];
const MAX_CONFIG = 1024 * 1024;

async function isFile(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isFile() ?? false;
}

async function isDirectory(path: string): Promise<boolean> {
  return (await fs.stat(path).catch(() => undefined))?.isDirectory() ?? false;
}

/** The skaffold.yaml in a folder, if there is one. */
export async function skaffoldIn(dir: string): Promise<string | undefined> {
  for (const name of SKAFFOLD_NAMES) if (await isFile(join(dir, name))) return join(dir, name);
  return undefined;
}

/** The nearest skaffold.yaml in the file's folder or a folder above it, not above `stop`. */
export async function findSkaffoldFor(file: string, stop: string): Promise<string | undefined> {
  let dir = dirname(resolve(file));
  const top = resolve(stop);
  for (;;) {
    const found = await skaffoldIn(dir);
    if (found) return found;
    if (dir === top || !dir.startsWith(top) || dirname(dir) === dir) return undefined;
    dir = dirname(dir);
  }
}

/** Reads a skaffold.yaml file (at most 1 MB). */
export async function readSkaffoldFile(file: string): Promise<DevConfig> {
  const st = await fs.stat(file);
  if (st.size > MAX_CONFIG)
    return {
      artifacts: [],
      manifests: [],
      warnings: [],
      errors: [{ message: `skaffold.yaml is ${st.size} bytes, more than ${MAX_CONFIG}`, file, line: 1, column: 1 }],
    };
  return readSkaffoldConfig(await fs.readFile(file, 'utf8'), file);
}

const empty = (): DevConfig => ({ artifacts: [], manifests: [], warnings: [], errors: [] });

/** Loads PATH(s) as `kube-workbench run` takes them; throws with a readable message when there is nothing to run. */
export async function loadDevProject(paths: readonly string[], cwd = process.cwd()): Promise<DevProject> {
  const given = paths.length === 0 ? [cwd] : paths.map((p) => resolve(cwd, p));
  if (given.length === 1) {
    const path = given[0]!;
    const skaffold = (await isDirectory(path))
      ? await skaffoldIn(path)
      : SKAFFOLD_NAMES.includes(basename(path))
        ? path
        : undefined;
    if (skaffold) {
      const config = await readSkaffoldFile(skaffold);
      const { files, unmatched } = await expandGlobs(config.manifests);
      for (const glob of unmatched)
        config.warnings.push({ message: `no manifest matches ${glob}`, file: skaffold, line: 1, column: 1 });
      return { skaffoldFile: skaffold, config, manifestFiles: files };
    }
  }
  const missing: string[] = [];
  for (const p of given) if (!(await isFile(p)) && !(await isDirectory(p))) missing.push(p);
  if (missing.length > 0) throw new Error(`no such file or folder: ${missing.join(', ')}`);
  const { files } = await expandGlobs(given);
  // Manifests without a skaffold.yaml of their own: a skaffold.yaml beside or above the first one says how to build.
  const skaffold = files[0] ? await findSkaffoldFor(files[0], cwd) : undefined;
  const config = skaffold ? await readSkaffoldFile(skaffold) : empty();
  config.manifests = [];
  return { ...(skaffold ? { skaffoldFile: skaffold } : {}), config, manifestFiles: files };
}
