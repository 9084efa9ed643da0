import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';

/** One problem as `kube-workbench validate` reports it: 1-based lines and columns (UTF-16 code units, as the editor). */
export interface Finding {
  file: string;
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  severity: 'error' | 'warning' | 'info';
  code: string;
  message: string;
}

export function toFinding(file: string, d: Diagnostic): Finding {
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

/** In file order: by line, then column. */
export function byPosition(a: Finding, b: Finding): number {
  return a.line - b.line || a.column - b.column || a.code.localeCompare(b.code);
}
