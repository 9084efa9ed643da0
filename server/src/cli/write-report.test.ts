/**
 * `validate`'s reports written a piece at a time from the compact store give
 * the bytes the whole-report writers gave (kept here as the reference: finding
 * objects sorted by position, one `JSON.stringify` of the whole list or SARIF
 * document, one joined JUnit text), for many files and documents with hostile
 * messages, names and positions; and the string table's copies keep no text alive.
 */
import assert from 'node:assert/strict';
import { tmpdir } from 'node:os';
import { describe, it } from 'node:test';
import type { Diagnostic } from 'vscode-languageserver-types';
import { DiagnosticSeverity } from 'vscode-languageserver-types';
import { seeded } from '../test-support/seeded-random.js';
import { FindingStore } from './finding-store.js';
import { byPosition, toFinding, type Finding } from './finding.js';
import type { Case } from './junit-report.js';
import { RULE_DESCRIPTIONS } from './rule-descriptions.js';
import { DiagnosticCode } from '../protocol/diagnostic-codes.js';
import { StringTable } from './string-table.js';
import { gathered, writeReport, type ReportFormat } from './write-report.js';
import { isAbsolute } from 'node:path';
import { pathToFileURL } from 'node:url';

interface CheckedFile {
  file: string;
  cases: Case[];
  findings: Finding[];
}

const HOSTILE = [
  'plain message',
  'quotes " and \' and <tags> & </failure>]]>',
  'control \u0001 \u0008 \u001f and tab \t and CR \r',
  'lone surrogates \uD800 and \uDFFF; pair \uD83D\uDE00',
  'line\nbreak',
  '__proto__',
  'ünïcödé ✓ 名前',
  '',
];
const FILES = ['a.yaml', 'dir/b c.yaml', '/abs/path/ü.yaml', 'stdin', 'x&y<z>.yaml', '%41.yaml'];
const CODES = [...Object.values(DiagnosticCode).slice(0, 5), 'yaml-syntax/BAD_INDENT', 'zz-unknown', '', 'Ab', 'aB'];

/** Many files of many documents: findings in any order, ties, cases in order or not, none, findings before the first. */
function generate(seed: number): { files: CheckedFile[]; diagnostics: [number, Diagnostic][] } {
  const random = seeded(seed);
  const pick = <T>(list: readonly T[]): T => list[Math.floor(random() * list.length)] as T;
  const files: CheckedFile[] = FILES.map((file) => ({ file, cases: [], findings: [] }));
  const diagnostics: [number, Diagnostic][] = [];
  files.forEach((f, k) => {
    const documents = k === 1 ? 0 : Math.floor(random() * 300);
    let line = k === 2 ? 5 : 1;
    for (let d = 0; d < documents; d++) {
      f.cases.push({
        name: `${pick(['Deployment', 'Service', 'YAML document'])} ${pick(HOSTILE)} (line ${line})`,
        line,
        findings: [],
      });
      line += 1 + Math.floor(random() * 20);
    }
    // One file's cases out of line order (as no streamed file makes them, but the writer must not care).
    if (k === 3) f.cases.reverse();
    const count = Math.floor(random() * 400);
    for (let i = 0; i < count; i++) {
      const start = Math.floor(random() * (line + 3));
      const severity = pick<DiagnosticSeverity | 0>([
        DiagnosticSeverity.Error,
        DiagnosticSeverity.Warning,
        DiagnosticSeverity.Information,
        0,
      ]);
      const code = pick<string | number | undefined>([...CODES, 7, undefined]);
      diagnostics.push([
        k,
        {
          range: {
            start: { line: start, character: Math.floor(random() * 4) },
            end: { line: start + Math.floor(random() * 3), character: Math.floor(random() * 2 ** 24) },
          },
          ...(severity === 0 ? {} : { severity }),
          ...(code === undefined ? {} : { code }),
          message: `${pick(HOSTILE)} ${i}`,
        },
      ]);
    }
  });
  return { files, diagnostics };
}

