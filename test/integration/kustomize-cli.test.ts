/**
 * The command line on a kustomization, through the real `kube-workbench`
 * script and bundle (`npm run build` first): `render DIR` prints what
 * `kubectl kustomize DIR` prints, and `validate DIR` reports the rendered
 * output's errors on the base's lines and the overlay's.
 */
import assert from 'node:assert/strict';
import { execFileSync, spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';

const BIN = join(__dirname, '..', '..', 'scripts', 'kube-workbench.js');

function cli(cwd: string, args: string[]): { code: number | null; out: string; err: string } {
  const r = spawnSync(process.execPath, [BIN, ...args], { cwd, encoding: 'utf8', timeout: 30_000 });
  assert.equal(r.error, undefined, `did not finish: ${String(r.error)}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const FILES: Record<string, string> = {
  'base/kustomization.yaml': 'resources:\n- app.yaml\nconfigMapGenerator:\n- name: settings\n  literals: [MODE=fast]\n',
  // Line 9: a port out of range, an error only the rendered Service shows where it comes from.
  'base/app.yaml': [
    'apiVersion: v1',
    'kind: Service',
    'metadata:',
    '  name: web',
    'spec:',
    '  selector: {app: web}',
    '  ports:',
    '  - name: http',
    '    port: 99999',
    '---',
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.25',
    '        envFrom: [{configMapRef: {name: settings}}]',
    '---',
    // Strings a YAML 1.1 reader (kubectl, the checks) would take for a boolean or an octal number.
    'apiVersion: v1',
    'kind: ConfigMap',
    'metadata: {name: flags}',
    'data: {enabled: "yes", mode: "0755"}',
    '',
  ].join('\n'),
  // Line 3: a prefix that makes every name invalid (upper case).
  'prod/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: Prod-\n',
  'good/kustomization.yaml': 'resources:\n- ../base\nnamePrefix: good-\nnamespace: prod\n',
  'broken/kustomization.yaml': 'resources:\n- ../base\n- missing.yaml\n',
};

describe('kube-workbench render and validate on a kustomization', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-kustomize-cli-'));
    for (const [file, text] of Object.entries(FILES)) {
      mkdirSync(join(dir, file, '..'), { recursive: true });
      writeFileSync(join(dir, file), text);
    }
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('render prints the objects kubectl kustomize prints, in its order', () => {
    const ours = cli(dir, ['render', 'good']);
    assert.equal(ours.code, 0, ours.err);
    const want = execFileSync('kubectl', ['kustomize', join(dir, 'good')], { encoding: 'utf8' });
    const parse = (t: string) => parseAllDocuments(t).map((d) => d.toJS() as unknown);
    assert.deepEqual(parse(ours.out), parse(want));
    // Read as kubectl apply reads it (YAML 1.1), the strings stay strings.
    const flags = parseAllDocuments(ours.out, { version: '1.1' })
      .map((d) => d.toJS() as { kind: string; data?: Record<string, unknown> })
      .find((o) => o.kind === 'ConfigMap' && o.data?.['enabled'] !== undefined);
    assert.deepEqual(flags?.data, { enabled: 'yes', mode: '0755' });
  });

  it('render exits 1 with FILE:LINE:COL for a missing resource, printing no YAML', () => {
    const r = cli(dir, ['render', 'broken']);
    assert.equal(r.code, 1);
    assert.equal(r.out, '');
    assert.match(r.err, /^broken\/kustomization\.yaml:3:3: error kustomize-missing-file /m);
  });

  it("validate DIR puts rendered errors on the base's line and on the overlay's prefix", () => {
    const r = cli(dir, ['validate', 'prod']);
    assert.equal(r.code, 1, r.err);
    assert.match(r.out, /^base\/app\.yaml:9:11: error invalid-port .*\(rendered by prod\)$/m);
    assert.match(r.out, /^prod\/kustomization\.yaml:3:13: error invalid-name .*\(rendered by prod\)$/m);
    assert.doesNotMatch(r.out, /missing-required|wrong-type/);
  });
});
