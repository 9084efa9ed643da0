/**
 * The files that manifest globs name (`k8s/*.yaml`, `deploy/**\/*.yml`), as
 * Skaffold's `rawYaml` takes them: `*`, `?` and `[...]` within one path
 * element, `**` across any number of folders. Symbolic links to folders are
 * not followed (no loops); at most 10,000 files.
 */
import { promises as fs } from 'node:fs';
import { join, sep } from 'node:path';

const MAX_FILES = 10_000;
const MAGIC = /[*?[]/;

function segmentRegex(segment: string): RegExp {
  let out = '^';
  for (let i = 0; i < segment.length; i++) {
    const c = segment[i]!;
    if (c === '*') out += '.*';
    else if (c === '?') out += '.';
    else if (c === '[') {
      const end = segment.indexOf(']', i + 2);
      if (end === -1) out += '\\[';
      else {
        const body = segment
          .slice(i + 1, end)
          .replace(/^!/, '^')
          .replace(/\\/g, '\\\\');
        out += `[${body}]`;
        i = end;
      }
    } else out += c.replace(/[.+^${}()|\\/]/g, '\\$&');
  }
  return new RegExp(`${out}$`, 's');
}

async function entries(dir: string): Promise<{ name: string; dir: boolean }[]> {
  try {
    const list = await fs.readdir(dir, { withFileTypes: true });
    return list.map((d) => ({ name: d.name, dir: d.isDirectory() })).sort((a, b) => (a.name < b.name ? -1 : 1));
  } catch {
    return [];
  }
}

/** The regular files an absolute glob (or plain path) matches, sorted. */
export async function expandGlob(glob: string): Promise<string[]> {
  const parts = glob.split(sep);
  const first = parts.findIndex((p) => MAGIC.test(p));
  if (first === -1) {
    const st = await fs.stat(glob).catch(() => undefined);
    if (st?.isFile()) return [glob];
    if (st?.isDirectory())
      return (await entries(glob))
        .filter((e) => !e.dir && /\.(ya?ml|json)$/i.test(e.name))
        .map((e) => join(glob, e.name));
    return [];
  }
  const base = parts.slice(0, first).join(sep) || sep;
  const rest = parts.slice(first);
  const out: string[] = [];
  const walk = async (dir: string, i: number): Promise<void> => {
    if (out.length >= MAX_FILES || i >= rest.length) return;
    const segment = rest[i]!;
    const last = i === rest.length - 1;
    if (segment === '**') {
      await walk(dir, i + 1); // zero folders
      for (const e of await entries(dir)) if (e.dir && !e.name.startsWith('.')) await walk(join(dir, e.name), i);
      return;
    }
    if (!MAGIC.test(segment)) {
      if (last) {
        const st = await fs.stat(join(dir, segment)).catch(() => undefined);
        if (st?.isFile()) out.push(join(dir, segment));
      } else await walk(join(dir, segment), i + 1);
      return;
    }
    const regex = segmentRegex(segment);
    for (const e of await entries(dir)) {
      if (!regex.test(e.name) || (e.name.startsWith('.') && !segment.startsWith('.'))) continue;
      if (last && !e.dir) out.push(join(dir, e.name));
      else if (!last && e.dir) await walk(join(dir, e.name), i + 1);
    }
  };
  await walk(base, 0);
  return [...new Set(out)].sort();
}

/** Every file the globs match, in glob order without repeats, and the globs that matched nothing. */
export async function expandGlobs(globs: readonly string[]): Promise<{ files: string[]; unmatched: string[] }> {
  const files: string[] = [];
  const unmatched: string[] = [];
  for (const glob of globs) {
    const found = await expandGlob(glob);
    if (found.length === 0) unmatched.push(glob);
    for (const f of found) if (!files.includes(f)) files.push(f);
  }
  return { files, unmatched };
}
