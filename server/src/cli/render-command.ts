import { readFileSync } from 'node:fs';
import { relative, resolve } from 'node:path';
import { stringify } from 'yaml';
import { nodeFsHost, renderKustomization, type KustomizeDiagnostic } from '../../kube-model/kustomize/index.js';

/**
 * `kube-workbench render DIR`: the kustomization in DIR rendered as
 * `kubectl kustomize DIR` renders it (YAML on standard output), without a
 * kustomize binary. Errors go to standard error as FILE:LINE:COL and exit 1.
 */
const usageText = [
  'usage: kube-workbench render DIR',
  '',
  'Renders the kustomization in DIR (kustomization.yaml, .yml or Kustomization) as `kubectl kustomize DIR` does',
  'and prints the YAML. Errors are printed as FILE:LINE:COL: error CODE MESSAGE.',
  '',
  'exit codes:',
  '  0  rendered (warnings allowed)',
  '  1  errors in the kustomization (nothing printed on standard output)',
  '  2  usage error',
].join('\n');

/** 1-based line and column of a UTF-16 offset in `text`. */
export function lineColumn(text: string, offset: number): { line: number; column: number } {
  let line = 1;
  let start = 0;
  for (let i = 0; i < offset && i < text.length; i++) {
    if (text.charCodeAt(i) === 10) {
      line++;
      start = i + 1;
    }
  }
  return { line, column: Math.min(offset, text.length) - start + 1 };
}

export function formatDiagnostic(
  d: KustomizeDiagnostic,
  cwd: string,
  read: (file: string) => string | undefined,
): string {
  const text = read(d.file) ?? '';
  const { line, column } = lineColumn(text, d.start);
  return `${relative(cwd, d.file) || d.file}:${line}:${column}: ${d.severity} ${d.code} ${d.message}`;
}

export function runRender(args: readonly string[], cwd: string): number {
  const dirs: string[] = [];
  for (const arg of args) {
    if (arg === '-h' || arg === '--help') {
      process.stdout.write(`${usageText}\n`);
      return 0;
    }
    if (arg.startsWith('-')) return usage(`unknown flag: ${arg}`);
    dirs.push(arg);
  }
  const [dir] = dirs;
  if (dir === undefined || dirs.length > 1) return usage('give exactly one DIR');
  const host = nodeFsHost();
  const abs = resolve(cwd, dir);
  if (!host.isDirectory(abs)) return usage(`not a directory: ${dir}`);
  const result = renderKustomization(abs, host);
  const read = (file: string) => {
    try {
      return readFileSync(file, 'utf8');
    } catch {
      return undefined;
    }
  };
  for (const d of result.diagnostics) process.stderr.write(`${formatDiagnostic(d, cwd, read)}\n`);
  if (result.diagnostics.some((d) => d.severity === 'error')) return 1;
  // Written so YAML 1.1 readers (kubectl apply) read the same values: `yes`, `on`, `0755` stay strings.
  process.stdout.write(
    result.resources.map((r) => stringify(r.object, { lineWidth: 0, version: '1.1' })).join('---\n'),
  );
  return 0;
}

function usage(problem: string): number {
  process.stderr.write(`kube-workbench render: ${problem}\nSee 'kube-workbench render --help' for usage.\n`);
  return 2;
}
