/**
 * Path globs as Skaffold's sync rules write them, matched against paths
 * relative to a build context with `/` separators: `*` (any run of characters
 * but `/`), `?` (one of them), `[abc]`, `[a-z]`, `[!a]`/`[^a]`, `{a,b}`
 * (alternatives, not nested), `**` as a whole segment (any number of
 * segments, none included) and `\` escaping the next character.
 *
 * Matching runs in time proportional to pattern length × path length (dynamic
 * programming, no regular expressions), so a pattern written to make a
 * backtracking matcher take forever (`*a*a*a*a*b`) costs nothing special.
 */

type Token =
  { t: 'lit'; c: string } | { t: 'star' } | { t: 'one' } | { t: 'class'; ranges: [string, string][]; not: boolean };
type Segment = 'globstar' | Token[];

const MAX_PATTERN = 1024;
const MAX_ALTERNATIVES = 64;

export class GlobError extends Error {}

export class Glob {
  private readonly alternatives: Segment[][];

  constructor(readonly pattern: string) {
    if (pattern.length > MAX_PATTERN) throw new GlobError(`the pattern is longer than ${MAX_PATTERN} characters`);
    if (pattern === '') throw new GlobError('the pattern is empty');
    this.alternatives = expandBraces(pattern).map(compile);
  }

  /** Whether `path` (relative, `/`-separated, no leading `./`) matches the whole pattern. */
  matches(path: string): boolean {
    const parts = path.split('/');
    return this.alternatives.some((segments) => matchSegments(segments, parts));
  }

  /** The shortest leading run of `path`'s segments that the pattern matches (a matched folder), if any. */
  matchedPrefix(path: string): string | undefined {
    const parts = path.split('/');
    for (let n = 1; n <= parts.length; n++) {
      const head = parts.slice(0, n);
      if (this.alternatives.some((segments) => matchSegments(segments, head))) return head.join('/');
    }
    return undefined;
  }

  /** Whether the pattern has any wildcard (else it names one path). */
  get isLiteral(): boolean {
    return (
      this.alternatives.length === 1 &&
      this.alternatives[0]!.every((s) => s !== 'globstar' && s.every((t) => t.t === 'lit'))
    );
  }
}

/** `a{b,c}d` → `abd`, `acd` (at most MAX_ALTERNATIVES; nested braces are refused). */
function expandBraces(pattern: string): string[] {
  let results = [''];
  let i = 0;
  while (i < pattern.length) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      results = results.map((r) => r + c + pattern[i + 1]!);
      i += 2;
    } else if (c === '{') {
      const close = pattern.indexOf('}', i);
      if (close < 0) throw new GlobError(`'{' at column ${i + 1} is not closed`);
      const body = pattern.slice(i + 1, close);
      if (body.includes('{')) throw new GlobError(`nested '{' at column ${i + 1} is not supported`);
      const options = body.split(',');
      if (results.length * options.length > MAX_ALTERNATIVES)
        throw new GlobError(`the pattern expands to more than ${MAX_ALTERNATIVES} alternatives`);
      results = results.flatMap((r) => options.map((o) => r + o));
      i = close + 1;
    } else {
      results = results.map((r) => r + c);
      i++;
    }
  }
  return results;
}

function compile(pattern: string): Segment[] {
  const segments: Segment[] = [];
  for (const part of splitUnescaped(pattern.replace(/^(\.\/)+/, ''))) {
    if (part === '**') {
      if (segments[segments.length - 1] !== 'globstar') segments.push('globstar');
    } else if (part !== '' && part !== '.') segments.push(tokens(part, pattern));
  }
  return segments;
}

function splitUnescaped(pattern: string): string[] {
  const parts: string[] = [];
  let current = '';
  for (let i = 0; i < pattern.length; i++) {
    const c = pattern[i]!;
    if (c === '\\' && i + 1 < pattern.length) {
      current += c + pattern[++i]!;
    } else if (c === '/') {
      parts.push(current);
      current = '';
    } else current += c;
  }
  parts.push(current);
  return parts;
}

function tokens(part: string, pattern: string): Token[] {
  const out: Token[] = [];
  for (let i = 0; i < part.length; i++) {
    const c = part[i]!;
    if (c === '\\' && i + 1 < part.length) out.push({ t: 'lit', c: part[++i]! });
    else if (c === '*') {
      if (out[out.length - 1]?.t !== 'star') out.push({ t: 'star' });
    } else if (c === '?') out.push({ t: 'one' });
    else if (c === '[') {
      const { token, end } = charClass(part, i, pattern);
      out.push(token);
      i = end;
    } else out.push({ t: 'lit', c });
  }
  return out;
}

function charClass(part: string, start: number, pattern: string): { token: Token; end: number } {
  let i = start + 1;
  const not = part[i] === '!' || part[i] === '^';
  if (not) i++;
  const ranges: [string, string][] = [];
  let first = true;
  while (i < part.length && (part[i] !== ']' || first)) {
    first = false;
    let lo = part[i]!;
    if (lo === '\\' && i + 1 < part.length) lo = part[++i]!;
    let hi = lo;
    if (part[i + 1] === '-' && i + 2 < part.length && part[i + 2] !== ']') {
      hi = part[i + 2]!;
      if (hi === '\\' && i + 3 < part.length) hi = part[++i + 2]!;
      i += 2;
    }
    if (hi < lo) throw new GlobError(`the range '${lo}-${hi}' in '${pattern}' runs backwards`);
    ranges.push([lo, hi]);
    i++;
  }
  if (i >= part.length) throw new GlobError(`'[' in '${pattern}' is not closed`);
  return { token: { t: 'class', ranges, not }, end: i };
}

function matchToken(token: Token, c: string): boolean {
  switch (token.t) {
    case 'lit':
      return token.c === c;
    case 'one':
      return true;
    case 'class':
      return token.ranges.some(([lo, hi]) => c >= lo && c <= hi) !== token.not;
    case 'star':
      return true;
  }
}

/** Wildcard match of one segment: table over (tokens consumed, characters consumed). */
function matchSegment(toks: readonly Token[], s: string): boolean {
  let row = new Array<boolean>(s.length + 1).fill(false);
  row[0] = true;
  for (const token of toks) {
    const next = new Array<boolean>(s.length + 1).fill(false);
    if (token.t === 'star') {
      let any = false;
      for (let j = 0; j <= s.length; j++) {
        any ||= row[j]!;
        next[j] = any;
      }
    } else for (let j = 1; j <= s.length; j++) next[j] = row[j - 1]! && matchToken(token, s[j - 1]!);
    row = next;
  }
  return row[s.length]!;
}

/** Segment match with `**`: table over (segments consumed, path parts consumed). */
function matchSegments(segments: readonly Segment[], parts: readonly string[]): boolean {
  let row = new Array<boolean>(parts.length + 1).fill(false);
  row[0] = true;
  for (const segment of segments) {
    const next = new Array<boolean>(parts.length + 1).fill(false);
    if (segment === 'globstar') {
      let any = false;
      for (let j = 0; j <= parts.length; j++) {
        any ||= row[j]!;
        next[j] = any;
      }
    } else for (let j = 1; j <= parts.length; j++) next[j] = row[j - 1]! && matchSegment(segment, parts[j - 1]!);
    row = next;
  }
  return row[parts.length]!;
}
