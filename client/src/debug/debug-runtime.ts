/**
 * Which debugger a container needs: Node.js, Python (debugpy) or Go (Delve),
 * decided from what the container runs — its command line (the spec's
 * `command` + `args`, or the running process's `/proc/1/cmdline`), its image
 * name, and the first bytes of its executable (an ELF file with a Go build
 * ID is a Go program). A launch configuration's `runtime` overrides it all.
 * No `vscode` and no I/O here.
 */

export type DebugRuntime = 'node' | 'python' | 'go';

export const DEBUG_RUNTIMES: readonly DebugRuntime[] = ['node', 'python', 'go'];

export interface RuntimeGuess {
  runtime: DebugRuntime | undefined;
  /** Why, in words for the log and for error messages. */
  reason: string;
}

/** Python programs started through a launcher script, and the module that launcher runs (`python -m MODULE`). */
export const PYTHON_LAUNCHERS: Readonly<Record<string, string>> = {
  gunicorn: 'gunicorn',
  uvicorn: 'uvicorn',
  hypercorn: 'hypercorn',
  flask: 'flask',
  daphne: 'daphne',
  celery: 'celery',
  'django-admin': 'django',
  pytest: 'pytest',
  'waitress-serve': 'waitress',
};

const PYTHON_INTERPRETER = /^python(\d+(\.\d+)?)?$/;
const NODE_INTERPRETER = /^(node|nodejs)$/;
const NODE_TOOLS = /^(npm|npx|yarn|pnpm|ts-node|tsx|nodemon)$/;

/** The last part of a path (`/usr/bin/python3` → `python3`). */
export function baseName(path: string): string {
  return path.slice(path.lastIndexOf('/') + 1);
}

/** Whether a launch configuration's `runtime` names a runtime. */
export function isDebugRuntime(value: unknown): value is DebugRuntime {
  return typeof value === 'string' && (DEBUG_RUNTIMES as readonly string[]).includes(value);
}

/**
 * The runtime a command line runs (`argv[0]` is the program): an interpreter
 * (`python3`, `node`), a Python script (`app.py`) or launcher (`gunicorn`),
 * or a command already wrapped in a debugger (`python -m debugpy`, `dlv exec`).
 */
export function runtimeOfArgv(argv: readonly string[]): RuntimeGuess {
  const program = argv[0];
  if (program === undefined || program === '') return { runtime: undefined, reason: 'no command line' };
  const name = baseName(program);
  if (PYTHON_INTERPRETER.test(name) || name.startsWith('pypy'))
    return { runtime: 'python', reason: `the command runs ${name}` };
  if (name.endsWith('.py')) return { runtime: 'python', reason: `the command runs the Python script ${name}` };
  if (Object.hasOwn(PYTHON_LAUNCHERS, name))
    return { runtime: 'python', reason: `the command runs ${name}, a Python program` };
  if (name === 'debugpy') return { runtime: 'python', reason: 'the command runs debugpy' };
  if (name === 'dlv') return { runtime: 'go', reason: 'the command runs Delve' };
  if (NODE_INTERPRETER.test(name) || NODE_TOOLS.test(name))
    return { runtime: 'node', reason: `the command runs ${name}` };
  if (argv.some((a) => /^--inspect(-brk)?(=|$)/.test(a)))
    return { runtime: 'node', reason: 'the command has --inspect' };
  return { runtime: undefined, reason: `the command runs ${name}, which says nothing of its language` };
}

/** A hint from the image's name (`python:3.12-slim`, `node:20`, `golang:1.22`), used when the command line says nothing. */
export function runtimeOfImage(image: string): RuntimeGuess {
  const path = image.replace(/@.*$/, '');
  const repo = baseName(path.replace(/:[^/:]*$/, '')).toLowerCase();
  if (/^(python|pypy)/.test(repo) || /(^|[-_])(django|flask|fastapi|py)([-_]|$)/.test(repo))
    return { runtime: 'python', reason: `the image ${repo} is a Python image` };
  if (/^(node|nodejs)([-_]|$)/.test(repo)) return { runtime: 'node', reason: `the image ${repo} is a Node.js image` };
  if (/^golang([-_]|$)/.test(repo) || repo === 'go')
    return { runtime: 'go', reason: `the image ${repo} is a Go image` };
  return { runtime: undefined, reason: `the image ${repo} says nothing of its language` };
}

/**
 * Whether the first bytes of an executable are those of a Go program: an ELF
 * file that carries Go's build ID note (`Go\0\0` owner, type 4) or the
 * `Go build ID: "` string that the linker writes near its start. Reading the
 * first 32 KiB is enough, as Go's own `buildid` reader does.
 */
export function isGoExecutable(head: Uint8Array): boolean {
  const bytes = Buffer.from(head.buffer, head.byteOffset, head.byteLength);
  if (bytes.length < 16 || bytes.readUInt32BE(0) !== 0x7f454c46) return false; // \x7fELF
  if (bytes.includes(Buffer.from('\xff Go build ID: "', 'latin1'))) return true;
  if (bytes.includes(Buffer.from('Go build ID: "', 'latin1'))) return true;
  // The note: namesz 4, descsz n, type 4 (ELF_NOTE_GOBUILDID_TAG), name "Go\0\0".
  const owner = Buffer.from('Go\0\0', 'latin1');
  for (let at = bytes.indexOf(owner); at >= 12; at = bytes.indexOf(owner, at + 1)) {
    if (bytes.readUInt32LE(at - 12) === 4 && bytes.readUInt32LE(at - 4) === 4) return true;
  }
  return false;
}

/** What is known of a container when choosing its debugger. */
export interface RuntimeEvidence {
  /** A launch configuration's `runtime`. */
  override?: unknown;
  /** The command line: the spec's command + args, or the process's. */
  argv?: readonly string[];
  image?: string;
  /** The first bytes of the executable, when read from a running container. */
  executableHead?: Uint8Array;
}

/** The runtime, from the strongest evidence: the override, the command line, the executable, the image name. */
export function detectRuntime(evidence: RuntimeEvidence): RuntimeGuess {
  if (evidence.override !== undefined && evidence.override !== '') {
    if (isDebugRuntime(evidence.override))
      return { runtime: evidence.override, reason: `the launch configuration says ${evidence.override}` };
    return {
      runtime: undefined,
      reason: `runtime must be one of ${DEBUG_RUNTIMES.join(', ')} (it is ${JSON.stringify(evidence.override)})`,
    };
  }
  const byArgv = evidence.argv ? runtimeOfArgv(evidence.argv) : undefined;
  if (byArgv?.runtime) return byArgv;
  if (evidence.executableHead && isGoExecutable(evidence.executableHead))
    return { runtime: 'go', reason: 'the executable is a Go program (ELF with a Go build ID)' };
  const byImage = evidence.image ? runtimeOfImage(evidence.image) : undefined;
  if (byImage?.runtime) return byImage;
  return {
    runtime: undefined,
    reason: [byArgv?.reason, byImage?.reason].filter(Boolean).join('; ') || 'nothing known',
  };
}
