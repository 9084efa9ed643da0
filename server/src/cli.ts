import { readFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join, relative, resolve } from 'node:path';
import { schemaVersions, unsupportedVersionMessage } from '../kube-model/schema-loader.js';
import { FileNames } from './cli/file-names.js';
import { FindingStore } from './cli/finding-store.js';
import { growYoungGenerationOnce } from './cli/young-generation.js';
import { lowerInliningBudget } from './cli/inlining-budget.js';
import { CheckPool, DEFAULT_FILES_PER_THREAD, defaultJobs, threadsFor } from './cli/check-pool.js';
import { runAsCheckWorker } from './cli/check-worker.js';
import { FactArena } from './cli/fact-arena.js';
import { FlatIndex } from './cli/flat-index.js';
import type { OrdinalSpan } from './cli/ordinal-groups.js';
import { PackedRange } from './cli/packed-range.js';
import { ResourcePacker } from './cli/packed-resource.js';
import { saveStdin } from './cli/saved-stdin.js';
import { TemporaryFileError } from './cli/temporary-file-error.js';
import { checkKustomization, isKustomizationDir } from './cli/kustomize-check.js';
import { runRender } from './cli/render-command.js';
import { gathered, writeFully, writeReport } from './cli/write-report.js';
import { createLanguageService } from './language-service.js';
import { listManifestFiles, MissingPathError } from './read-manifest-files.js';
import { createFileChecker, scanFiles } from './validate-files.js';
import type { FileResult, FileSink } from './validate-files.js';
import type { IndexedResource } from './workspace/indexed-resource.js';

/**
 * `kube-workbench validate [--format F] [--kubernetes-version V] PATH...`: the
 * language server's checks on files, folders and standard input (`-`): each
 * document's own checks, then the workspace index's checks across all of them
 * (duplicates, Services that select nothing, missing references), as the editor
 * runs them over a workspace.
 */

/** The exit codes, also in the help text and the README. */
export const EXIT = {
  /** Every file was read and none has an error (warnings allowed). */
  clean: 0,
  /** At least one error in the files. */
  errorsFound: 1,
  /** The command line was wrong (unknown option, a PATH that does not exist). */
  usage: 2,
  /** Some file or folder could not be read (each named on stderr); the others were checked and reported. */
  couldNotRead: 3,
} as const;

const FORMATS = ['text', 'json', 'sarif', 'junit'] as const;
type Format = (typeof FORMATS)[number];

/** How standard input is named in reports. */
const STDIN = 'stdin';

/** Files from which a single thread lets its young generation grow once (cli/young-generation.ts). */
const GROW_YOUNG_FROM = 100;

/** One empty list shared by every index entry (entries are read only). */
const NOTHING: readonly never[] = Object.freeze([]);

/** One set for every set of the same strings in the same order (`undefined`: not all strings). */
function sharedSet(
  sets: Map<string, ReadonlySet<string>>,
  set: ReadonlySet<unknown>,
  intern: (text: string) => string,
): ReadonlySet<string> | undefined {
  const items: string[] = [];
  for (const v of set) if (typeof v === 'string' && !v.includes('\0')) items.push(v);
  if (items.length !== set.size) return undefined;
  const key = items.join('\0');
  let shared = sets.get(key);
  if (!shared) sets.set(key, (shared = new Set(items.map(intern))));
  return shared;
}

/** The versions `schemas/` holds, as the editor's setting and `cluster start` take them (read when needed). */
const versions = (): string[] => schemaVersions().versions;

