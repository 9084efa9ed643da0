/**
 * `kube-workbench validate` on one file of many documents with findings in
 * most of them, own and across documents (issue #18, row 4): every format
 * gives, byte for byte, the report written from the editor's diagnostics of
 * the whole text (the findings kept compactly, the index entries detached from
 * the text, the report written a piece at a time change nothing), under a heap
 * that holds far less than the text's parse. Hostile bits inside: invalid
 * CRLF line ends, a `__proto__` label, markup and quotes in names, text that is
 * not ASCII.
 * Needs `npm run build` first (server/out/cli.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { FindingStore } from '../../server/src/cli/finding-store';
import { casesOf } from '../../server/src/cli/junit-report';
import { gathered, writeReport, type ReportFormat } from '../../server/src/cli/write-report';
import { createLanguageService } from '../../server/src/language-service';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'scripts', 'kube-workbench.js');
const VERSION = (JSON.parse(readFileSync(join(ROOT, 'package.json'), 'utf8')) as { version: string }).version;

/** About 6 MB: Deployments (some duplicates, some naming missing ConfigMaps), ConfigMaps, a few Services. */
function manyDocuments(count: number): Buffer {
  const parts: Buffer[] = [];
  for (let i = 0; i < count; i++) {
    const name = i % 97 === 0 ? `app-"<&>'-${i % 5}` : `application-with-a-long-name-${i % 900}`;
    const lines =
      i % 50 === 0
        ? [
            'apiVersion: v1',
            'kind: Service',
            'metadata:',
            `  name: svc-${i}`,
            'spec:',
            '  selector:',
            `    app: nothing-${i % 3}`,
          ]
        : i % 7 === 0
          ? [
              'apiVersion: v1',
              'kind: ConfigMap',
              'metadata:',
              `  name: cfg-${i}`,
              'data:',
              `  key: "${'v'.repeat(i % 300)}"`,
            ]
          : [
              'apiVersion: apps/v1',
              'kind: Deployment',
              'metadata:',
              `  name: '${name.replace(/'/g, "''")}'`,
              '  labels:',
              `    __proto__: polluted-${i % 4}`,
              'spec:',
              `  replicas: ${i % 11 === 0 ? '"two"' : 2}`,
              `  selector: {matchLabels: {app: a${i}}}`,
              '  template:',
              `    metadata: {labels: {app: a${i}}}`,
              '    spec:',
              '      containers:',
              `        - name: c${i % 13 === 0 ? '_bad' : ''}`,
              `          image: nginx${i % 3 === 0 ? '' : ':1.27'}`,
              `          envFrom: [{configMapRef: {name: cfg-${i % 20}}}]`,
              ...(i % 17 === 0 ? ['          unknownField: 1'] : []),
            ];
    const eol = i % 29 === 0 ? '\r\n' : '\n';
    parts.push(Buffer.from(`${lines.join(eol)}${eol}`));
    // Text that is not ASCII in a comment now and then (bytes that are not UTF-8: validate-cli-hostile-files).
    if (i % 401 === 0) parts.push(Buffer.from('# ünïcödé ✓ 名前 \u{1F600}\n'));
    parts.push(Buffer.from('---\n'));
  }
  return Buffer.concat(parts);
}

/** The report written from the editor's path: the whole text's diagnostics, then the workspace index's. */
function editorReport(file: string, format: ReportFormat): string {
  const service = createLanguageService();
  const whole = readFileSync(file, 'utf8');
  const uri = pathToFileURL(file).href;
  service.workspace.update(uri, whole);
  const store = new FindingStore();
  const id = store.file(file, 'many.yaml');
  if (format === 'junit') store.addCases(id, casesOf(service.parse(whole)));
  for (const d of service.diagnostics(whole, { manifestsAround: true })) store.add(id, d);
  for (const d of service.workspace.diagnostics(uri)) store.add(id, d);
  let text = '';
  const out = gathered((piece) => (text += piece));
  writeReport(
    format,
    store.report(() => false),
    store,
    () => VERSION,
    out.write,
  );
  out.flush();
  return text;
}

describe('validate: one file of many documents', () => {
  let dir: string;
  let file: string;
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-validate-many-'));
    file = join(dir, 'many.yaml');
    writeFileSync(file, manyDocuments(12_000));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  for (const format of ['json', 'text', 'sarif', 'junit'] as const) {
    it(`${format}: the report the editor's diagnostics give, byte for byte, under a 64 MB heap`, () => {
      const r = spawnSync(
        process.execPath,
        ['--max-old-space-size=64', BIN, 'validate', '--format', format, 'many.yaml'],
        { cwd: dir, encoding: 'utf8', timeout: 120_000, maxBuffer: 256 << 20 },
      );
      assert.equal(r.error, undefined, `validate did not finish: ${String(r.error)}`);
      assert.equal(r.status, 1, r.stderr.slice(0, 2000));
      assert.equal(r.stderr, '');
      const expected = editorReport(file, format);
      if (format === 'json') {
        const codes = new Set((JSON.parse(expected) as { code: string }[]).map((f) => f.code));
        for (const code of ['duplicate-resource', 'missing-reference', 'unknown-field', 'wrong-type'])
          assert.ok(codes.has(code), `${code} among ${[...codes].join(', ')}`);
      }
      assert.equal(r.stdout, expected);
    });
  }
});
