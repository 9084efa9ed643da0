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

export function sarifReport(findings: readonly Finding[], version: string): object {
  const ids = [...new Set([...Object.values(DiagnosticCode), ...findings.map((f) => f.code)])].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  return {
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
        results: findings.map((f) => ({
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
        })),
      },
    ],
  };
}
