/**
 * Where a Dockerfile puts the build context's files: its COPY and ADD
 * instructions in the stage that becomes the image (the last one, or the
 * build's target), with each destination made absolute against the WORKDIR in
 * force at that line. `sync.infer` uses it to send a saved file to the same
 * place the image holds it.
 *
 * Read: line continuations, comments, the `escape` parser directive, JSON and
 * shell forms, `--chown`/`--chmod`/`--link` flags, `$VAR`/`${VAR}` from ARG
 * defaults and ENV of the stage. Left out (never synced): `COPY --from` (a
 * stage's or image's files, not the context's), ADD of URLs and archives,
 * heredocs.
 */
import { posix } from 'node:path';
import { Glob } from './sync-glob.js';

export interface ContextCopy {
  /** Context-relative sources as written (after variable expansion). */
  sources: string[];
  /** Absolute destination in the image. */
  dest: string;
  /** The destination is a folder (ends in `/` or `.`, several or wildcard sources, or a WORKDIR or folder made before). */
  destIsFolder: boolean;
  /** 1-based line of the instruction. */
  line: number;
}

interface Instruction {
  keyword: string;
  args: string;
  line: number;
}

export interface ImageLayout {
  copies: ContextCopy[];
  /** The stage's last WORKDIR (where a relative sync destination lands), `/` without one. */
  workdir: string;
}

