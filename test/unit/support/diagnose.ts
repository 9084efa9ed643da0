import { createLanguageService } from '../../../server/src/language-service.js';

const service = createLanguageService();

export interface Found {
  code: string;
  severity: 'error' | 'warning' | 'info';
  /** 1-based, as editors show it */
  line: number;
  column: number;
  endLine: number;
  endColumn: number;
  text: string;
  message: string;
}

/** The diagnostics a manifest gets, with the text each one underlines. */
export function diagnose(manifest: string): Found[] {
  const lines = manifest.split('\n');
  return service.diagnostics(manifest).map((d) => {
    const { start, end } = d.range;
    const text =
      start.line === end.line
        ? (lines[start.line] ?? '').slice(start.character, end.character)
        : (lines[start.line] ?? '').slice(start.character);
    return {
      code: String(d.code),
      severity: d.severity === 1 ? 'error' : d.severity === 2 ? 'warning' : 'info',
      line: start.line + 1,
      column: start.character + 1,
      endLine: end.line + 1,
      endColumn: end.character + 1,
      text,
      message: d.message,
    };
  });
}

/** Only the diagnostics with a code. */
export function withCode(manifest: string, code: string): Found[] {
  return diagnose(manifest).filter((d) => d.code === code);
}

/** Joins lines, so tests read like the YAML they check. */
export function yaml(...lines: string[]): string {
  return `${lines.join('\n')}\n`;
}
