import { readFileSync } from 'node:fs';
import { relative } from 'node:path';
import { parseDocument, stringify } from 'yaml';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import {
  findKustomizationFile,
  nodeFsHost,
  renderKustomization,
  type SourceSpan,
} from '../../kube-model/kustomize/index.js';
import { pathAtOffset } from '../../kube-model/kustomize/path-at-offset.js';
import { TextLines } from '../document/text-lines.js';
import type { LanguageService } from '../language-service.js';
import { DIAGNOSTIC_SOURCE } from '../protocol/diagnostic-codes.js';

/** True when `dir` holds a kustomization file (validate then checks its rendered output). */
export function isKustomizationDir(dir: string): boolean {
  const host = nodeFsHost();
  if (!host.isDirectory(dir)) return false;
  const found = findKustomizationFile(dir, host);
  return !('error' in found) || found.error === 'ambiguous';
}

/**
 * `validate DIR` for a kustomization: the renderer's own errors, then every
 * check of the rendered objects, each placed on the line of the file that
 * produced the value (the base resource, or the kustomization or patch line
 * that set it). Rendered objects are checked one by one, as documents.
 */
export function checkKustomization(
  service: LanguageService,
  dir: string,
  cwd: string,
  report: (file: string, diagnostic: Diagnostic) => void,
): void {
  const texts = new Map<string, TextLines>();
  const linesOf = (file: string): TextLines => {
    let lines = texts.get(file);
    if (lines === undefined) {
      let text = '';
      try {
        text = readFileSync(file, 'utf8');
      } catch {
        // A file that vanished since rendering: positions fall back to its start.
      }
      texts.set(file, (lines = new TextLines(text)));
    }
    return lines;
  };
  const rangeOf = (span: SourceSpan) => ({
    start: linesOf(span.file).positionAt(span.start),
    end: linesOf(span.file).positionAt(span.end),
  });
  const result = renderKustomization(dir, nodeFsHost());
  for (const d of result.diagnostics) {
    report(d.file, {
      range: rangeOf(d),
      severity: d.severity === 'error' ? DiagnosticSeverity.Error : DiagnosticSeverity.Warning,
      code: d.code,
      source: DIAGNOSTIC_SOURCE,
      message: d.message,
    });
  }
  const where = relative(cwd, dir) || '.';
  for (const resource of result.resources) {
    // Written so the checks' YAML 1.1 reading gives back the same values (`yes` stays a string).
    const text = stringify(resource.object, { lineWidth: 0, version: '1.1' });
    const doc = parseDocument(text, { version: '1.1' });
    const lines = new TextLines(text);
    for (const d of service.diagnostics(text, { manifestsAround: true })) {
      const offset = lines.offsetAt(d.range.start.line, d.range.start.character);
      const origin = resource.origin(pathAtOffset(doc.contents, offset));
      report(origin.file, { ...d, range: rangeOf(origin), message: `${d.message} (rendered by ${where})` });
    }
  }
}