/** The context copies of the image's stage (`target` when given, else the last). */
export function imageLayout(dockerfile: string, target?: string): ImageLayout {
  const stages = splitStages(instructions(dockerfile));
  const stage =
    (target !== undefined ? stages.find((s) => s.name === target.toLowerCase()) : undefined) ?? stages.at(-1);
  if (!stage) return { copies: [], workdir: '/' };
  const vars = new Map<string, string>(stage.globalArgs);
  let workdir = '/';
  /** Folders the image is known to have by then: a COPY to one of them copies into it. */
  const folders = new Set<string>(['/']);
  const copies: ContextCopy[] = [];
  for (const ins of stage.instructions) {
    const expand = (s: string) => expandVars(s, vars);
    if (ins.keyword === 'WORKDIR') {
      workdir = posix.resolve(workdir, expand(unquote(ins.args.trim())));
      addFolder(folders, workdir);
    } else if (ins.keyword === 'ARG' || ins.keyword === 'ENV')
      for (const [k, v] of assignments(ins)) vars.set(k, expand(v));
    else if (ins.keyword === 'COPY' || ins.keyword === 'ADD') {
      const { flags, words } = splitFlags(ins.args);
      if (flags.some((f) => f.startsWith('--from'))) continue;
      if (words.length < 2 || words[0]!.startsWith('<<')) continue;
      const expanded = words.map(expand);
      const destWritten = expanded.at(-1)!;
      let sources = expanded.slice(0, -1);
      if (ins.keyword === 'ADD')
        sources = sources.filter((s) => !/^[a-z]+:\/\//i.test(s) && !/\.(tar|tgz|tar\.\w+)$/i.test(s));
      if (sources.length === 0) continue;
      const wildcard = sources.some((s) => /[*?[]/.test(s));
      const dest = posix.resolve(workdir, destWritten);
      const destIsFolder = /(^|\/)\.{0,2}$/.test(destWritten) || sources.length > 1 || wildcard || folders.has(dest);
      if (destIsFolder) addFolder(folders, dest);
      copies.push({ sources, dest, destIsFolder, line: ins.line });
    }
  }
  return { copies, workdir };
}

/**
 * Where the image holds a context file (relative, `/`-separated), by the last
 * copy that takes it; undefined when none does.
 */
export function imagePathOf(copies: readonly ContextCopy[], file: string): string | undefined {
  for (let c = copies.length - 1; c >= 0; c--) {
    const copy = copies[c]!;
    for (const written of copy.sources) {
      const src = posix.normalize(written.replace(/^\/+/, '')).replace(/\/+$/, '');
      if (src === '.' || src === '') return posix.join(copy.dest, file);
      if (src.startsWith('../')) continue;
      if (file === src) return copy.destIsFolder ? posix.join(copy.dest, posix.basename(file)) : copy.dest;
      if (file.startsWith(src + '/')) return posix.join(copy.dest, file.slice(src.length + 1));
      if (/[*?[]/.test(src)) {
        let glob: Glob;
        try {
          glob = new Glob(src.replace(/[{}]/g, '\\$&'));
        } catch {
          continue;
        }
        if (glob.matches(file)) return posix.join(copy.dest, posix.basename(file));
        const folder = glob.matchedPrefix(file);
        if (folder !== undefined) return posix.join(copy.dest, file.slice(folder.length + 1));
      }
    }
  }
  return undefined;
}

function addFolder(folders: Set<string>, path: string): void {
  for (let p = path; !folders.has(p); p = posix.dirname(p)) folders.add(p);
}

interface Stage {
  name: string | undefined;
  instructions: Instruction[];
  globalArgs: [string, string][];
}

function splitStages(all: Instruction[]): Stage[] {
  const stages: Stage[] = [];
  const globalArgs: [string, string][] = [];
  for (const ins of all) {
    if (ins.keyword === 'FROM') {
      const m = /\s+as\s+(\S+)\s*$/i.exec(ins.args);
      stages.push({ name: m?.[1]?.toLowerCase(), instructions: [], globalArgs: [...globalArgs] });
    } else if (stages.length === 0) {
      if (ins.keyword === 'ARG') globalArgs.push(...assignments(ins));
    } else stages.at(-1)!.instructions.push(ins);
  }
  return stages;
}

/** The instructions with continuation lines joined, comments and directives dropped. */
function instructions(text: string): Instruction[] {
  const lines = text.split(/\r?\n/);
  let escape = '\\';
  let i = 0;
  for (; i < lines.length; i++) {
    const m = /^#\s*([a-z]+)\s*=\s*(\S+)\s*$/i.exec(lines[i]!);
    if (!m) break;
    if (m[1]!.toLowerCase() === 'escape' && (m[2] === '`' || m[2] === '\\')) escape = m[2];
  }
  const out: Instruction[] = [];
  let pending: { text: string; line: number } | undefined;
  for (; i < lines.length; i++) {
    const raw = lines[i]!;
    const trimmed = raw.trim();
    if (trimmed.startsWith('#')) continue;
    if (pending === undefined && trimmed === '') continue;
    const continued = trimmed.endsWith(escape);
    const body = continued ? trimmed.slice(0, -1) : trimmed;
    pending = pending ? { text: `${pending.text} ${body}`, line: pending.line } : { text: body, line: i + 1 };
    if (continued) continue;
    const m = /^(\S+)\s*(.*)$/s.exec(pending.text.trim());
    if (m) out.push({ keyword: m[1]!.toUpperCase(), args: m[2]!, line: pending.line });
    pending = undefined;
  }
  return out;
}

function splitFlags(args: string): { flags: string[]; words: string[] } {
  const trimmed = args.trim();
  let rest = trimmed;
  const flags: string[] = [];
  for (;;) {
    const m = /^(--\S+)\s+/.exec(rest);
    if (!m) break;
    flags.push(m[1]!);
    rest = rest.slice(m[0].length);
  }
  if (rest.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(rest);
      if (Array.isArray(parsed) && parsed.every((w) => typeof w === 'string')) return { flags, words: parsed };
    } catch {
      // not JSON: the shell form below
    }
  }
  return {
    flags,
    words: rest
      .split(/\s+/)
      .filter((w) => w !== '')
      .map(unquote),
  };
}

function unquote(s: string): string {
  return s.length >= 2 && (s[0] === '"' || s[0] === "'") && s.at(-1) === s[0] ? s.slice(1, -1) : s;
}

/** `ARG A=1 B`, `ENV A=1 B=2`, the old `ENV A 1`; an ARG without a default is left out. */
function assignments(ins: Instruction): [string, string][] {
  const args = ins.args.trim();
  if (ins.keyword === 'ENV' && !/^[^\s=]+=/.test(args)) {
    const m = /^(\S+)\s+(.*)$/s.exec(args);
    return m ? [[m[1]!, unquote(m[2]!.trim())]] : [];
  }
  const out: [string, string][] = [];
  for (const word of args.match(/[^\s"']+=(?:"[^"]*"|'[^']*'|\S*)/g) ?? []) {
    const eq = word.indexOf('=');
    out.push([word.slice(0, eq), unquote(word.slice(eq + 1))]);
  }
  return out;
}

/** `$A`, `${A}`, `${A:-x}`, `${A:+x}`; unknown variables are empty, as in the builder. */
function expandVars(s: string, vars: ReadonlyMap<string, string>): string {
  return s.replace(
    /\$(?:\{([A-Za-z_][A-Za-z0-9_]*)(?::([-+])([^}]*))?\}|([A-Za-z_][A-Za-z0-9_]*))/g,
    (_m, braced, op, word, bare) => {
      const name = (braced ?? bare) as string;
      const value = vars.get(name);
      if (op === '-') return value ? value : (word as string);
      if (op === '+') return value ? (word as string) : '';
      return value ?? '';
    },
  );
}
