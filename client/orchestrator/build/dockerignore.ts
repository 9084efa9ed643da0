/**
 * `.dockerignore` as Docker reads it: one pattern a line, `#` comments, `!`
 * for an exception, paths cleaned and relative to the context (a leading `/`
 * dropped). `*` and `?` stay within one path element, `**` spans any number of
 * them, `[...]` is a class, `\` escapes. A path is excluded when the last
 * pattern that matches it, or one of its parent folders, is not an exception.
 */
import { posix } from 'node:path';

export interface IgnoreRule {
  /** The pattern as cleaned. */
  pattern: string;
  /** `!pattern`: matching paths are included again. */
  exception: boolean;
  /** 1-based line in the file. */
  line: number;
  regex: RegExp;
}

export class DockerignoreError extends Error {
  override name = 'DockerignoreError';
}

const MAX_PATTERN = 4096;
const MAX_RULES = 10_000;

/** The rules of a `.dockerignore` text; a pattern that cannot be compiled is a DockerignoreError naming its line. */
export function parseDockerignore(text: string): IgnoreRule[] {
  const rules: IgnoreRule[] = [];
  const lines = text.split(/\r?\n/);
  for (const [i, raw] of lines.entries()) {
    let pattern = raw.trim();
    if (pattern === '' || pattern.startsWith('#')) continue;
    if (rules.length >= MAX_RULES)
      throw new DockerignoreError(`.dockerignore:${i + 1}: more than ${MAX_RULES} patterns`);
    if (pattern.length > MAX_PATTERN)
      throw new DockerignoreError(`.dockerignore:${i + 1}: a pattern longer than ${MAX_PATTERN} characters`);
    const exception = pattern.startsWith('!');
    if (exception) pattern = pattern.slice(1).trim();
    if (pattern === '') continue;
    pattern = posix.normalize(pattern);
    if (pattern.length > 1 && pattern.startsWith('/')) pattern = pattern.slice(1);
    if (pattern.endsWith('/') && pattern.length > 1) pattern = pattern.slice(0, -1);
    rules.push({ pattern, exception, line: i + 1, regex: compile(pattern, i + 1) });
  }
  return rules;
}

/** A pattern as an anchored regular expression over `/`-separated relative paths. */
function compile(pattern: string, line: number): RegExp {
  let out = '^';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '*') {
      if (pattern[i + 1] === '*') {
        while (pattern[i + 1] === '*') i++; // `***` is `**`
        if (pattern[i + 1] === '/') {
          i++;
          out += '(?:.*/)?'; // `**/` : zero or more folders
        } else out += '.*';
      } else out += '[^/]*';
    } else if (c === '?') out += '[^/]';
    else if (c === '[') {
      const end = pattern.indexOf(']', i + 2);
      if (end === -1) throw new DockerignoreError(`.dockerignore:${line}: '[' without a closing ']' in '${pattern}'`);
      let body = pattern.slice(i + 1, end);
      if (body.startsWith('^') || body.startsWith('!')) body = `^${body.slice(1)}`;
      out += `[${body.replace(/[\\\]]/g, (m) => `\\${m}`)}]`;
      i = end;
    } else if (c === '\\') {
      const next = pattern[i + 1];
      if (next === undefined) throw new DockerignoreError(`.dockerignore:${line}: '\\' at the end of '${pattern}'`);
      out += escapeRegex(next);
      i++;
    } else out += escapeRegex(c);
  }
  try {
    return new RegExp(`${out}$`, 's');
  } catch (error) {
    throw new DockerignoreError(`.dockerignore:${line}: '${pattern}' is not a pattern (${(error as Error).message})`);
  }
}

const escapeRegex = (c: string) => c.replace(/[.*+?^${}()|[\]\\/]/g, '\\$&');

/** Whether a rule matches the path or one of its parent folders. */
function matches(rule: IgnoreRule, path: string): boolean {
  if (rule.regex.test(path)) return true;
  for (let slash = path.indexOf('/'); slash !== -1; slash = path.indexOf('/', slash + 1))
    if (rule.regex.test(path.slice(0, slash))) return true;
  return false;
}

/** Whether a context-relative path (`/`-separated, no leading `./`) is left out of the context. */
export function isIgnored(rules: readonly IgnoreRule[], path: string): boolean {
  let ignored = false;
  for (const rule of rules) if (rule.exception === ignored && matches(rule, path)) ignored = !rule.exception;
  return ignored;
}

/** Whether some exception could include a path below an ignored folder (then the walk must go into it). */
export function hasExceptions(rules: readonly IgnoreRule[]): boolean {
  return rules.some((r) => r.exception);
}
