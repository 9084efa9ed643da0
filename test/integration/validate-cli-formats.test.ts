/**
 * `kube-workbench validate` as CI uses it (issue #17, item 13): standard input
 * (`-`), the workspace's cross-file checks over the paths given, every
 * Kubernetes version the schemas hold, SARIF 2.1.0 for GitHub code scanning
 * and JUnit XML, and the documented exit codes. Needs `npm run build` first.
 */
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, it } from 'node:test';

const BIN = join(__dirname, '..', '..', 'scripts', 'kube-workbench.js');
const EXIT = { clean: 0, errorsFound: 1, usage: 2, couldNotRead: 3 };

interface Run {
  code: number | null;
  out: string;
  err: string;
}

function validate(cwd: string, args: string[], input?: string, env?: NodeJS.ProcessEnv): Run {
  const r = spawnSync(process.execPath, [BIN, 'validate', ...args], {
    cwd,
    ...(env ? { env } : {}),
    input: input ?? '',
    encoding: 'utf8',
    timeout: 30_000,
  });
  assert.equal(r.error, undefined, `validate did not finish: ${String(r.error)}`);
  return { code: r.status, out: r.stdout, err: r.stderr };
}

const FILES: Record<string, string> = {
  // Line 4, column 9: an invalid name.
  'bad.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: Bad_Name\n',
  'app.yaml': [
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata: {name: web}',
    'spec:',
    '  selector: {matchLabels: {app: web}}',
    '  template:',
    '    metadata: {labels: {app: web}}',
    '    spec:',
    '      serviceAccountName: builder',
    '      containers:',
    '      - name: web',
    '        image: nginx:1.27',
    '        envFrom: [{configMapRef: {name: settings}}]',
    '',
  ].join('\n'),
  'svc.yaml': [
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: web}',
    'spec: {selector: {app: web}, ports: [{port: 80}]}',
    '---',
    'apiVersion: v1',
    'kind: Service',
    'metadata: {name: orphan}',
    'spec: {selector: {app: nothing}, ports: [{port: 80}]}',
    '',
  ].join('\n'),
  'cm.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
  'cm-again.yaml': 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: extra\n',
  // A PodSpec field Kubernetes 1.34 added (line 5).
  'new-field.yaml': [
    'apiVersion: v1',
    'kind: Pod',
    'metadata: {name: p}',
    'spec:',
    '  hostnameOverride: build-host',
    '  containers: [{name: c, image: "busybox:1.36"}]',
    '',
  ].join('\n'),
};

