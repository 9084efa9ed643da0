import { dirname, resolve } from 'node:path';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { isMap, isScalar } from 'yaml';
import type { Node } from 'yaml';
import { TextLines } from '../document/text-lines.js';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { kustomizationSchema } from '../schema/kustomization-schema.js';
import { NodeValidator } from '../validation/validate-node.js';
import { KUSTOMIZATION_NAMES, readKustomizationEntries } from '../workspace/kustomization-entries.js';
import type { KustomizationEntry } from '../workspace/kustomization-entries.js';
import type { EditorKustomizeHost } from '../workspace/kustomize-host.js';

const REMOTE = /^(?:[a-z][a-z0-9+.-]*:\/\/|git@|(?:github|gitlab)\.com\/|bitbucket\.org\/)|\?ref=/i;
const PLUGIN_FIELDS = new Set(['generators', 'transformers', 'validators']);

/** Whether a kustomization entry names something remote (a URL or git repository). */
export function isRemoteEntry(value: string): boolean {
  return REMOTE.test(value);
}

/** Whether a folder holds a kustomization file. */
export function hasKustomization(dir: string, host: EditorKustomizeHost): boolean {
  return KUSTOMIZATION_NAMES.some((name) => host.readFile(resolve(dir, name)) !== undefined);
}

/**
 * The checks of a kustomization file that need no rendering: YAML syntax, the
 * schema (`schemas/kustomization.json`), files and folders that are missing,
 * remote bases and plugins (not rendered offline).
 */
export function kustomizationDiagnostics(text: string, file: string, host: EditorKustomizeHost): Diagnostic[] {
  const lines = new TextLines(text);
  const out: Diagnostic[] = [];
  const report = (
    start: number,
    end: number,
    code: string,
    message: string,
    severity: DiagnosticSeverity = DiagnosticSeverity.Error,
  ): number => out.push({ range: lines.rangeAt(start, end), severity, source: DIAGNOSTIC_SOURCE, code, message });
  const { doc, entries } = readKustomizationEntries(text);
  for (const error of doc.errors.slice(0, 20))
    report(
      error.pos[0],
      error.pos[1],
      `${DiagnosticCode.yamlSyntax}/${error.code}`,
      error.message.split('\n')[0] ?? '',
    );
  if (doc.errors.length > 0) return out;
  const { root, resolver } = kustomizationSchema();
  const validator = new NodeValidator(doc, resolver, 'Kustomization');
  validator.validate(doc.contents, root, [], undefined);
  for (const p of validator.problems) {
    const range = p.node?.range ?? doc.contents?.range ?? [0, 0];
    report(range[0], range[1], p.code, p.message);
  }
  const dir = dirname(file);
  for (const entry of entries) {
    const problem = entryProblem(entry, dir, host);
    if (problem) report(entry.start, entry.end, problem.code, problem.message, problem.severity);
  }
  if (isMap(doc.contents))
    for (const pair of doc.contents.items) {
      const key = pair.key as Node | null;
      if (isScalar(key) && PLUGIN_FIELDS.has(String(key.value)) && key.range)
        report(
          key.range[0],
          key.range[1],
          DiagnosticCode.kustomizePluginUnsupported,
          `kustomize plugins (\`${String(key.value)}\`) are not run by Kube Workbench: the rendered output and its checks leave them out`,
          DiagnosticSeverity.Warning,
        );
    }
  return out;
}

function entryProblem(
  entry: KustomizationEntry,
  dir: string,
  host: EditorKustomizeHost,
): { code: string; message: string; severity: DiagnosticSeverity } | undefined {
  const error = DiagnosticSeverity.Error;
  if (entry.value.trim() === '') return undefined;
  if (isRemoteEntry(entry.value))
    return entry.role === 'resource' || entry.role === 'component'
      ? {
          code: DiagnosticCode.kustomizeRemoteUnsupported,
          message: `remote bases are not fetched offline: \`${entry.value}\` is left out of the rendered output and its checks`,
          severity: DiagnosticSeverity.Warning,
        }
      : undefined;
  const target = resolve(dir, entry.value);
  const isDir = host.isDirectory(target);
  if (entry.role === 'resource' || entry.role === 'component') {
    if (isDir) {
      return hasKustomization(target, host)
        ? undefined
        : {
            code: DiagnosticCode.kustomizeMissingFile,
            message: `folder \`${entry.value}\` has no kustomization file (${KUSTOMIZATION_NAMES.join(', ')})`,
            severity: error,
          };
    }
    if (entry.role === 'component')
      return host.readFile(target) === undefined
        ? { code: DiagnosticCode.kustomizeMissingFile, message: `no folder \`${entry.value}\``, severity: error }
        : undefined;
  }
  if (!isDir && host.readFile(target) !== undefined) return undefined;
  return {
    code: DiagnosticCode.kustomizeMissingFile,
    message: isDir ? `\`${entry.value}\` is a folder, not a file` : `no file or folder \`${entry.value}\``,
    severity: error,
  };
}
