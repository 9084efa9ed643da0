import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { diagnose, withCode, yaml } from './support/diagnose.js';

const pod = (...spec: string[]): string =>
  yaml('apiVersion: v1', 'kind: Pod', 'metadata:', '  name: web', 'spec:', ...spec.map((l) => `  ${l}`));

describe('schema validation', () => {
  it('accepts a valid Deployment with no diagnostics', () => {
    const text = yaml(
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata:',
      '  name: web',
      'spec:',
      '  replicas: 2',
      '  selector:',
      '    matchLabels: {app: web}',
      '  template:',
      '    metadata:',
      '      labels: {app: web}',
      '    spec:',
      '      containers:',
      '        - name: web',
      '          image: nginx:1.27',
      '          ports: [{containerPort: 80, name: http}]',
      '          resources: {limits: {cpu: 500m, memory: 128Mi}}',
    );
    assert.deepEqual(diagnose(text), []);
  });

  it('reports an unknown field at its key with a suggestion', () => {
    const [d, ...rest] = withCode(pod('contaners:', '    - name: a', '      image: nginx:1'), 'unknown-field');
    assert.equal(rest.length, 0);
    assert.ok(d);
    assert.equal(d.message, 'unknown field `contaners` in Pod.spec; did you mean `containers`?');
    assert.deepEqual([d.line, d.column, d.text], [6, 3, 'contaners']);
    assert.equal(d.severity, 'error');
  });

  it('reports a missing required field on the key of the object that lacks it', () => {
    const [d] = withCode(pod('restartPolicy: Always'), 'missing-required');
    assert.ok(d);
    assert.equal(d.message, 'missing required field `containers` in Pod.spec');
    assert.equal(d.text, 'spec');
  });

  it('reports a wrong type at the value', () => {
    const text = pod(
      'containers:',
      '    - name: a',
      '      image: nginx:1',
      '      ports:',
      '        - containerPort: "80"',
    );
    const [d] = withCode(text, 'wrong-type');
    assert.ok(d);
    assert.equal(d.text, '"80"');
    assert.match(
      d.message,
      /Pod\.spec\.containers\[0\]\.ports\[0\]\.containerPort must be an integer, not the string "80"/,
    );
  });

  it('reports a bad enum value with the allowed values and the closest one', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata:',
      '  name: web',
      'spec:',
      '  type: Nodeport',
      '  ports: [{port: 80}]',
    );
    const [d] = withCode(text, 'invalid-enum');
    assert.ok(d);
    assert.equal(d.text, 'Nodeport');
    assert.match(d.message, /use one of ClusterIP, NodePort, LoadBalancer, ExternalName \(did you mean `NodePort`\?\)/);
  });

  it('accepts int-or-string fields either way and rejects other types', () => {
    const svc = (target: string): string =>
      yaml(
        'apiVersion: v1',
        'kind: Service',
        'metadata:',
        '  name: web',
        'spec:',
        `  ports: [{port: 80, targetPort: ${target}}]`,
      );
    assert.deepEqual(withCode(svc('http'), 'wrong-type'), []);
    assert.deepEqual(withCode(svc('8080'), 'wrong-type'), []);
    assert.equal(withCode(svc('[1]'), 'wrong-type').length, 1);
  });

  it('reads YAML 1.1 scalars as kubectl does: `yes` is a boolean where a string is expected', () => {
    const text = pod(
      'containers:',
      '    - name: a',
      '      image: nginx:1',
      '      env:',
      '        - name: DEBUG',
      '          value: yes',
    );
    const [d] = withCode(text, 'wrong-type');
    assert.ok(d);
    assert.equal(d.text, 'yes');
  });

  it('checks quantities', () => {
    const text = pod(
      'containers:',
      '    - name: a',
      '      image: nginx:1',
      '      resources:',
      '        limits: {memory: 128MB, cpu: 500m}',
    );
    const found = withCode(text, 'invalid-quantity');
    assert.equal(found.length, 1);
    assert.equal(found[0]?.text, '128MB');
  });

  it('checks that Secret data is base64', () => {
    const text = yaml('apiVersion: v1', 'kind: Secret', 'metadata:', '  name: s', 'data:', '  password: not base64!');
    assert.equal(withCode(text, 'invalid-base64')[0]?.text, 'not base64!');
  });

  it('treats null as unset, as the API server does', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: c',
      '  creationTimestamp: null',
      'data:',
    );
    assert.deepEqual(diagnose(text), []);
  });

  it('validates every document of a multi-document file on its own, at the right lines', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: a}',
      'dta: {}',
      '---',
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: b}',
      'dat: {}',
    );
    const found = withCode(text, 'unknown-field');
    assert.deepEqual(
      found.map((d) => [d.line, d.text]),
      [
        [4, 'dta'],
        [9, 'dat'],
      ],
    );
  });

  it('leaves custom resources and non-manifest YAML alone', () => {
    assert.deepEqual(
      diagnose(yaml('apiVersion: monitoring.coreos.com/v1', 'kind: ServiceMonitor', 'spec: {whatever: 1}')),
      [],
    );
    assert.deepEqual(diagnose(yaml('name: build', 'on: [push]', 'jobs: {}')), []);
  });

  it('flags a misspelled built-in kind', () => {
    const [d] = withCode(yaml('apiVersion: v1', 'kind: Servce', 'metadata: {name: a}'), 'unknown-kind');
    assert.ok(d);
    assert.match(d.message, /did you mean `Service`/);
  });

  it('survives hostile input', () => {
    const deep = `apiVersion: v1\nkind: ConfigMap\ndata: ${'['.repeat(50_000)}\n`;
    assert.ok(diagnose(deep).length > 0);
    const bomb = [
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata: {name: x}',
      'data:',
      '  a: &a [x, x, x, x, x, x, x, x, x]',
    ];
    for (let i = 0; i < 8; i++)
      bomb.push(
        `  b${i}: &b${i} [${Array(9)
          .fill(i === 0 ? '*a' : `*b${i - 1}`)
          .join(', ')}]`,
      );
    const found = diagnose(bomb.join('\n'));
    assert.ok(found.every((d) => d.code === 'wrong-type'));
  });
});
