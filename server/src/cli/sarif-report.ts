/**
 * `validate --format sarif`: SARIF 2.1.0 as GitHub code scanning reads it. One
 * run, one rule per diagnostic code (every code we have, plus the YAML
 * parser's `yaml-syntax/...` codes met), one result per finding with its
 * physical location: the file relative to the working directory (a URI
 * reference under %SRCROOT%), 1-based lines and columns in UTF-16 code units.
 */
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import type { FindingStore, ReportFile } from './finding-store.js';
import type { Finding } from './finding.js';
import { RULE_DESCRIPTIONS } from './rule-descriptions.js';

const LEVEL = { error: 'error', warning: 'warning', info: 'note' } as const;

/** A path as a SARIF artifact URI: relative ones stay relative (percent-encoded per segment), absolute ones become file URIs. */
function artifactUri(file: string): { uri: string; uriBaseId?: string } {
  if (isAbsolute(file)) return { uri: pathToFileURL(file).href };
  const uri = file.split(/[\\/]/).map(encodeURIComponent).join('/');
  return { uri, uriBaseId: '%SRCROOT%' };
}

function description(code: string): string {
  const base = code.split('/')[0] ?? code;
  return (RULE_DESCRIPTIONS as Record<string, string | undefined>)[base] ?? code;
}

/**
 * Writes the report a result at a time: the same bytes as
 * `JSON.stringify(report, null, 2)` of the whole report, without holding it.
 */
export function writeSarifReport(
  files: readonly ReportFile[],
  store: FindingStore,
  version: string,
  write: (text: string) => void,
): void {
  const met = new Set<string>(Object.values(DiagnosticCode));
  for (const f of files) for (const i of f.findings) met.add(store.code(i));
  const ids = [...met].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const report = {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-workbench',
            semanticVersion: version,
            rules: ids.map((id) => ({
              id,
              name: id,
              shortDescription: { text: description(id) },
            })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: [],
      },
    ],
  };
  const text = JSON.stringify(report, null, 2);
  // `results` is the run's last key: its empty list is where the results go.
  const EMPTY = '"results": []';
  const at = text.lastIndexOf(EMPTY);
  const count = files.reduce((n, f) => n + f.findings.length, 0);
  if (count === 0) return write(`${text}\n`);
  write(`${text.slice(0, at)}"results": [\n`);
  let first = true;
  for (const f of files)
    for (const i of f.findings) {
      const json = JSON.stringify(result(store.finding(i), index), null, 2).replace(/\n/g, `\n${RESULT_INDENT}`);
      write(`${first ? '' : ',\n'}${RESULT_INDENT}${json}`);
      first = false;
    }
  write(`\n      ]${text.slice(at + EMPTY.length)}\n`);
}

/** A result's indent in the report: inside `runs[0].results`. */
const RESULT_INDENT = ' '.repeat(8);

function result(f: Finding, index: ReadonlyMap<string, number>): object {
  return {
    ruleId: f.code,
    ruleIndex: index.get(f.code),
    level: LEVEL[f.severity],
    message: { text: f.message },
    locations: [
      {
        physicalLocation: {
          artifactLocation: artifactUri(f.file),
          region: {
            startLine: f.line,
            startColumn: f.column,
            endLine: f.endLine,
            endColumn: f.endColumn,
          },
        },
      },
    ],
  };
}
