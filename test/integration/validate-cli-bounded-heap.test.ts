/**
 * `kube-workbench validate` on one file of many documents, most with findings
 * across documents (issue #18, row 4): what it keeps per document is small
 * enough that a file five times larger passes under the same small V8 heap as
 * the smaller one (findings kept compactly, index entries with packed ranges
 * and shared lists, the findings across documents taken resource by resource),
 * and reports five times the findings. The build before this overran that
 * heap on the larger file (36 MB: 10,000 documents; measured in docs/BENCHMARKS.md).
 * Then a file of 36,000 (15 MB, just under the size the checks across files take),
 * every Deployment's message its own (a missing ConfigMap of its own name), under
 * the same heap: the entries kept as bytes, the messages in a temporary file (the
 * build of session 10 overran it, and peaked at a 70 MB live heap without a limit).
 * Then a file over 16 MB (21 MB of 20,000 documents), which the build of session 11
 * checked without the checks across files: now with them, under the same heap.
 * Then 72,000 documents (30 MB, every name its own), twice the 36,000, under the same heap: the
 * index holds its entries as numbers (cli/flat-index.ts); the build of session 12 overran it.
 * Needs `npm run build` first (server/out/cli.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'scripts', 'kube-workbench.js');
/** The old generation's cap both files run under (MiB). */
const HEAP_MIB = Number(process.env.KW_TEST_HEAP_MIB ?? 36);

/**
 * `count` documents, each group of 20 the same but for its numbers: duplicates, missing references, lone Services.
 * `padding` characters of comment in each make the file larger without more to index.
 */
function documents(count: number, padding = 0): string {
  const parts: string[] = [];
  for (let i = 0; i < count; i++) {
    const k = i % 20;
    const app = `app-${i % 400}`;
    if (k === 0)
      parts.push(
        [
          'apiVersion: v1',
          'kind: Service',
          'metadata:',
          `  name: svc-${i}`,
          'spec:',
          '  selector:',
          `    app: none-${i}`,
          '  ports:',
          '  - port: 80',
          '    targetPort: http',
        ].join('\n'),
      );
    else if (k === 1)
      parts.push(
        ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: cfg-${i}`, 'data:', '  a: "1"', '  b: "2"'].join(
          '\n',
        ),
      );
    else
      parts.push(
        [
          'apiVersion: apps/v1',
          'kind: Deployment',
          'metadata:',
          // Every fifth a duplicate of the one before it.
          `  name: web-${k % 5 === 0 ? i - 1 : i}`,
          'spec:',
          '  selector:',
          '    matchLabels:',
          `      app: ${app}`,
          '  template:',
          '    metadata:',
          '      labels:',
          `        app: ${app}`,
          '    spec:',
          '      containers:',
          '      - name: web',
          '        image: nginx:1.27',
          '        ports:',
          '        - name: http',
          '          containerPort: 8080',
          '        resources:',
          '          requests: { cpu: 10m, memory: 16Mi }',
          '        envFrom:',
          `        - configMapRef: { name: missing-${i} }`,
        ].join('\n'),
      );
  }
  const pad = padding > 0 ? `\n# ${'x'.repeat(padding)}` : '';
  return `${parts.join(`${pad}\n---\n`)}${pad}\n`;
}

function validate(dir: string, file: string): { code: number | null; findings: { code: string }[]; err: string } {
  const r = spawnSync(
    process.execPath,
    [`--max-old-space-size=${HEAP_MIB}`, BIN, 'validate', '--format', 'json', file],
    {
      cwd: dir,
      encoding: 'utf8',
      maxBuffer: 256 << 20,
      timeout: 300_000,
    },
  );
  assert.equal(r.error, undefined, `validate did not finish: ${String(r.error)}`);
  assert.equal(r.status, 1, `exit ${String(r.status)} (a heap overrun aborts): ${r.stderr.slice(-2000)}`);
  return { code: r.status, findings: JSON.parse(r.stdout) as { code: string }[], err: r.stderr };
}

const countBy = (findings: readonly { code: string }[]): Map<string, number> => {
  const out = new Map<string, number>();
  for (const f of findings) out.set(f.code, (out.get(f.code) ?? 0) + 1);
  return out;
};

describe('validate: a file five times larger under the same heap', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-validate-heap-'));
    writeFileSync(join(dir, 'small.yaml'), documents(2_000));
    writeFileSync(join(dir, 'large.yaml'), documents(10_000));
    writeFileSync(join(dir, 'largest.yaml'), documents(36_000));
    writeFileSync(join(dir, 'twice.yaml'), documents(72_000));
    // 20,000 documents in 21 MB: over the 16 MB a file had to stay under to take part in the checks across files.
    writeFileSync(join(dir, 'over-16mb.yaml'), documents(20_000, 700));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it(`a file of 10,000 documents passes under the ${HEAP_MIB} MB heap a file of 2,000 passes under, with five times the findings`, () => {
    const small = countBy(validate(dir, 'small.yaml').findings);
    const large = countBy(validate(dir, 'large.yaml').findings);
    // Own findings and findings across documents, each five times as many.
    for (const code of ['duplicate-resource', 'missing-reference', 'unmatched-service-selector'])
      assert.ok((small.get(code) ?? 0) > 0, `no ${code} in ${JSON.stringify([...small])}`);
    assert.deepEqual([...large].sort(), [...small].map(([code, n]) => [code, n * 5]).sort());
  });

  it(`a file of 36,000 documents (15 MB) passes under the same ${HEAP_MIB} MB heap, with 18 times the findings`, () => {
    const small = countBy(validate(dir, 'small.yaml').findings);
    const largest = validate(dir, 'largest.yaml');
    assert.deepEqual([...countBy(largest.findings)].sort(), [...small].map(([code, n]) => [code, n * 18]).sort());
    assert.doesNotMatch(largest.err, /over 16 MB/);
  });

  it(`a file of 21 MB (20,000 documents) passes under the same ${HEAP_MIB} MB heap, with its findings across documents`, () => {
    const small = countBy(validate(dir, 'small.yaml').findings);
    const over = validate(dir, 'over-16mb.yaml');
    // Ten times each finding, those across documents (duplicates, missing ConfigMaps, lone Services) included.
    assert.deepEqual([...countBy(over.findings)].sort(), [...small].map(([code, n]) => [code, n * 10]).sort());
    assert.doesNotMatch(over.err, /over 16 MB|without the checks across files/);
  });

  it(`a file of 72,000 documents (30 MB) passes under the same ${HEAP_MIB} MB heap, with 36 times the findings`, () => {
    const small = countBy(validate(dir, 'small.yaml').findings);
    const twice = validate(dir, 'twice.yaml');
    assert.deepEqual([...countBy(twice.findings)].sort(), [...small].map(([code, n]) => [code, n * 36]).sort());
  });
});
