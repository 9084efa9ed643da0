/**
 * `kube-workbench run [PATH...]` (bundled as client/out/run-cli.js): builds
 * the images the manifests name (through `kube-workbench build`), applies the
 * manifests with the built references through the extension's apply engine to
 * the kubeconfig's current context (KUBECONFIG honoured, as kubectl), waits
 * for the workloads, and exits 0 once they are ready; 1 with the reason
 * otherwise (a failed build applies nothing); 2 for a wrong command line.
 */
import { existsSync, promises as fs } from 'node:fs';
import { dirname, join, relative } from 'node:path';
import { clientNode } from '../kube/client-node.js';
import { ClusterConnection } from '../kube/cluster-connection.js';
import { errorText } from '../kube/cluster-error.js';
import { userKubeconfigPaths } from '../kube/kubeconfig-files.js';
import { applyObjects } from '../run/apply-engine.js';
import { applyReportLines } from '../run/apply-report.js';
import { parseManifests, type ManifestObject } from '../run/manifest-documents.js';
import type { BuildEvent } from '../../orchestrator/protocol/build-events.js';
import { buildAndRewrite } from './build-and-rewrite.js';
import { loadDevProject } from './dev-project.js';
import { runWatch } from './run-watch.js';

export const RUN_HELP = [
  'usage: kube-workbench run [--watch] [--context NAME] [--timeout SECONDS] [PATH...]',
  '',
  'Builds the images the manifests name (from skaffold.yaml build.artifacts, tagged by content hash; an',
  "unchanged context is not rebuilt), applies the manifests with those images to the kubeconfig's current",
  'context (KUBECONFIG honoured, as kubectl), and waits until the workloads are ready.',
  'PATH: a skaffold.yaml, a folder holding one, or manifest files and folders (default: the current folder).',
  '',
  'flags:',
  '  --context NAME     a kubeconfig context other than the current one',
  '  --timeout SECONDS  how long to wait for each workload (default 120)',
  '  --watch            keep running: sync saved files into the containers and rebuild on other changes',
  '',
  'Exit codes: 0 ready, 1 failure (the reason is printed; a failed build applies nothing), 2 usage error.',
].join('\n');

export interface RunCliIo {
  out(line: string): void;
  err(line: string): void;
  cwd: string;
  /** `scripts/kube-workbench.js`, which runs the build. */
  cliScript: string;
}

/** `scripts/kube-workbench.js` above this file (the bundle sits in client/out, the sources in client/src/dev). */
export function findCliScript(from = __dirname): string {
  for (let dir = from; dirname(dir) !== dir; dir = dirname(dir)) {
    const candidate = join(dir, 'scripts', 'kube-workbench.js');
    if (existsSync(candidate)) return candidate;
  }
  return join(from, '..', '..', 'scripts', 'kube-workbench.js');
}

class Usage extends Error {}

function parseArgs(argv: readonly string[]): { paths: string[]; watch: boolean; context?: string; timeoutMs: number } {
  const paths: string[] = [];
  let watch = false;
  let context: string | undefined;
  let timeoutMs = 120_000;
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const [flag, inline] =
      arg.startsWith('--') && arg.includes('=')
        ? [arg.slice(0, arg.indexOf('=')), arg.slice(arg.indexOf('=') + 1)]
        : [arg, undefined];
    const value = () => {
      const v = inline ?? argv[++i];
      if (v === undefined || v === '') throw new Usage(`${flag} needs a value`);
      return v;
    };
    if (flag === '--watch') watch = true;
    else if (flag === '--context') context = value();
    else if (flag === '--timeout') {
      const v = value();
      if (!/^\d{1,5}$/.test(v) || Number(v) < 1)
        throw new Usage(`--timeout needs whole seconds from 1 to 99999, not '${v}'`);
      timeoutMs = Number(v) * 1000;
    } else if (flag === '--') {
      paths.push(...argv.slice(i + 1));
      break;
    } else if (flag.startsWith('-') && flag !== '-') throw new Usage(`unknown flag: ${flag}`);
    else paths.push(arg);
  }
  return { paths, watch, ...(context !== undefined ? { context } : {}), timeoutMs };
}

function buildLine(event: BuildEvent): string | undefined {
  switch (event.type) {
    case 'start':
      return `building ${event.tag}`;
    case 'cached':
      return `${event.tag} is up to date (context unchanged, not rebuilt)`;
    case 'step':
      return `  step ${event.step}/${event.total}: ${event.instruction}`;
    case 'warning':
      return `warning: ${event.image}: ${event.message}`;
    case 'built':
      return `built ${event.tag} in ${event.seconds} s`;
    default:
      return undefined;
  }
}

