/**
 * `kube-workbench validate --jobs N` (issue #18): files checked on worker
 * threads give the report a single thread gives, byte for byte and with the
 * same exit code, in every format, hostile files among them; and one 15 MB
 * file, read as a stream of documents, gives the diagnostics the editor
 * computes on the whole text, under a heap far smaller than the file's parse.
 * Needs `npm run build` first (server/out/cli.js).
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, readFileSync, rmSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { after, before, describe, it } from 'node:test';
import { byPosition, toFinding, type Finding } from '../../server/src/cli/finding';
import { createLanguageService } from '../../server/src/language-service';
import { corpusAvailable, corpusFiles, readCorpusFile } from '../unit/support/corpus';

const ROOT = join(__dirname, '..', '..');
const BIN = join(ROOT, 'scripts', 'kube-workbench.js');

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function validate(cwd: string, ...args: string[]): Run {
  const r = spawnSync(process.execPath, [BIN, 'validate', ...args], {
    cwd,
    encoding: 'utf8',
    timeout: 50_000,
    maxBuffer: 256 << 20,
  });
  assert.equal(r.error, undefined, `validate did not finish: ${String(r.error)}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

/** Files that reference each other across folders (a Service, its Deployment, a missing ConfigMap, a duplicate). */
function writeGenerated(root: string, count: number): void {
  for (let i = 0; i < count; i++) {
    const folder = join(root, 'generated', `app-${i % 7}`);
    mkdirSync(folder, { recursive: true });
    writeFileSync(
      join(folder, `app-${i}.yaml`),
      [
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: app-${i % 50}`, // every 50th a duplicate
        'spec:',
        `  replicas: ${i % 11 === 0 ? '"two"' : 2}`,
        '  selector: {matchLabels: {app: a' + i + '}}',
        '  template:',
        '    metadata: {labels: {app: a' + i + '}}',
        '    spec:',
        '      containers:',
        `        - name: c\n          image: nginx${i % 3 === 0 ? '' : ':1.27'}`,
        `          envFrom: [{configMapRef: {name: cfg-${i % 13}}}]`,
        '---',
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        `  name: svc-${i}`,
        'spec:',
        `  selector: {app: a${i % 5 === 0 ? 'x' : ''}${i}}`,
        '  ports: [{port: 80}]',
        ...(i % 13 === 0 ? ['---', 'apiVersion: v1', 'kind: ConfigMap', `metadata: {name: cfg-${i % 13}}`] : []),
        '',
      ].join('\n'),
    );
  }
}

describe('validate on worker threads and on a 15 MB file', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-validate-parallel-'));
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('gives the same report and exit code on 2 and 3 threads as on 1, in every format, hostile files among the rest', () => {
    const root = join(dir, 'tree');
    mkdirSync(root);
    // The real-world corpus where it is there (hundreds of files of every shape), and generated files always.
    if (corpusAvailable())
      for (const file of corpusFiles()) {
        mkdirSync(dirname(join(root, 'corpus', file)), { recursive: true });
        writeFileSync(join(root, 'corpus', file), readCorpusFile(file));
      }
    writeGenerated(root, 200);
    const hostile = join(root, 'hostile');
    mkdirSync(hostile);
    assert.equal(spawnSync('mkfifo', [join(hostile, 'pipe.yaml')]).status, 0, 'mkfifo');
    symlinkSync('..', join(hostile, 'up'));
    symlinkSync('self.yaml', join(hostile, 'self.yaml'));
    writeFileSync(join(hostile, 'binary.yaml'), Buffer.from(Array.from({ length: 4096 }, (_, i) => (i * 131) % 256)));
    writeFileSync(join(hostile, 'one-line.yaml'), `data: ${'x'.repeat(15 * 2 ** 20)}\n`);
    writeFileSync(join(hostile, 'empty.yaml'), '');
    writeFileSync(
      join(hostile, 'crlf.yaml'),
      'apiVersion: v1\r\nkind: Pod\r\nmetadata: {name: p}\r\nspec: {containrs: []}\r\n',
    );
    // A CustomResourceDefinition of `kind` (plural: lowercase + s) whose spec has one `field` of `type`.
    const crd = (kind: string, field: string, type: string): string =>
      [
        'apiVersion: apiextensions.k8s.io/v1',
        'kind: CustomResourceDefinition',
        `metadata: {name: ${kind.toLowerCase()}s.example.com}`,
        'spec:',
        '  group: example.com',
        `  names: {kind: ${kind}, plural: ${kind.toLowerCase()}s}`,
        '  scope: Namespaced',
        '  versions:',
        '    - name: v1',
        '      served: true',
        '      storage: true',
        '      schema:',
        '        openAPIV3Schema:',
        '          type: object',
        `          properties: {spec: {type: object, properties: {${field}: {type: ${type}}}}}`,
      ].join('\n');
    // A CRD in one file validates its custom resources in another, whichever thread checks each.
    writeFileSync(join(hostile, 'a-crd.yaml'), `${crd('Widget', 'size', 'integer')}\n`);
    writeFileSync(
      join(hostile, 'z-widget.yaml'),
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n',
    );
    // CRDs at both ends of the list (the first pass's batches go to whichever thread is free), two kinds in
    // one file, a kind defined twice, their resources at the other end.
    writeFileSync(
      join(root, 'generated', 'app-0', '0-crds.yaml'),
      [crd('Gadget', 'count', 'integer'), crd('Gizmo', 'name', 'string'), ''].join('\n---\n'),
    );
    writeFileSync(join(hostile, 'y-gizmo-again.yaml'), `${crd('Gizmo', 'name', 'integer')}\n`);
    writeFileSync(
      join(hostile, 'x-gadgets.yaml'),
      'apiVersion: example.com/v1\nkind: Gadget\nmetadata: {name: g}\nspec: {count: many}\n---\n' +
        'apiVersion: example.com/v1\nkind: Gizmo\nmetadata: {name: z}\nspec: {name: text}\n',
    );
    writeFileSync(
      join(root, 'generated', 'app-0', '1-widgets.yaml'),
      'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w0}\nspec: {size: large}\n',
    );

    const runs: Record<string, Run> = {};
    for (const [format, jobs] of [
      ['json', ['2', '3']],
      ['junit', ['3']],
    ] as const) {
      const one = validate(root, '--jobs', '1', '--format', format, '.');
      for (const n of jobs) {
        const many = validate(root, `--jobs=${n}`, '--format', format, '.');
        assert.equal(many.code, one.code, `${format}: exit code`);
        assert.equal(many.err, one.err, `${format}: stderr`);
        assert.ok(many.out === one.out, `${format}: the report differs between 1 and ${n} threads`);
      }
      runs[format] = one;
    }
    const json = runs.json ?? assert.fail('no json run');
    assert.equal(json.code, 3, 'the FIFO and the link to itself cannot be read');
    assert.match(json.err, /cannot read hostile\/pipe\.yaml: it is a FIFO/);
    assert.match(json.err, /cannot read hostile\/self\.yaml: too many levels of symbolic links/);
    assert.match(json.err, /skipped hostile\/up: it leads back to a folder that contains it/);
    // Text and SARIF are written from the same findings: on 3 and 2 threads, they are the single thread's JSON findings.
    const findings = JSON.parse(json.out) as Finding[];
    const text = validate(root, '--jobs', '3', '.');
    assert.equal(text.code, json.code);
    assert.ok(
      text.out ===
        findings.map((f) => `${f.file}:${f.line}:${f.column}: ${f.severity} ${f.code} ${f.message}\n`).join(''),
      'the text report on 3 threads is the JSON findings of 1 thread',
    );
    const sarif = JSON.parse(validate(root, '--jobs', '2', '--format', 'sarif', '.').out) as {
      runs: { results: unknown[] }[];
    };
    assert.equal(sarif.runs[0]?.results.length, findings.length);
    assert.match(text.out, /^hostile\/binary\.yaml:1:\d+: error invalid-encoding /m);
    assert.match(text.out, /^hostile\/crlf\.yaml:4:\d+: \w+ unknown-field .*containrs/m);
    assert.match(text.out, /^hostile\/z-widget\.yaml:4:\d+: error wrong-type /m);
    assert.doesNotMatch(text.out + json.err, /empty\.yaml/);
    assert.match(text.out, /^hostile\/x-gadgets\.yaml:4:\d+: error wrong-type /m);
    assert.match(text.out, /^generated\/app-0\/1-widgets\.yaml:4:\d+: error wrong-type /m);
    assert.match(text.out, /^generated\/app-\d\/app-0\.yaml:6:\d+: error wrong-type /m);
    assert.match(text.out, /^generated\/app-\d\/app-\d+\.yaml:4:\d+: \w+ duplicate-resource /m);
    assert.match(text.out, /^generated\/app-\d\/app-\d+\.yaml:\d+:\d+: \w+ missing-reference /m);
  });

  it('rejects a --jobs that is not a whole number from 1 to 256', () => {
    for (const bad of ['0', '1.5', '1e3', '99999999999999999999']) {
      const run = validate(dir, '--jobs', bad, '.');
      assert.equal(run.code, 2, `--jobs ${bad}`);
      assert.match(run.err, /--jobs takes a whole number from 1 to 256/);
    }
  });

  it('checks a 15 MB file under a 96 MB heap, with the diagnostics the editor gives on its whole text', () => {
    const docs: string[] = [];
    let size = 0;
    for (let i = 0; size < 15 * 2 ** 20; i++) {
      const lines = ['apiVersion: v1', 'kind: ConfigMap', 'metadata:', `  name: cm-${i % 250}`, 'data:'];
      for (let k = 0; k < 400; k++) lines.push(`  key${k}: "${String(i).repeat(1 + (k % 40))}"`);
      if (i % 37 === 0) lines.push('  bad: [not, a, string]');
      if (i % 53 === 0) lines.push('dta: {}');
      const doc = lines.join('\n');
      docs.push(doc);
      size += doc.length + 5;
    }
    const text = `${docs.join('\n---\n')}\n`;
    const file = join(dir, 'big.yaml');
    writeFileSync(file, text);
    const r = spawnSync(
      process.execPath,
      ['--max-old-space-size=96', BIN, 'validate', '--format', 'json', 'big.yaml'],
      {
        cwd: dir,
        encoding: 'utf8',
        timeout: 50_000,
        maxBuffer: 256 << 20,
      },
    );
    assert.equal(r.error, undefined, `validate did not finish: ${String(r.error)}`);
    assert.equal(r.status, 1, r.stderr);
    const cli = JSON.parse(r.stdout) as unknown[];

    // The editor's path: the whole text at once, then the workspace index's checks.
    const service = createLanguageService();
    const whole = readFileSync(file, 'utf8');
    const uri = pathToFileURL(file).href;
    service.workspace.update(uri, whole);
    const editor = [...service.diagnostics(whole, { manifestsAround: true }), ...service.workspace.diagnostics(uri)]
      .map((d) => toFinding('big.yaml', d))
      .sort(byPosition);
    assert.ok(editor.some((f) => f.code === 'wrong-type') && editor.some((f) => f.code === 'duplicate-resource'));
    assert.deepEqual(cli, editor);
  });
});