const usageText = (): string =>
  [
    `usage: kube-workbench validate [--format ${FORMATS.join('|')}] [--kubernetes-version ${versions().join('|')}] [--jobs N] PATH...`,
    '',
    'Checks manifests as the editor does: each document against the Kubernetes version’s schemas and rules, then',
    'across all of them (duplicate resources, Services that select nothing, Ingress backends, missing ConfigMaps,',
    'Secrets and PVCs). PATH is a file, a folder (its .yaml/.yml files) or - for standard input.',
    '',
    'flags:',
    '  --format text|json|sarif|junit   text: PATH:LINE:COL: SEVERITY CODE MESSAGE (default); json: a list of findings;',
    '                                   sarif: SARIF 2.1.0 (GitHub code scanning); junit: one testsuite per file,',
    '                                   one testcase per document',
    `  --kubernetes-version V           the Kubernetes version to check against (default ${schemaVersions().default})`,
    `  --jobs N                         threads reading and checking files at once (default: one per two CPUs, from`,
    `                                   ${DEFAULT_FILES_PER_THREAD} files a thread: each keeps about two CPUs busy with V8's compiler and collector;`,
    `                                   this machine has ${availableParallelism()} CPUs); the report is the same for any N`,
    '',
    'exit codes:',
    `  ${EXIT.clean}  no errors (warnings allowed)`,
    `  ${EXIT.errorsFound}  errors found`,
    `  ${EXIT.usage}  usage error (unknown option, no such PATH)`,
    `  ${EXIT.couldNotRead}  some files or folders could not be read (named on stderr; the rest were checked)`,
  ].join('\n');

function packageVersion(): string {
  try {
    const pkg = JSON.parse(readFileSync(join(__dirname, '..', '..', 'package.json'), 'utf8')) as { version?: unknown };
    return typeof pkg.version === 'string' ? pkg.version : '0.0.0';
  } catch {
    return '0.0.0';
  }
}

/** Most threads `--jobs` takes. */
const MAX_JOBS = 256;

