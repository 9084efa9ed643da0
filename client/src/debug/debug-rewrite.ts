/**
 * The command rewrite that starts a container under its language's debugger,
 * as Skaffold's `debug` does: at apply time the container's command line
 * (`command` + `args`) is replaced by the debugger wrapping it —
 * `python3 -m debugpy --listen 0.0.0.0:PORT …` for Python,
 * `dlv exec --headless … --continue BIN -- ARGS` for Go — and the pod
 * template is marked with an annotation, so the change rolls out and a second
 * rewrite is a no-op. The manifest on disk is never changed. No `vscode` and
 * no I/O here.
 */
import { PYTHON_LAUNCHERS, baseName, type DebugRuntime } from './debug-runtime.js';

type Json = Record<string, unknown>;

/** The annotation on the rewritten pod template: `RUNTIME:PORT` of the debugger in container `NAME` (`NAME=RUNTIME:PORT`). */
export const DEBUG_ANNOTATION = 'kube-workbench.dev/debug';

/** The debugger's port in the container, unless a launch configuration gives one. */
export const DEFAULT_DEBUG_PORTS: Readonly<Record<'python' | 'go', number>> = { python: 5678, go: 2345 };

function isRecord(value: unknown): value is Json {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

function strings(value: unknown): string[] {
  return Array.isArray(value) ? value.filter((v): v is string => typeof v === 'string') : [];
}

/** Python interpreter options that take a value as the next argument. */
const PYTHON_VALUE_OPTIONS = new Set(['-W', '-X', '--check-hash-based-pycs']);

/** Whether the command line is already wrapped in a debugger (rewriting it again would nest them). */
export function isUnderDebugger(argv: readonly string[]): boolean {
  const name = baseName(argv[0] ?? '');
  if (name === 'dlv' || name === 'debugpy') return true;
  const m = argv.indexOf('-m');
  return m > 0 && argv[m + 1] === 'debugpy';
}

/**
 * The Python command line under debugpy: after the interpreter's own options
 * (`python3 -u app.py` → `python3 -u -m debugpy --listen 0.0.0.0:5678 app.py`);
 * a script run directly (`./app.py`) or a launcher (`gunicorn app:app`) runs
 * through `python3` (`-m gunicorn app:app`). debugpy takes a script, `-m` or `-c` after its options.
 */
export function pythonDebugArgv(argv: readonly string[], port: number): string[] {
  const listen = ['-m', 'debugpy', '--listen', `0.0.0.0:${port}`];
  const program = argv[0] ?? 'python3';
  const name = baseName(program);
  if (Object.hasOwn(PYTHON_LAUNCHERS, name))
    return ['python3', ...listen, '-m', PYTHON_LAUNCHERS[name]!, ...argv.slice(1)];
  if (name.endsWith('.py')) return ['python3', ...listen, ...argv];
  let i = 1;
  while (i < argv.length) {
    const arg = argv[i]!;
    if (arg === '-m' || arg === '-c' || arg === '-' || !arg.startsWith('-')) break;
    i += PYTHON_VALUE_OPTIONS.has(arg) ? 2 : 1;
  }
  return [program, ...argv.slice(1, i), ...listen, ...argv.slice(i)];
}

/**
 * The Go command line under Delve's headless server, which speaks DAP (and
 * JSON-RPC) to any number of clients and lets the program run (`--continue`)
 * until one sets a breakpoint. `--only-same-user=false`: the port-forward's
 * connection does not come from the container's user.
 */
export function goDebugArgv(argv: readonly string[], port: number): string[] {
  const [binary = '', ...args] = argv;
  return [
    'dlv',
    'exec',
    '--headless',
    '--accept-multiclient',
    '--api-version=2',
    `--listen=:${port}`,
    '--continue',
    '--only-same-user=false',
    binary,
    ...(args.length > 0 ? ['--', ...args] : []),
  ];
}

/** The command line under the runtime's debugger; a string says why it cannot be. */
export function debugArgv(runtime: 'python' | 'go', argv: readonly string[], port: number): string[] | string {
  if (argv.length === 0 || argv[0] === '')
    return "the container's command comes from its image: give it a `command` in the manifest to debug it";
  const name = baseName(argv[0]!);
  if ((name === 'sh' || name === 'bash') && argv.includes('-c'))
    return `the container runs a shell script (${name} -c): run the ${runtime === 'go' ? 'Go program' : 'Python program'} as its command to debug it`;
  if (isUnderDebugger(argv)) return [...argv];
  return runtime === 'python' ? pythonDebugArgv(argv, port) : goDebugArgv(argv, port);
}

export interface DebugRewrite {
  /** The container to rewrite. */
  container: string;
  runtime: 'python' | 'go';
  port: number;
  /** The command line to wrap; default the container's `command` + `args` in the object. */
  argv?: readonly string[];
}

/** The pod spec of a Pod or of a workload's template (the object itself, not a copy). */
function podSpecOf(object: Json): Json | undefined {
  const spec = object.spec;
  if (!isRecord(spec)) return undefined;
  if (object.kind === 'Pod') return spec;
  const template = spec.template;
  return isRecord(template) && isRecord(template.spec) ? template.spec : undefined;
}

/** The spec's command line of a container: `command` + `args` (empty without `command`: the image's entrypoint). */
export function specArgv(container: Json): string[] {
  const command = strings(container.command);
  return command.length === 0 ? [] : [...command, ...strings(container.args)];
}

/**
 * A copy of the workload (or Pod) whose container runs under the debugger:
 * `command` is the wrapped command line, `args` is dropped, and the pod
 * template carries the `kube-workbench.dev/debug` annotation (a change of the
 * template, so a Deployment rolls out). A string says why it cannot be done.
 */
export function rewriteForDebug(object: Json, rewrite: DebugRewrite): Json | string {
  const copy = structuredClone(object);
  const podSpec = podSpecOf(copy);
  const containers = podSpec && Array.isArray(podSpec.containers) ? podSpec.containers.filter(isRecord) : [];
  const container = containers.find((c) => c.name === rewrite.container);
  if (!container) return `no container ${rewrite.container} in ${String(copy.kind)}`;
  const argv = rewrite.argv ?? specArgv(container);
  const wrapped = debugArgv(rewrite.runtime, argv, rewrite.port);
  if (typeof wrapped === 'string') return wrapped;
  container.command = wrapped;
  delete container.args;
  if (rewrite.runtime === 'python') {
    // pydevd warns on every start of Python 3.11 about frozen modules; the warning is not for the user.
    const env = Array.isArray(container.env) ? container.env.filter(isRecord) : [];
    if (!env.some((e) => e.name === 'PYDEVD_DISABLE_FILE_VALIDATION'))
      container.env = [...env, { name: 'PYDEVD_DISABLE_FILE_VALIDATION', value: '1' }];
  }
  const holder = copy.kind === 'Pod' ? copy : (copy.spec as Json).template;
  if (isRecord(holder)) {
    const metadata = isRecord(holder.metadata) ? holder.metadata : (holder.metadata = {});
    const annotations = isRecord(metadata.annotations) ? metadata.annotations : (metadata.annotations = {});
    annotations[DEBUG_ANNOTATION] = `${rewrite.container}=${rewrite.runtime}:${rewrite.port}`;
  }
  return copy;
}

/** The debugger a pod was started under, from the annotation on it: container, runtime and port. */
export function debugAnnotationOf(
  annotations: unknown,
): { container: string; runtime: Exclude<DebugRuntime, 'node'>; port: number } | undefined {
  if (!isRecord(annotations)) return undefined;
  const value = annotations[DEBUG_ANNOTATION];
  const m = typeof value === 'string' ? /^([a-z0-9]([-a-z0-9]*[a-z0-9])?)=(python|go):(\d{1,5})$/.exec(value) : null;
  const port = Number(m?.[4]);
  if (!m || port < 1 || port > 65535) return undefined;
  return { container: m[1]!, runtime: m[3] as 'python' | 'go', port };
}