/** Connects as kubectl would: KUBECONFIG's files (or ~/.kube/config), its current context unless one is named. */
async function connect(context: string | undefined): Promise<ClusterConnection> {
  const files = userKubeconfigPaths().filter((p) => existsSync(p));
  if (files.length === 0) throw new Error(`no kubeconfig: ${userKubeconfigPaths().join(', ')} does not exist`);
  const k8s = await clientNode();
  const kc = new k8s.KubeConfig();
  kc.loadFromDefault({}, false);
  if (context === undefined && kc.getCurrentContext() === '') throw new Error('the kubeconfig has no current context');
  return ClusterConnection.fromKubeConfig(kc, k8s, context);
}

export async function runCli(argv: readonly string[], io: RunCliIo): Promise<number> {
  if (argv.includes('-h') || argv.includes('--help')) {
    io.out(RUN_HELP);
    return 0;
  }
  let args;
  try {
    args = parseArgs(argv);
  } catch (error) {
    if (!(error instanceof Usage)) throw error;
    io.err(`kube-workbench run: ${error.message}\nSee 'kube-workbench run --help' for usage.`);
    return 2;
  }
  const rel = (p: string) => relative(io.cwd, p) || p;
  let project;
  try {
    project = await loadDevProject(args.paths, io.cwd);
  } catch (error) {
    io.err(`kube-workbench run: ${errorText(error)}`);
    return 1;
  }
  const { config } = project;
  for (const w of config.warnings) io.err(`warning: ${rel(w.file)}:${w.line}: ${w.message}`);
  if (config.errors.length > 0) {
    for (const e of config.errors) io.err(`error: ${rel(e.file)}:${e.line}:${e.column}: ${e.message}`);
    return 1;
  }
  if (args.watch) {
    let conn: ClusterConnection;
    try {
      conn = await connect(args.context);
    } catch (error) {
      io.err(`kube-workbench run: ${errorText(error)}`);
      return 1;
    }
    return runWatch(project, conn, { ...io, timeoutMs: args.timeoutMs });
  }
  const objects: ManifestObject[] = [];
  for (const file of project.manifestFiles) {
    const parsed = parseManifests(await fs.readFile(file, 'utf8'));
    for (const p of parsed.problems) io.err(`error: ${rel(file)}: ${p}`);
    if (parsed.problems.length > 0) return 1;
    objects.push(...parsed.documents.map((d) => d.object));
  }
  if (objects.length === 0) {
    io.err('kube-workbench run: no Kubernetes objects to apply');
    return 1;
  }
  // The build process is spawned first; client-node (a large bundle, loaded synchronously) loads and the
  // kubeconfig is read while the images build.
  const preparing = buildAndRewrite(objects, config.artifacts, {
    cliScript: io.cliScript,
    cwd: io.cwd,
    onEvent: (event) => {
      const line = buildLine(event);
      if (line !== undefined) io.out(line);
    },
  });
  const connecting = connect(args.context).then(
    (conn) => ({ conn }),
    (error: unknown) => ({ error: errorText(error) }),
  );
  const prepared = await preparing;
  if (prepared.error !== undefined) {
    io.err(`error: ${prepared.error}`);
    return 1;
  }
  for (const r of prepared.rewrites) io.out(`${r.kind} ${r.name}: container ${r.container} runs ${r.to}`);
  const connected = await connecting;
  if ('error' in connected) {
    io.err(`kube-workbench run: ${connected.error}`);
    return 1;
  }
  const { conn } = connected;
  io.out(`applying to context ${conn.contextName}`);
  let lastProgress = '';
  const result = await applyObjects(conn, prepared.objects, {
    timeoutMs: args.timeoutMs,
    onProgress: (message) => {
      if (message !== lastProgress) io.out(`  ${message}`);
      lastProgress = message;
    },
  });
  for (const line of applyReportLines(result)) io.out(line);
  if (!result.ready || result.error !== undefined) {
    io.err(`error: ${result.error ?? 'the workloads did not become ready'}`);
    return 1;
  }
  io.out('ready');
  return 0;
}

/** The bundle's entry, as scripts/kube-workbench.js calls it. */
export function main(argv: readonly string[]): Promise<number> {
  return runCli(argv, {
    out: (line) => process.stdout.write(`${line}\n`),
    err: (line) => process.stderr.write(`${line}\n`),
    cwd: process.cwd(),
    cliScript: findCliScript(),
  });
}
