import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import type { YAMLError } from 'yaml';
import { isManifestDocument } from '../document/is-manifest.js';
import type { ManifestFile } from '../document/manifest-file.js';
import { TextLines } from '../document/text-lines.js';
import { DIAGNOSTIC_SOURCE, DiagnosticCode } from '../protocol/diagnostic-codes.js';

/**
 * Diagnostics for one file: every `---` document that is a Kubernetes
 * manifest is checked on its own. Templated files (Helm, Go templates) are
 * not YAML until rendered, so they get none.
 */
export function computeDiagnostics(file: ManifestFile): Diagnostic[] {
  if (file.templated) return [];
  const lines = new TextLines(file.text);
  const out: Diagnostic[] = [];
  for (const document of file.documents) {
    if (!isManifestDocument(file, document)) continue;
    for (const error of document.doc.errors) out.push(syntaxDiagnostic(lines, error));
  }
  return out;
}

function syntaxDiagnostic(lines: TextLines, error: YAMLError): Diagnostic {
  const [start, end] = error.pos;
  const duplicate = error.code === 'DUPLICATE_KEY';
  return {
    range: lines.rangeAt(start, end),
    severity: DiagnosticSeverity.Error,
    source: DIAGNOSTIC_SOURCE,
    code: duplicate ? DiagnosticCode.duplicateKey : `${DiagnosticCode.yamlSyntax}/${error.code}`,
    message: humanMessage(error),
  };
}

/** The `yaml` package's messages, trimmed to one sentence a person reads. */
function humanMessage(error: YAMLError): string {
  const first = error.message.split('\n')[0] ?? error.message;
  return first.replace(/ at line \d+, column \d+:?$/, '');
}