export async function runValidate(args: readonly string[], cwd: string, stdin: () => string): Promise<number> {
  let format = 'text';
  let kubernetesVersion: string | undefined;
  let jobsText: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--format') format = args[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--kubernetes-version') kubernetesVersion = args[++i] ?? '';
    else if (arg.startsWith('--kubernetes-version=')) kubernetesVersion = arg.slice('--kubernetes-version='.length);
    else if (arg === '--jobs' || arg === '-j') jobsText = args[++i] ?? '';
    else if (arg.startsWith('--jobs=')) jobsText = arg.slice('--jobs='.length);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${usageText()}\n`);
      return 0;
    } else if (arg === '-') paths.push(arg);
    else if (arg.startsWith('-')) return usage(`unknown flag: ${arg}`);
    else paths.push(arg);
  }
  if (!FORMATS.includes(format as Format)) return usage(`unknown format '${format}'; choose ${FORMATS.join(', ')}`);
  if (paths.length === 0) return usage('no PATH given (use - for standard input)');
  const jobs = jobsText === undefined ? defaultJobs() : Number(jobsText);
  if (jobsText !== undefined && (!/^[0-9]+$/.test(jobsText) || jobs < 1 || jobs > MAX_JOBS))
    return usage(`--jobs takes a whole number from 1 to ${MAX_JOBS}, not '${jobsText}'`);
  if (kubernetesVersion !== undefined && !versions().includes(kubernetesVersion)) {
    return usage(unsupportedVersionMessage(kubernetesVersion, versions()));
  }
  // Worker threads start first: their start-up (bundle, schemas) overlaps the folder walk; those the
  // files turn out not to need are stopped (cli/check-pool.ts). Unreferenced until used: an error before
  // that does not wait for them.
  const started = jobs > 1 ? new CheckPool(__filename, jobs - 1, kubernetesVersion) : undefined;
  // One pass over the files: keeping every parse would only feed the garbage collector.
  const service = createLanguageService({ kubernetesVersion, cacheCapacity: 1 });
  const stdinFile = paths.includes('-') ? saveStdin(stdin()) : undefined;
  // A folder with a kustomization file is checked as its rendered output, not as the files in it.
  const kustomizations = paths.filter((p) => p !== '-' && isKustomizationDir(resolve(cwd, p)));
  const listed = listManifestFiles(paths.filter((p) => p !== '-' && !kustomizations.includes(p)));
  const { unreadable, loops } = listed;
  const files = stdinFile ? [...listed.files, stdinFile.path] : listed.files;
  // Display names and URLs made once per folder (cli/file-names.ts): per file, they showed in profiles.
  const names = new FileNames(cwd);
  const display = (file: string) => (file === stdinFile?.path ? STDIN : names.display(file));
  for (const { path, reason } of loops)
    process.stderr.write(`kube-workbench: skipped ${relative(cwd, path) || path}: ${reason}\n`);
  // Each file's own checks, document by document (files of any size; CRDs anywhere among them
  // validate the custom resources in all), then the index's checks across the files. Findings are
  // kept compactly until the report (cli/finding-store.ts), files in the order first met.
  // Messages go to a nameless temporary file (cli/spilled-texts.ts), and findings past a few blocks
  // (cli/finding-blocks.ts), or stay in memory where none can be made.
  const store = new FindingStore(tmpdir());
  // Each file's id once: its display name (a relative path) is worked out only the first time.
  const ids = new Map<string, number>();
  const fileId = (file: string): number => {
    let id = ids.get(file);
    if (id === undefined) ids.set(file, (id = store.file(file, display(file))));
    return id;
  };
  for (const file of files) fileId(file);
  for (const dir of kustomizations) {
    checkKustomization(service, resolve(cwd, dir), cwd, (file, d) => store.add(fileId(file), d));
  }
  const threads = threadsFor(jobs, files.length, jobsText === undefined ? DEFAULT_FILES_PER_THREAD : undefined);
  // Many files on this thread alone: a young generation twice the size the launcher keeps (half the scavenges,
  // ~4 % less CPU, ~3 MiB more; cli/young-generation.ts). Not for a few large files (row 4's memory) nor workers (they
  // would grow theirs unwatched).
  const manyFilesHere = threads === 1 && files.length >= GROW_YOUNG_FROM && !process.env.KUBE_WORKBENCH_V8_DEFAULTS;
  const grown = manyFilesHere ? growYoungGenerationOnce() : () => undefined;
  // The same case: many short-lived code paths, compiled with less inlining (cli/inlining-budget.ts).
  if (manyFilesHere) lowerInliningBudget();
  // Every file takes part in the checks across files, whatever its size (the index's entries past a
  // budget go to a temporary file: cli/spilled-bytes.ts).
  const indexUri = (file: string): string | undefined => {
    grown(); // once a file in the first pass
    return file === stdinFile?.path ? 'stdin:/stdin' : names.url(file);
  };
  started?.shrink(threads - 1);
  const pool = threads > 1 ? started : undefined;
  let scanned: ReturnType<typeof scanFiles>;
  try {
    // With workers, the first pass is shared too: each thread keeps the documents it read for its checks.
    scanned = pool
      ? await pool.scan(service, files, indexUri, format === 'junit')
      : scanFiles(service, files, indexUri, format === 'junit');
  } catch (error) {
    pool?.close();
    throw error;
  }
  unreadable.push(...scanned.unreadable);
  // Each file's own checks, on worker threads when there are enough files; reported in file order.
  // Each result is taken in as it comes (findings, cases, index entries) and dropped; reasons are kept in file order.
  const reasons = new Array<string | undefined>(scanned.tasks.length);
  const entries = new Array<OrdinalSpan | undefined>(scanned.tasks.length);
  // Index entries keep their ranges packed, share one empty list and one set of each set of strings
  // (the containers' requests): a large file's entries were mostly ranges (docs/BENCHMARKS.md).
  const sets = new Map<string, ReadonlySet<string>>();
  const compact = (value: object): unknown =>
    PackedRange.of(value) ??
    (Array.isArray(value) && value.length === 0
      ? NOTHING
      : value instanceof Set
        ? sharedSet(sets, value, (t) => store.strings.intern(t))
        : undefined);
  // Each entry's facts as bytes (cli/packed-resource.ts); one that is not plain data stays a compact copy.
  const arena = new FactArena(store.strings, tmpdir());
  const packer = new ResourcePacker(arena);
  // The index holds each entry as numbers, made an object only while a check reads it (cli/flat-index.ts).
  const index = new FlatIndex(store.strings);
  const keep = (resources: IndexedResource[]): IndexedResource[] => {
    index.add(resources.map((r) => packer.pack(r) ?? store.strings.detach(r, compact)));
    return [];
  };
  const take = (i: number, result: FileResult, kept = false): void => {
    const task = scanned.tasks[i];
    if (!task) return;
    if (result.reason !== undefined) reasons[i] = result.reason;
    const id = fileId(task.file);
    for (const d of result.diagnostics) store.add(id, d);
    store.addCases(id, result.cases);
    if (task.indexUri === undefined) return;
    if (result.resources !== undefined && !kept) keep(result.resources);
    // This file's entries are those added since the last (dropped if it could not be read).
    const span = index.endFile(result.resources !== undefined);
    if (result.resources !== undefined) entries[i] = span;
  };
  // Each file's own checks, on this thread and the workers (if any); on this thread alone, each
  // document's findings, cases and index entries are taken as it is checked.
  const check = createFileChecker(service, scanned.context, scanned.kept);
  if (pool) {
    await pool.run(scanned.context, scanned.tasks, check, (i, result) => take(i, result));
  } else {
    scanned.tasks.forEach((task, i) => {
      grown();
      const id = fileId(task.file);
      const sink: FileSink = {
        diagnostics: (ds) => ds.forEach((d) => store.add(id, d)),
        cases: (cs) => store.addCases(id, cs),
        resources: keep,
      };
      take(i, check(task, sink), true);
    });
  }
  scanned.tasks.forEach(({ file, indexUri: uri }, i) => {
    const reason = reasons[i];
    if (reason !== undefined) unreadable.push({ path: file, reason });
    // Into the index in file order, whichever thread finished first.
    const resources = entries[i];
    if (uri !== undefined && resources !== undefined) index.set(uri, resources);
  });
  // The workspace index's checks across files, in file order.
  scanned.tasks.forEach(({ file, indexUri: uri }, i) => {
    if (uri === undefined || entries[i] === undefined) return;
    const id = fileId(file);
    // Taken as each resource is checked: a large file's findings across files are never all held at once.
    service.workspace.eachDiagnostic(uri, (d) => store.add(id, d), index);
  });
  arena.close();
  stdinFile?.remove();
  for (const { path, reason } of unreadable)
    process.stderr.write(`kube-workbench: cannot read ${relative(cwd, path) || path}: ${reason}\n`);
  const unreadableNames = new Set(unreadable.map((u) => display(u.path)));
  const reported = store.report((file) => unreadableNames.has(file));
  const out = gathered((text) => writeFully(1, text));
  writeReport(format as Format, reported, store, packageVersion, out.write);

  out.flush();
  // Read before the findings' temporary file goes.
  const errors = reported.some((f) => f.findings.some((i) => store.isError(i)));
  store.close();
  if (unreadable.length > 0) {
    process.stderr.write(
      `kube-workbench: ${unreadable.length} path${unreadable.length === 1 ? '' : 's'} could not be read; the rest were checked\n`,
    );
    return EXIT.couldNotRead;
  }
  return errors ? EXIT.errorsFound : EXIT.clean;
}

function usage(problem: string): number {
  process.stderr.write(`kube-workbench validate: ${problem}\nSee 'kube-workbench validate --help' for usage.\n`);
  return EXIT.usage;
}

export async function main(argv: readonly string[], group?: string): Promise<number> {
  if (group === 'render') return runRender(argv, process.cwd());
  try {
    return await runValidate(argv, process.cwd(), () => readFileSync(0, 'utf8'));
  } catch (error) {
    if (error instanceof MissingPathError) return usage(error.message);
    if (error instanceof TemporaryFileError) {
      process.stderr.write(`kube-workbench validate: ${error.message}\n`);
      return EXIT.couldNotRead;
    }
    throw error;
  }
}

// A worker thread of `validate --jobs N` runs this same bundle: it serves its batches instead.
runAsCheckWorker();
