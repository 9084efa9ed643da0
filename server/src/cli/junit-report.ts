/**
 * `validate --format junit`: one <testsuite> per file, one <testcase> per
 * YAML document (named by its kind and name, with its first line), a
 * <failure> in the testcase of each document with errors, giving the first
 * error's message and position and listing every finding; warnings alone do
 * not fail a testcase (they are listed in its <system-out>).
 */
import { isMap, isScalar, type Document } from 'yaml';
import type { ManifestFile } from '../document/manifest-file.js';
import type { Finding } from './finding.js';

export interface CheckedFile {
  /** As the findings name it. */
  file: string;
  /** Its YAML documents, in order (`casesOf` each streamed document). */
  cases: Case[];
  findings: Finding[];
}

export interface Case {
  name: string;
  /** 1-based first line of the document. */
  line: number;
  findings: Finding[];
}

/** XML 1.0 has no way to write most control characters or lone surrogates: they become U+FFFD. */
function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function scalar(doc: Document.Parsed, path: string[]): string | undefined {
  const node = doc.getIn(path, true);
  return isScalar(node) && typeof node.value === 'string' ? node.value : undefined;
}

/** The testcases of a parsed text whose first line is line `startLine` (zero-based) of its file. */
export function casesOf(file: ManifestFile, startLine = 0): Case[] {
  const cases: Case[] = [];
  for (const { chunk, parsed } of file.chunks) {
    const doc = parsed.docs[0];
    const hasContent = doc !== undefined && doc.contents !== null;
    if (!hasContent && parsed.failure === undefined) continue;
    const kind = doc && isMap(doc.contents) ? scalar(doc, ['kind']) : undefined;
    const name = doc && isMap(doc.contents) ? scalar(doc, ['metadata', 'name']) : undefined;
    const label = kind ? `${kind} ${name ?? '(unnamed)'}` : 'YAML document';
    const line = startLine + chunk.startLine + 1;
    cases.push({ name: `${label} (line ${line})`, line, findings: [] });
  }
  return cases;
}

const position = (f: Finding) => `${f.file}:${f.line}:${f.column}`;

function testcase(suite: string, c: Case): string {
  const errors = c.findings.filter((f) => f.severity === 'error');
  const listing = c.findings.map((f) => `${position(f)}: ${f.severity} ${f.code} ${f.message}`).join('\n');
  const head = `    <testcase classname="${xml(suite)}" name="${xml(c.name)}" file="${xml(suite)}" line="${c.line}"`;
  if (c.findings.length === 0) return `${head}/>`;
  const first = errors[0];
  const body =
    first === undefined
      ? `      <system-out>${xml(listing)}</system-out>`
      : `      <failure message="${xml(`${position(first)}: ${first.message}${errors.length > 1 ? ` (and ${errors.length - 1} more errors)` : ''}`)}" type="${xml(first.code)}">${xml(listing)}</failure>`;
  return `${head}>\n${body}\n    </testcase>`;
}

export function junitReport(files: readonly CheckedFile[]): string {
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const f of files) {
    const cases = f.cases.map((c) => ({ ...c, findings: [] as Finding[] }));
    for (const finding of f.findings) {
      // The document a finding falls in: the last one starting at or before its line.
      let target = cases[0];
      for (const c of cases) if (c.line <= finding.line) target = c;
      if (target === undefined) {
        target = { name: 'YAML document (line 1)', line: 1, findings: [] };
        cases.push(target);
      }
      target.findings.push(finding);
    }
    const failed = cases.filter((c) => c.findings.some((x) => x.severity === 'error')).length;
    tests += cases.length;
    failures += failed;
    suites.push(
      [
        `  <testsuite name="${xml(f.file)}" tests="${cases.length}" failures="${failed}" errors="0" skipped="0">`,
        ...cases.map((c) => testcase(f.file, c)),
        '  </testsuite>',
      ].join('\n'),
    );
  }
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="kube-workbench validate" tests="${tests}" failures="${failures}" errors="0">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}