/** The reports as written before the store: whole finding lists and documents. */
function referenceReport(format: ReportFormat, checked: CheckedFile[]): string {
  for (const c of checked) c.findings.sort(byPosition);
  const findings = checked.flatMap((c) => c.findings);
  switch (format) {
    case 'json':
      return findings.length === 0 ? '[]\n' : `${JSON.stringify(findings, null, 2)}\n`;
    case 'text':
      return findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`).join('');
    case 'sarif':
      return `${JSON.stringify(referenceSarif(findings), null, 2)}\n`;
    case 'junit':
      return referenceJunit(checked);
  }
}

function referenceSarif(findings: readonly Finding[]): object {
  const ids = [...new Set([...Object.values(DiagnosticCode), ...findings.map((f) => f.code)])].sort();
  const index = new Map(ids.map((id, i) => [id, i]));
  const uri = (file: string) =>
    isAbsolute(file)
      ? { uri: pathToFileURL(file).href }
      : { uri: file.split(/[\\/]/).map(encodeURIComponent).join('/'), uriBaseId: '%SRCROOT%' };
  const description = (code: string) =>
    (RULE_DESCRIPTIONS as Record<string, string | undefined>)[code.split('/')[0] ?? code] ?? code;
  return {
    $schema: 'https://json.schemastore.org/sarif-2.1.0.json',
    version: '2.1.0',
    runs: [
      {
        tool: {
          driver: {
            name: 'kube-workbench',
            semanticVersion: '9.9.9',
            rules: ids.map((id) => ({ id, name: id, shortDescription: { text: description(id) } })),
          },
        },
        columnKind: 'utf16CodeUnits',
        results: findings.map((f) => ({
          ruleId: f.code,
          ruleIndex: index.get(f.code),
          level: ({ error: 'error', warning: 'warning', info: 'note' } as const)[f.severity],
          message: { text: f.message },
          locations: [
            {
              physicalLocation: {
                artifactLocation: uri(f.file),
                region: { startLine: f.line, startColumn: f.column, endLine: f.endLine, endColumn: f.endColumn },
              },
            },
          ],
        })),
      },
    ],
  };
}

function xml(text: string): string {
  return text
    .replace(/[^\t\n\r\u0020-\uD7FF\uE000-\uFFFD\u{10000}-\u{10FFFF}]/gu, '\uFFFD')
    .replace(/&/g, '&amp;')
    .replace(/</g, '&lt;')
    .replace(/>/g, '&gt;')
    .replace(/"/g, '&quot;')
    .replace(/'/g, '&apos;');
}

function referenceJunit(files: readonly CheckedFile[]): string {
  const position = (f: Finding) => `${f.file}:${f.line}:${f.column}`;
  const testcase = (suite: string, c: Case): string => {
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
  };
  const suites: string[] = [];
  let tests = 0;
  let failures = 0;
  for (const f of files) {
    const cases = f.cases.map((c) => ({ ...c, findings: [] as Finding[] }));
    for (const finding of f.findings) {
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

function written(
  format: ReportFormat,
  files: CheckedFile[],
  diagnostics: [number, Diagnostic][],
  skip = new Set<string>(),
  spillTo?: string,
  blocks?: { kept: number; bits: number },
) {
  const store = new FindingStore(spillTo, blocks?.kept, blocks?.bits);
  assert.equal(store.spilled, spillTo !== undefined);
  const ids = files.map((f) => store.file(`/key/${f.file}`, f.file));
  files.forEach((f, k) => store.addCases(ids[k] ?? 0, f.cases));
  for (const [k, d] of diagnostics) store.add(ids[k] ?? 0, d);
  let text = '';
  const out = gathered((piece) => (text += piece));
  writeReport(
    format,
    store.report((file) => skip.has(file)),
    store,
    () => '9.9.9',
    out.write,
  );
  out.flush();
  // Past 256 KiB of records (5,462 findings) beyond the kept blocks, they are in the file.
  if (blocks && spillTo)
    assert.equal(store.findingsSpilled, diagnostics.length - ((blocks.kept + 1) << blocks.bits) > 5462);
  store.close();
  return text;
}

describe('validate reports written from the findings store', () => {
  for (const format of ['json', 'text', 'sarif', 'junit'] as const) {
    it(`${format}: the same bytes as the whole report, over many files, documents and hostile messages`, () => {
      for (const seed of [1, 2, 3, 4, 5]) {
        const { files, diagnostics } = generate(seed);
        const expected = files.map((f) => ({ ...f, cases: [...f.cases], findings: [] as Finding[] }));
        for (const [k, d] of diagnostics) expected[k]?.findings.push(toFinding(files[k]?.file ?? '', d));
        const reference = referenceReport(format, expected);
        assert.equal(written(format, files, diagnostics), reference, `seed ${seed}`);
        // The messages in a temporary file: the same bytes.
        assert.equal(written(format, files, diagnostics, new Set(), tmpdir()), reference, `seed ${seed}, spilled`);
        // Findings in blocks of 1 to 64, sorted, merged, all but one or a few read back from a temporary file.
        for (const [kept, bits] of [
          [1, 0],
          [1, 2],
          [3, 4],
          [2, 6],
        ] as const) {
          const blocks = { kept, bits };
          const message = `seed ${seed}, blocks of ${1 << bits}, ${kept} kept`;
          assert.equal(written(format, files, diagnostics, new Set(), tmpdir(), blocks), reference, message);
          // No temporary folder: every block stays in memory, sorted and merged the same way.
          assert.equal(
            written(format, files, diagnostics, new Set(), undefined, blocks),
            reference,
            `${message}, kept`,
          );
        }
      }
    });
  }

  it('reads findings back from the temporary file in report order, across files and blocks', () => {
    const random = seeded(11);
    const files: CheckedFile[] = ['a.yaml', 'b.yaml', 'c.yaml'].map((file) => ({ file, cases: [], findings: [] }));
    const diagnostics: [number, Diagnostic][] = [];
    // Each file's own findings in line order, then findings across files in any order, codes tying on a line.
    for (let i = 0; i < 30_000; i++) {
      const k = Math.floor(random() * 3);
      const line = i < 15_000 ? i : Math.floor(random() * 15_000);
      diagnostics.push([
        k,
        {
          range: { start: { line, character: Math.floor(random() * 2) }, end: { line, character: 2 ** 33 } },
          severity: DiagnosticSeverity.Warning,
          code: CODES[Math.floor(random() * CODES.length)] ?? '',
          message: `${HOSTILE[i % HOSTILE.length] ?? ''} ${i}`,
        },
      ]);
    }
    const expected = files.map((f) => ({ ...f, cases: [], findings: [] as Finding[] }));
    for (const [k, d] of diagnostics) expected[k]?.findings.push(toFinding(files[k]?.file ?? '', d));
    for (const format of ['json', 'junit'] as const) {
      const reference = referenceReport(format, structuredClone(expected));
      for (const [kept, bits] of [
        [1, 8],
        [4, 12],
      ] as const)
        assert.equal(written(format, files, diagnostics, new Set(), tmpdir(), { kept, bits }), reference);
    }
  });

  it('leaves out the files it is told to (unreadable ones), and writes empty reports as before', () => {
    const { files, diagnostics } = generate(9);
    const skip = new Set(['a.yaml', 'stdin']);
    const expected = files
      .map((f, k) => ({
        ...f,
        cases: [...f.cases],
        findings: diagnostics.filter(([i]) => i === k).map(([, d]) => toFinding(f.file, d)),
      }))
      .filter((f) => !skip.has(f.file));
    for (const format of ['json', 'text', 'sarif', 'junit'] as const) {
      assert.equal(written(format, files, diagnostics, skip), referenceReport(format, expected));
      assert.equal(written(format, [], []), referenceReport(format, []));
    }
  });
});

describe('StringTable', () => {
  it('keeps one copy of equal strings, and copies of data that no longer hold the text they were cut from', () => {
    const table = new StringTable();
    const text = `${'x'.repeat(1000)}name-that-is-long-enough\uD800${'y'.repeat(1000)}`;
    const range = { start: { line: 1, character: 2 }, end: { line: 1, character: 3 } };
    const labels: Record<string, string> = {};
    Object.defineProperty(labels, '__proto__', { value: text.slice(1000, 1024), enumerable: true, writable: true });
    const value = {
      name: text.slice(1000, 1025),
      range,
      nested: [range, { keys: new Set([text.slice(1001, 1010)]), data: new Map([[text.slice(990, 1005), range]]) }],
      labels,
      count: 3,
      none: undefined,
    };
    const copy = table.detach(value);
    assert.deepEqual(copy, value);
    assert.notEqual(copy, value);
    // Ranges hold no strings: kept as they are, and shared where they were shared.
    assert.equal(copy.range, range);
    assert.equal(copy.nested[0], copy.range);
    assert.equal(Object.getPrototypeOf(copy.labels), Object.prototype);
    assert.deepEqual(Object.keys(copy.labels), ['__proto__']);
    assert.equal(table.intern(text.slice(1000, 1025)), copy.name);
    const numbers = { a: 1, b: [2, 3], c: { start: range } };
    assert.equal(table.detach(numbers), numbers);
  });
});