describe('validate: standard input, cross-file checks, versions, SARIF and JUnit', () => {
  let dir = '';
  before(() => {
    dir = mkdtempSync(join(tmpdir(), 'kw-validate-formats-'));
    mkdirSync(join(dir, 'cross'));
    for (const name of ['app.yaml', 'svc.yaml', 'cm.yaml', 'cm-again.yaml'])
      writeFileSync(join(dir, 'cross', name), FILES[name]!);
    for (const name of ['bad.yaml', 'new-field.yaml']) writeFileSync(join(dir, name), FILES[name]!);
  });
  after(() => rmSync(dir, { recursive: true, force: true }));

  it('reads standard input for -, naming it stdin, and exits 1 on its error', () => {
    const r = validate(dir, ['-'], FILES['bad.yaml']);
    assert.match(r.out, /^stdin:4:9: error invalid-name metadata\.name: Invalid value: "Bad_Name"/);
    assert.equal(r.code, EXIT.errorsFound, r.err);
    const clean = validate(dir, ['-'], 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: fine}\n');
    assert.deepEqual([clean.code, clean.out], [EXIT.clean, '']);
  });

  it('says what to do when standard input cannot be kept in a temporary file, and exits 3', () => {
    const r = validate(dir, ['-'], FILES['bad.yaml'], { ...process.env, TMPDIR: join(dir, 'no-such-folder') });
    assert.equal(r.code, EXIT.couldNotRead, r.err);
    assert.match(
      r.err,
      /^kube-workbench validate: cannot keep standard input in a temporary file under .*no-such-folder \(ENOENT\); set TMPDIR to a folder you can write to, with free space, or pass the files as PATHs\n$/,
    );
    assert.equal(r.out, '');
  });

  it('runs the cross-file checks over all paths given, standard input included', () => {
    const r = validate(join(dir, 'cross'), ['.']);
    assert.equal(
      r.out,
      [
        'app.yaml:9:27: warning missing-reference ServiceAccount `builder` is not defined in namespace `default` in the workspace; the pod will not start unless it exists in the cluster',
        'app.yaml:13:41: warning missing-reference ConfigMap `settings` is not defined in namespace `default` in the workspace; the pod will not start unless it exists in the cluster (or mark the reference `optional: true`)',
        'cm.yaml:4:9: error duplicate-resource duplicate ConfigMap `extra` in namespace `default`: already defined in `cm-again.yaml`, line 4; applying both keeps only the last',
        'svc.yaml:9:8: warning unmatched-service-selector no Pod or workload pod template in namespace `default` in the workspace has the labels app=nothing: this Service selects nothing here',
        '',
      ].join('\n'),
    );
    assert.equal(r.code, EXIT.errorsFound);
    // The missing ConfigMap and ServiceAccount, and a Pod the orphan Service selects, on standard input: resolved.
    const more = [
      'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: settings}',
      'apiVersion: v1\nkind: ServiceAccount\nmetadata: {name: builder}',
      'apiVersion: v1\nkind: Pod\nmetadata: {name: x, labels: {app: nothing}}\nspec: {containers: [{name: c, image: "busybox:1.36"}]}',
    ].join('\n---\n');
    const withStdin = validate(join(dir, 'cross'), ['app.yaml', 'svc.yaml', '-'], more);
    assert.deepEqual([withStdin.code, withStdin.out], [EXIT.clean, '']);
  });

  it('checks against every Kubernetes version the schemas hold, from 1.30', () => {
    const help = validate(dir, ['--help']);
    const versions = /--kubernetes-version ([\d.|]+)\]/.exec(help.out)?.[1]?.split('|') ?? [];
    assert.deepEqual(
      versions.filter((v) => ['1.30', '1.32', '1.33', '1.34', '1.36'].includes(v)),
      ['1.30', '1.32', '1.33', '1.34', '1.36'],
    );
    for (const version of versions) {
      const r = validate(dir, ['--kubernetes-version', version, 'new-field.yaml']);
      const older = Number(version.split('.')[1]) < 34;
      assert.equal(r.code, older ? EXIT.errorsFound : EXIT.clean, `${version}: ${r.out}${r.err}`);
      if (older) assert.match(r.out, /^new-field\.yaml:5:3: error unknown-field .*hostnameOverride/);
    }
    const unknown = validate(dir, ['--kubernetes-version', '1.29', 'bad.yaml']);
    assert.equal(unknown.code, EXIT.usage);
    assert.match(unknown.err, /unknown Kubernetes version '1\.29'; choose 1\.30, 1\.32, 1\.33, 1\.34, 1\.36/);
    const between = validate(dir, ['--kubernetes-version', '1.31', 'bad.yaml']);
    assert.equal(between.code, EXIT.usage);
    assert.match(
      between.err,
      /Kubernetes 1\.31 is not bundled: no npm package carries its API models.*1\.30 and 1\.32/,
    );
  });

  it('writes SARIF 2.1.0: rules named by our codes, results with 1-based physical locations', () => {
    const r = validate(dir, ['--format', 'sarif', 'bad.yaml', 'cross']);
    assert.equal(r.code, EXIT.errorsFound, r.err);
    const sarif = JSON.parse(r.out) as {
      version: string;
      $schema: string;
      runs: {
        tool: { driver: { name: string; rules: { id: string; shortDescription: { text: string } }[] } };
        results: {
          ruleId: string;
          ruleIndex: number;
          level: string;
          message: { text: string };
          locations: {
            physicalLocation: {
              artifactLocation: { uri: string; uriBaseId?: string };
              region: { startLine: number; startColumn: number; endLine: number; endColumn: number };
            };
          }[];
        }[];
      }[];
    };
    assert.equal(sarif.version, '2.1.0');
    assert.match(sarif.$schema, /sarif-2\.1\.0/);
    const [run] = sarif.runs;
    assert.equal(run?.tool.driver.name, 'kube-workbench');
    const rules = run?.tool.driver.rules ?? [];
    for (const id of ['invalid-name', 'duplicate-resource', 'missing-reference', 'unmatched-service-selector'])
      assert.ok(
        rules.some((rule) => rule.id === id && rule.shortDescription.text.length > 0),
        id,
      );
    const results = run?.results ?? [];
    assert.equal(results.length, 5);
    for (const result of results) assert.equal(rules[result.ruleIndex]?.id, result.ruleId);
    const bad = results.find((x) => x.ruleId === 'invalid-name');
    assert.equal(bad?.level, 'error');
    assert.match(bad?.message.text ?? '', /Bad_Name/);
    assert.deepEqual(bad?.locations[0]?.physicalLocation, {
      artifactLocation: { uri: 'bad.yaml', uriBaseId: '%SRCROOT%' },
      region: { startLine: 4, startColumn: 9, endLine: 4, endColumn: 17 },
    });
    const warning = results.find((x) => x.ruleId === 'unmatched-service-selector');
    assert.equal(warning?.level, 'warning');
    assert.equal(warning?.locations[0]?.physicalLocation.artifactLocation.uri, 'cross/svc.yaml');
  });

  it('writes JUnit XML: a testsuite per file, a testcase per document, failures with message and position', () => {
    const hostile = 'apiVersion: v1\nkind: ConfigMap\nmetadata:\n  name: "<a&b>\\u0001"\n';
    const r = validate(dir, ['--format', 'junit', 'cross/app.yaml', 'cross/svc.yaml', 'bad.yaml', '-'], hostile);
    assert.equal(r.code, EXIT.errorsFound, r.err);
    assert.match(r.out, /^<\?xml version="1\.0" encoding="UTF-8"\?>\n<testsuites [^>]*tests="5" failures="2"/);
    const suites = [...r.out.matchAll(/<testsuite name="([^"]*)" tests="(\d+)" failures="(\d+)"/g)].map((m) =>
      m.slice(1).join(' '),
    );
    assert.deepEqual(suites, ['cross/app.yaml 1 0', 'cross/svc.yaml 2 0', 'bad.yaml 1 1', 'stdin 1 1']);
    assert.match(r.out, /<testcase classname="cross\/svc\.yaml" name="Service web \(line 1\)" [^>]*line="1"\/>/);
    assert.match(
      r.out,
      /<testcase classname="cross\/svc\.yaml" name="Service orphan \(line 5\)"[^>]*>\n\s*<system-out>cross\/svc\.yaml:9:8: warning unmatched-service-selector /,
    );
    assert.match(
      r.out,
      /<testcase classname="bad\.yaml" name="ConfigMap Bad_Name \(line 1\)"[^>]*>\n\s*<failure message="bad\.yaml:4:9: metadata\.name: Invalid value: &quot;Bad_Name&quot;: [^"]*" type="invalid-name">bad\.yaml:4:9: error invalid-name /,
    );
    // Markup and control characters in what the user wrote cannot break the XML.
    assert.match(r.out, /name="ConfigMap &lt;a&amp;b&gt;\uFFFD \(line 1\)"/);
    const controls = [...r.out].filter((c) => c < ' ' && c !== '\n' && c !== '\t' && c !== '\r');
    assert.deepEqual(controls, [], 'no control characters in the XML');
    assert.doesNotMatch(r.out.replace(/&(amp|lt|gt|quot|apos);/g, ''), /&|<(?![?/a-z])/);
  });

  it('documents and keeps its exit codes; an unknown flag or format is a usage error with a hint', () => {
    const help = validate(dir, ['--help']);
    assert.equal(help.code, EXIT.clean);
    assert.match(help.out, /exit codes:\n\s+0 .*\n\s+1 .*errors found\n\s+2 .*usage.*\n\s+3 .*could not be read/);
    assert.match(help.out, /--format text\|json\|sarif\|junit/);
    const flag = validate(dir, ['--strict', 'bad.yaml']);
    assert.equal(flag.code, EXIT.usage);
    assert.match(flag.err, /unknown flag: --strict\nSee 'kube-workbench validate --help' for usage/);
    const format = validate(dir, ['--format', 'xml', 'bad.yaml']);
    assert.equal(format.code, EXIT.usage);
    assert.match(format.err, /unknown format 'xml'; choose text, json, sarif, junit/);
    assert.equal(validate(dir, []).code, EXIT.usage);
    assert.equal(validate(dir, ['no-such.yaml']).code, EXIT.usage);
  });
});
