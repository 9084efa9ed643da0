import { relative } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { schemaVersions } from '../kube-model/schema-loader.js';
import { createLanguageService } from './language-service.js';
import { listManifestFiles, MissingPathError } from './read-manifest-files.js';
import { checkFiles } from './validate-files.js';

/** `kube-workbench validate PATH... [--format json]`: the language server's checks on files and folders. */
interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

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

/** The versions `schemas/` holds, as the editor's setting and `cluster start` take them (read when needed). */
const versions = (): string[] => schemaVersions().versions;

const usageText = (): string =>
  [
    `usage: kube-workbench validate [--format text|json] [--kubernetes-version ${versions().join('|')}] PATH...`,
    'exit codes:',
    `  ${EXIT.clean}  no errors (warnings allowed)`,
    `  ${EXIT.errorsFound}  errors found`,
    `  ${EXIT.usage}  usage error (unknown option, no such PATH)`,
    `  ${EXIT.couldNotRead}  some files or folders could not be read (named on stderr; the rest were checked)`,
  ].join('\n');

export function runValidate(args: readonly string[], cwd: string): number {
  let format = 'text';
  let kubernetesVersion: string | undefined;
  const paths: string[] = [];
  for (let i = 0; i < args.length; i++) {
    const arg = args[i] ?? '';
    if (arg === '--format') format = args[++i] ?? '';
    else if (arg.startsWith('--format=')) format = arg.slice('--format='.length);
    else if (arg === '--kubernetes-version') kubernetesVersion = args[++i] ?? '';
    else if (arg.startsWith('--kubernetes-version=')) kubernetesVersion = arg.slice('--kubernetes-version='.length);
    else if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${usageText()}\n`);
      return 0;
    } else if (arg.startsWith('-')) return usage(`unknown option ${arg}`);
    else paths.push(arg);
  }
  if (format !== 'text' && format !== 'json') return usage(`unknown format ${format}`);
  if (paths.length === 0) return usage('no PATH given');

  if (kubernetesVersion !== undefined && !versions().includes(kubernetesVersion)) {
    return usage(`unknown Kubernetes version ${kubernetesVersion}; choose ${versions().join(' or ')}`);
  }
  // One pass over the files: keeping every parse would only feed the garbage collector.
  const service = createLanguageService({ kubernetesVersion, cacheCapacity: 64 });
  const findings: Finding[] = [];
  const { files, unreadable, loops } = listManifestFiles(paths);
  for (const { path, reason } of loops)
    process.stderr.write(`kube-workbench: skipped ${relative(cwd, path) || path}: ${reason}\n`);
  // Files of any size, document by document; CRDs anywhere among them validate the custom resources in all.
  unreadable.push(...checkFiles(service, files, (file, d) => findings.push(toFinding(relative(cwd, file) || file, d))));
  for (const { path, reason } of unreadable)
    process.stderr.write(`kube-workbench: cannot read ${relative(cwd, path) || path}: ${reason}\n`);
  if (format === 'json') process.stdout.write(`${JSON.stringify(findings, null, 2)}\n`);
  else
    for (const f of findings)
      process.stdout.write(`${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`);
  if (unreadable.length > 0) {
    process.stderr.write(
      `kube-workbench: ${unreadable.length} path${unreadable.length === 1 ? '' : 's'} could not be read; the rest were checked\n`,
    );
    return EXIT.couldNotRead;
  }
  return findings.some((f) => f.severity === 'error') ? EXIT.errorsFound : EXIT.clean;
}

function usage(problem: string): number {
  process.stderr.write(`kube-workbench: ${problem}\n${usageText()}\n`);
  return EXIT.usage;
}

function toFinding(file: string, d: Diagnostic): Finding {
  return {
    file,
    line: d.range.start.line + 1,
    column: d.range.start.character + 1,
    endLine: d.range.end.line + 1,
    endColumn: d.range.end.character + 1,
    severity:
      d.severity === DiagnosticSeverity.Error
        ? 'error'
        : d.severity === DiagnosticSeverity.Warning
          ? 'warning'
          : 'info',
    code: typeof d.code === 'string' ? d.code : String(d.code ?? ''),
    message: d.message,
  };
}

export function main(argv: readonly string[]): number {
  try {
    return runValidate(argv, process.cwd());
  } catch (error) {
    if (error instanceof MissingPathError) return usage(error.message);
    throw error;
  }
}
