/**
 * The key/value pairs of a configMapGenerator or secretGenerator entry, read as kustomize reads them: `envs`
 * files first (one `KEY=value` per line; blank lines and `#` comments skipped; a line without `=` is the key
 * with an empty value; a byte order mark on the first line dropped), then `literals` (`key=value`, the value's
 * matching surrounding quotes removed), then `files` (`path` keyed by its base name, or `key=path`). Files are
 * read through the host, relative to the kustomization's folder, and must lie inside it (kustomize's default
 * load restriction).
 */
import * as path from 'node:path';
import type { KustomizeHost } from './index';

export interface Pair {
  key: string;
  value: string;
}

/** Where a problem is: the generator field and the index of its entry. */
export interface SourceProblem {
  message: string;
  field: 'literals' | 'files' | 'envs' | 'env' | 'name' | 'behavior' | 'options' | 'type';
  index?: number;
}

export class SourceError extends Error {
  constructor(readonly problem: SourceProblem) {
    super(problem.message);
    this.name = 'SourceError';
  }
}

function fail(problem: SourceProblem): never {
  throw new SourceError(problem);
}

/** `key=value` of a literal; the value loses one pair of matching surrounding quotes. */
export function parseLiteral(source: string, index: number): Pair {
  const eq = source.indexOf('=');
  if (eq <= 0)
    fail({ message: `invalid literal source ${JSON.stringify(source)}, expected key=value`, field: 'literals', index });
  const key = source.slice(0, eq);
  let value = source.slice(eq + 1);
  if (value.length >= 2 && value[0] === value[value.length - 1] && (value[0] === '"' || value[0] === "'"))
    value = value.slice(1, -1);
  return { key, value };
}

/** `path` (keyed by its base name) or `key=path`. */
export function parseFileSource(source: string, index: number): { key: string; file: string } {
  const count = source.split('=').length - 1;
  if (count === 0) return { key: path.posix.basename(source), file: source };
  if (count > 1)
    fail({ message: `source ${JSON.stringify(source)} key name or file path contains '='`, field: 'files', index });
  const [key, file] = source.split('=') as [string, string];
  if (key === '')
    fail({
      message: `missing key name for file path ${JSON.stringify(file)} in source ${JSON.stringify(source)}`,
      field: 'files',
      index,
    });
  if (file === '')
    fail({
      message: `missing file path for key name ${JSON.stringify(key)} in source ${JSON.stringify(source)}`,
      field: 'files',
      index,
    });
  return { key, file };
}

/** Go's unicode.IsSpace (JavaScript's \s also takes U+FEFF, which Go keeps). */
const GO_LEADING_SPACE = /^[\t\n\v\f\r \u0085\u00a0\u1680\u2000-\u200a\u2028\u2029\u202f\u205f\u3000]+/;

/** The pairs of an env file's text. */
export function parseEnvFile(text: string): Pair[] {
  const pairs: Pair[] = [];
  text.split('\n').forEach((raw, n) => {
    let line = raw.endsWith('\r') ? raw.slice(0, -1) : raw;
    if (n === 0 && line.startsWith('\ufeff')) line = line.slice(1);
    line = line.replace(GO_LEADING_SPACE, '');
    if (line === '' || line.startsWith('#')) return;
    const eq = line.indexOf('=');
    pairs.push(eq === -1 ? { key: line, value: '' } : { key: line.slice(0, eq), value: line.slice(eq + 1) });
  });
  return pairs;
}

/** Reads a file named in the kustomization in `dir`; refuses one outside it. */
export function readSource(
  host: KustomizeHost,
  dir: string,
  file: string,
  where: Omit<SourceProblem, 'message'>,
): { path: string; text: string } {
  const full = path.resolve(dir, file);
  const rel = path.relative(dir, full);
  if (rel.startsWith('..') || path.isAbsolute(rel))
    fail({ ...where, message: `security; file '${full}' is not in or below '${dir}'` });
  const text = host.isDirectory(full) ? undefined : host.readFile(full);
  if (text === undefined) fail({ ...where, message: `cannot read file '${file}' (missing, unreadable or a folder)` });
  return { path: full, text };
}

const strings = (v: unknown, field: SourceProblem['field']): string[] => {
  if (v === undefined || v === null) return [];
  if (!Array.isArray(v)) fail({ message: `${field} must be a list of strings`, field });
  return v.map((s, index) =>
    typeof s === 'string' ? s : fail({ message: `${field} entries must be strings`, field, index }),
  );
};

/** Every pair of a generator entry, in kustomize's order, and the files read. Throws SourceError. */
export function loadPairs(
  args: { literals?: unknown; files?: unknown; envs?: unknown; env?: unknown },
  host: KustomizeHost,
  dir: string,
): { pairs: Pair[]; files: string[] } {
  const pairs: Pair[] = [];
  const files: string[] = [];
  const envs: { file: string; where: Omit<SourceProblem, 'message'> }[] = strings(args.envs, 'envs').map(
    (file, index) => ({ file, where: { field: 'envs', index } }),
  );
  if (typeof args.env === 'string' && args.env !== '')
    envs.push({ file: args.env, where: { field: 'env' as const, index: 0 } });
  for (const { file, where } of envs) {
    const read = readSource(host, dir, file, where);
    files.push(read.path);
    pairs.push(...parseEnvFile(read.text));
  }
  strings(args.literals, 'literals').forEach((s, index) => pairs.push(parseLiteral(s, index)));
  strings(args.files, 'files').forEach((s, index) => {
    const { key, file } = parseFileSource(s, index);
    const read = readSource(host, dir, file, { field: 'files', index });
    files.push(read.path);
    pairs.push({ key, value: read.text });
  });
  return { pairs, files };
}
