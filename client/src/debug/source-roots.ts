/**
 * Where the workspace's sources are in the container, for breakpoints: the
 * folder the Dockerfile copies its build context to (`COPY . /app`, or
 * `COPY . .` after `WORKDIR /app`), so `localRoot` (the build context) maps
 * to `remoteRoot`. In a multi-stage build the stage that copies the whole
 * context is the one that compiled the program (a Go binary's debug
 * information names the files where they were compiled). A launch
 * configuration's `localRoot`/`remoteRoot` override this. No `vscode` and no I/O here.
 */
import { posix } from 'node:path';

export interface SourceRoots {
  localRoot: string;
  remoteRoot: string;
}

/** A Dockerfile's instructions with continuation lines joined and comments dropped. */
function instructions(text: string): { keyword: string; rest: string }[] {
  const out: { keyword: string; rest: string }[] = [];
  let pending = '';
  for (const raw of text.split(/\r?\n/)) {
    const line = raw.trim();
    if (pending === '' && (line === '' || line.startsWith('#'))) continue;
    if (line.endsWith('\\')) {
      pending += `${line.slice(0, -1)} `;
      continue;
    }
    const full = (pending + line).trim();
    pending = '';
    const m = /^([A-Za-z]+)\s+(.*)$/.exec(full);
    if (m) out.push({ keyword: m[1]!.toUpperCase(), rest: m[2]!.trim() });
  }
  return out;
}

/** The words of a COPY/ADD: the JSON form or whitespace-separated, with `--flag` options apart. */
function copyWords(rest: string): { flags: string[]; paths: string[] } | undefined {
  const words: string[] = [];
  const flags: string[] = [];
  let body = rest;
  for (;;) {
    const m = /^(--\S+)\s+/.exec(body);
    if (!m) break;
    flags.push(m[1]!);
    body = body.slice(m[0].length);
  }
  if (body.startsWith('[')) {
    try {
      const parsed: unknown = JSON.parse(body);
      if (!Array.isArray(parsed) || !parsed.every((p) => typeof p === 'string')) return undefined;
      words.push(...parsed);
    } catch {
      return undefined;
    }
  } else words.push(...body.split(/\s+/).filter(Boolean));
  return { flags, paths: words };
}

function resolveIn(workdir: string, path: string): string {
  return posix.normalize(posix.isAbsolute(path) ? path : posix.join(workdir, path)).replace(/(.)\/$/, '$1');
}

/**
 * The folder in the image the Dockerfile copies its whole build context to,
 * or undefined when it copies none (`COPY . DEST`, `COPY ./ DEST`; not
 * `--from=` copies, which take files from another stage). The last stage that
 * does so wins.
 */
export function contextDestination(dockerfile: string): string | undefined {
  let workdir = '/';
  let found: string | undefined;
  for (const { keyword, rest } of instructions(dockerfile)) {
    if (keyword === 'FROM') workdir = '/';
    else if (keyword === 'WORKDIR') workdir = resolveIn(workdir, rest.replace(/^["']|["']$/g, ''));
    else if (keyword === 'COPY' || keyword === 'ADD') {
      const words = copyWords(rest);
      if (!words || words.flags.some((f) => f.startsWith('--from')) || words.paths.length < 2) continue;
      const sources = words.paths.slice(0, -1);
      const dest = words.paths[words.paths.length - 1]!;
      if (sources.some((s) => s === '.' || s === './')) found = resolveIn(workdir, dest);
    }
  }
  return found;
}

/** The roots to map: a launch configuration's, else the build context and where the Dockerfile copies it, else the container's working directory. */
export function sourceRoots(options: {
  localRoot?: string | undefined;
  remoteRoot?: string | undefined;
  /** The folder that holds the Dockerfile (the build context) and the Dockerfile's text. */
  dockerfile?: { context: string; text: string } | undefined;
  workingDir?: string | undefined;
  workspaceFolder?: string | undefined;
}): SourceRoots | undefined {
  const fromDockerfile = options.dockerfile ? contextDestination(options.dockerfile.text) : undefined;
  const localRoot =
    options.localRoot ?? (fromDockerfile ? options.dockerfile?.context : undefined) ?? options.workspaceFolder;
  const remoteRoot = options.remoteRoot ?? fromDockerfile ?? options.workingDir;
  return localRoot !== undefined && remoteRoot !== undefined ? { localRoot, remoteRoot } : undefined;
}
