import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLanguageService } from '../language-service.js';

const service = createLanguageService();
const shown = (text: string, previous: string | undefined): string[] =>
  service
    .immutableFields(text, previous)
    .map((d) => `${d.range.start.line}:${d.message.replace(/ \(changed from.*$/, '')}`);

const job = (command: string, name = 'migrate'): string => `apiVersion: batch/v1
kind: Job
metadata: {name: ${name}, namespace: jobs}
spec:
  template:
    spec:
      restartPolicy: Never
      containers: [{name: m, image: "busybox:1.36", command: [${command}]}]
`;

const statefulSet = (storage: string, replicas: number): string => `apiVersion: apps/v1
kind: StatefulSet
metadata: {name: db}
spec:
  replicas: ${replicas}
  serviceName: db
  selector: {matchLabels: {app: db}}
  template:
    metadata: {labels: {app: db}}
    spec: {containers: [{name: db, image: "postgres:16"}]}
  volumeClaimTemplates:
    - metadata: {name: data}
      spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: ${storage}}}}
`;

describe('immutable-field warnings against a previous version', () => {
  it("warns on a Job's changed template, at the template", () => {
    const found = shown(job('sh'), job('bash'));
    assert.equal(found.length, 1);
    assert.match(found[0] ?? '', /^4:spec\.template: Invalid value: .*field is immutable/);
  });

  it('matches objects by kind, namespace and name only: another name or namespace is a new object', () => {
    assert.deepEqual(shown(job('sh', 'other'), job('bash')), []);
    assert.deepEqual(shown(job('sh').replace('namespace: jobs', 'namespace: batch'), job('bash')), []);
  });

  it("warns on a StatefulSet's claim change but not on replicas, and finds it among other documents", () => {
    const text = `${job('bash')}---\n${statefulSet('2Gi', 3)}`;
    const previous = `${statefulSet('1Gi', 1)}---\n${job('bash')}`;
    const found = shown(text, previous);
    assert.equal(found.length, 1);
    assert.match(found[0] ?? '', /^12:spec: Forbidden: updates to statefulset spec for fields other than/);
    assert.deepEqual(shown(`${job('bash')}---\n${statefulSet('1Gi', 3)}`, previous), []);
  });

  it("warns on a Pod's changed command at the changed line, and not on a changed image", () => {
    const pod = (image: string, command: string) =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: web}\nspec:\n  containers:\n    - name: web\n      image: ${image}\n      command:\n        - ${command}\n`;
    const found = shown(pod('nginx:1.27', 'nginx'), pod('nginx:1.27', 'httpd'));
    assert.equal(found.length, 1);
    assert.match(
      found[0] ?? '',
      /^8:spec: Forbidden: pod updates may not change fields other than .*changed: spec\.containers\[0\]\.command\[0\]/,
    );
    assert.deepEqual(shown(pod('nginx:1.28', 'httpd'), pod('nginx:1.27', 'httpd')), []);
  });

  it('says nothing without a previous version, for templated files, or when switched off', () => {
    assert.deepEqual(shown(job('sh'), undefined), []);
    assert.deepEqual(shown(`${job('sh')}# {{ .Values.x }}\n`, job('bash')), []);
    const off = createLanguageService({ disabledRules: ['immutable-fields'] });
    assert.deepEqual(off.immutableFields(job('sh'), job('bash')), []);
  });

  it('survives hostile previous versions: broken YAML, __proto__ names, lists, huge numbers', () => {
    assert.deepEqual(shown(job('sh'), 'kind: [\n  {{'), []);
    const proto = job('bash').replace('name: migrate', 'name: __proto__');
    assert.equal(shown(job('sh').replace('name: migrate', 'name: __proto__'), proto).length, 1);
    const list = `apiVersion: v1\nkind: List\nitems:\n${job('bash')
      .split('\n')
      .map((l, i) => (l ? `${i === 0 ? '- ' : '  '}${l}` : l))
      .join('\n')}`;
    assert.equal(shown(job('sh'), list).length, 1);
    assert.deepEqual(shown(statefulSet('1Gi', 1e300), statefulSet('1Gi', 1)), []);
  });
});
