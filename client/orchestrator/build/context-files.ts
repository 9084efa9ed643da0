/**
 * The files of a build context, as Docker would send them: every path under
 * the context folder that `.dockerignore` keeps (the Dockerfile and
 * `.dockerignore` always), in path order. Symbolic links are sent as links,
 * never followed, so a link loop or a link out of the context reads nothing
 * outside it; FIFOs, sockets and devices are skipped with a warning; a file or
 * context too large, a context that is not a folder, and a Dockerfile outside
 * the context are refused with a ContextError that names the path.
 */
import { promises as fs, type Stats } from 'node:fs';
import { isAbsolute, join, relative, resolve, sep } from 'node:path';
import { readUntrustedFile, UntrustedFileError } from '../protocol/untrusted-file';
import { DockerignoreError, isIgnored, parseDockerignore, type IgnoreRule } from './dockerignore';

export interface ContextEntry {
  /** Relative to the context, `/`-separated. */
  path: string;
  abs: string;
  type: 'file' | 'dir' | 'symlink';
  /** Permission bits. */
  mode: number;
  size: number;
  mtimeMs: number;
  linkTarget?: string;
}

export interface ContextListing {
  /** The context folder, resolved. */
  root: string;
  /** The Dockerfile, absolute and relative to the context. */
  dockerfile: string;
  dockerfileRel: string;
  entries: ContextEntry[];
  warnings: string[];
}

export interface ContextLimits {
  maxFileBytes: number;
  maxTotalBytes: number;
  maxEntries: number;
  maxDepth: number;
}

export const DEFAULT_LIMITS: ContextLimits = {
  maxFileBytes: 2 ** 30,
  maxTotalBytes: 4 * 2 ** 30,
  maxEntries: 200_000,
  maxDepth: 128,
};

export class ContextError extends Error {
  override name = 'ContextError';
}

const inside = (root: string, path: string) => path === root || path.startsWith(root + sep);

/** Lists the context of one artifact. */
export async function listContext(
  contextDir: string,
  dockerfile = 'Dockerfile',
  limits: ContextLimits = DEFAULT_LIMITS,
): Promise<ContextListing> {
  let root: string;
  try {
    root = await fs.realpath(resolve(contextDir));
    if (!(await fs.stat(root)).isDirectory()) throw new ContextError(`the build context ${contextDir} is not a folder`);
  } catch (error) {
    if (error instanceof ContextError) throw error;
    throw new ContextError(`the build context ${contextDir} cannot be read (${(error as NodeJS.ErrnoException).code})`);
  }
  const dockerfileAbs = resolve(root, dockerfile);
  if (!inside(root, dockerfileAbs) || isAbsolute(relative(root, dockerfileAbs)))
    throw new ContextError(`the Dockerfile ${dockerfile} is outside the build context ${root}`);
  const dockerfileStat = await fs.lstat(dockerfileAbs).catch(() => undefined);
  if (!dockerfileStat) throw new ContextError(`there is no Dockerfile at ${dockerfileAbs}`);
  if (!dockerfileStat.isFile()) throw new ContextError(`the Dockerfile ${dockerfileAbs} is not a regular file`);
  const dockerfileRel = relative(root, dockerfileAbs).split(sep).join('/');

  let rules: IgnoreRule[] = [];
  try {
    const text = await readUntrustedFile(join(root, '.dockerignore'), 1024 * 1024);
    if (text !== undefined) rules = parseDockerignore(text);
  } catch (error) {
    if (error instanceof UntrustedFileError) throw new ContextError(`.dockerignore is not valid: ${error.message}`);
    if (error instanceof DockerignoreError) throw new ContextError(error.message);
    throw error;
  }
  const always = new Set([dockerfileRel, '.dockerignore']);
  const listing: ContextListing = { root, dockerfile: dockerfileAbs, dockerfileRel, entries: [], warnings: [] };
  let total = 0;

  const visit = async (dir: string, rel: string, depth: number): Promise<void> => {
    if (depth > limits.maxDepth)
      throw new ContextError(`the build context nests folders deeper than ${limits.maxDepth} at ${rel}`);
    const names = (await fs.readdir(dir)).sort();
    for (const name of names) {
      const path = rel === '' ? name : `${rel}/${name}`;
      const abs = join(dir, name);
      const ignored = !always.has(path) && isIgnored(rules, path);
      let st: Stats;
      try {
        st = await fs.lstat(abs);
      } catch (error) {
        listing.warnings.push(`${path}: skipped (${(error as NodeJS.ErrnoException).code ?? 'unreadable'})`);
        continue;
      }
      // An ignored folder may still hold a path an exception includes: look inside when there are exceptions.
      if (ignored && !(st.isDirectory() && rules.some((r) => r.exception))) continue;
      if (listing.entries.length >= limits.maxEntries)
        throw new ContextError(`the build context has more than ${limits.maxEntries} files; add a .dockerignore`);
      const base = { path, abs, mode: st.mode & 0o7777, mtimeMs: st.mtimeMs };
      if (st.isDirectory()) {
        const before = listing.entries.length;
        if (!ignored) listing.entries.push({ ...base, type: 'dir', size: 0 });
        await visit(abs, path, depth + 1);
        // An ignored folder that an exception reaches into is sent too, so the files in it have a parent.
        if (ignored && listing.entries.length > before)
          listing.entries.splice(before, 0, { ...base, type: 'dir', size: 0 });
      } else if (ignored) continue;
      else if (st.isSymbolicLink()) {
        const linkTarget = await fs.readlink(abs);
        listing.entries.push({ ...base, type: 'symlink', size: 0, linkTarget });
      } else if (st.isFile()) {
        if (st.size > limits.maxFileBytes)
          throw new ContextError(
            `${path} is ${st.size} bytes, more than a build context file may be (${limits.maxFileBytes}); add it to .dockerignore`,
          );
        total += st.size;
        if (total > limits.maxTotalBytes)
          throw new ContextError(
            `the build context is more than ${limits.maxTotalBytes} bytes (at ${path}); add a .dockerignore`,
          );
        listing.entries.push({ ...base, type: 'file', size: st.size });
      } else {
        const what = st.isFIFO() ? 'a FIFO' : st.isSocket() ? 'a socket' : 'a device';
        listing.warnings.push(`${path}: skipped, it is ${what}`);
      }
    }
  };
  try {
    await visit(root, '', 0);
  } catch (error) {
    if (error instanceof ContextError) throw error;
    const e = error as NodeJS.ErrnoException;
    throw new ContextError(`the build context cannot be read: ${e.code ?? ''} ${e.path ?? e.message}`.trim());
  }
  return listing;
}
