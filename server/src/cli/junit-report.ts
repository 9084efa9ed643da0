/**
 * `validate --format junit`: one <testsuite> per file, one <testcase> per
 * YAML document (named by its kind and name, with its first line), a
 * <failure> in the testcase of each document with errors, giving the first
 * error's message and position and listing every finding; warnings alone do
 * not fail a testcase (they are listed in its <system-out>).
 */
import { isMap, isScalar, type Document } from 'yaml';
import type { ManifestFile } from '../document/manifest-file.js';
import type { CaseHead, CaseList, FindingStore, ReportFile } from './finding-store.js';
import type { Finding } from './finding.js';

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

function testcase(suite: string, c: CaseHead & { readonly findings: readonly Finding[] }): string {
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

/**
 * Writes the report a file at a time: each finding goes to the last test case
 * starting at or before its line (found by halving when the cases are in line
 * order), or the first case; a file without cases gets one at line 1.
 */
export function writeJunitReport(
  files: readonly ReportFile[],
  store: FindingStore,
  write: (text: string) => void,
): void {
  const placed = files.map((f) => place(f, store));
  let tests = 0;
  let failures = 0;
  for (const p of placed) {
    tests += p.cases.length;
    failures += p.failed;
  }
  write(
    `<?xml version="1.0" encoding="UTF-8"?>\n<testsuites name="kube-workbench validate" tests="${tests}" failures="${failures}" errors="0">\n`,
  );
  files.forEach((f, k) => {
    const p = placed[k];
    if (!p) return;
    write(
      `  <testsuite name="${xml(f.file)}" tests="${p.cases.length}" failures="${p.failed}" errors="0" skipped="0">\n`,
    );
    // The findings of each case are contiguous in `order` (grouped by case, in report order within one).
    let at = 0;
    for (let ci = 0; ci < p.cases.length; ci++) {
      const findings: Finding[] = [];
      const end = at + (p.counts[ci] ?? 0);
      for (; at < end; at++) findings.push(store.finding(p.order[at] ?? 0));
      write(`${testcase(f.file, { ...p.cases.case(ci), findings })}\n`);
    }
    write('  </testsuite>\n');
  });
  write('</testsuites>\n');
}

interface Placed {
  readonly cases: CaseList;
  /** Findings per case. */
  readonly counts: Int32Array;
  /** The file's findings grouped by case (in case order), each group in report order. */
  readonly order: Int32Array;
  /** Cases with at least one error. */
  readonly failed: number;
}

/** The one case of a file whose findings are in no document. */
const FIRST_LINE: CaseList = {
  length: 1,
  case: () => ({ name: 'YAML document (line 1)', line: 1 }),
  line: () => 1,
};

function place(f: ReportFile, store: FindingStore): Placed {
  // A file without cases (its findings are not in any document) gets one at line 1 for all of them.
  const cases = f.cases.length === 0 && f.findings.length > 0 ? FIRST_LINE : f.cases;
  let inOrder = true;
  for (let i = 1; i < cases.length && inOrder; i++) inOrder = cases.line(i - 1) <= cases.line(i);
  const target = new Int32Array(f.findings.length);
  f.findings.forEach((i, k) => {
    const line = store.line(i);
    // The last case starting at or before the finding's line, else the first.
    let t = 0;
    if (inOrder) {
      let lo = 0;
      let hi = cases.length;
      while (lo < hi) {
        const mid = (lo + hi) >> 1;
        if (cases.line(mid) <= line) lo = mid + 1;
        else hi = mid;
      }
      t = Math.max(0, lo - 1);
    } else for (let ci = 0; ci < cases.length; ci++) if (cases.line(ci) <= line) t = ci;
    target[k] = t;
  });
  const counts = new Int32Array(cases.length);
  const errors = new Uint8Array(cases.length);
  f.findings.forEach((i, k) => {
    const t = target[k] ?? 0;
    counts[t] = (counts[t] ?? 0) + 1;
    if (store.isError(i)) errors[t] = 1;
  });
  const starts = new Int32Array(cases.length);
  for (let c = 1; c < cases.length; c++) starts[c] = (starts[c - 1] ?? 0) + (counts[c - 1] ?? 0);
  const order = new Int32Array(f.findings.length);
  f.findings.forEach((i, k) => {
    const t = target[k] ?? 0;
    order[starts[t] ?? 0] = i;
    starts[t] = (starts[t] ?? 0) + 1;
  });
  return { cases, counts, order, failed: errors.reduce((n, e) => n + e, 0) };
}
