import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { withCode, yaml } from './support/diagnose.js';

const deployment = (opts: { name?: string; selector?: string; labels?: string; containers?: string[] } = {}): string =>
  yaml(
    'apiVersion: apps/v1',
    'kind: Deployment',
    'metadata:',
    `  name: ${opts.name ?? 'web'}`,
    'spec:',
    '  selector:',
    `    matchLabels: ${opts.selector ?? '{app: web}'}`,
    '  template:',
    '    metadata:',
    `      labels: ${opts.labels ?? '{app: web}'}`,
    '    spec:',
    '      containers:',
    ...(opts.containers ?? ['        - name: web', '          image: nginx:1.27']),
  );

describe('rule: names', () => {
  it('rejects a name that is not a DNS subdomain, at the name', () => {
    const [d] = withCode(deployment({ name: 'Web_App' }), 'invalid-name');
    assert.equal(d?.text, 'Web_App');
    assert.match(
      d?.message ?? '',
      /^metadata\.name: Invalid value: "Web_App": a lowercase RFC 1123 subdomain must consist/,
    );
  });
  it('applies the stricter RFC 1035 label to Services', () => {
    const svc = yaml('apiVersion: v1', 'kind: Service', 'metadata: {name: 1web}', 'spec: {ports: [{port: 80}]}');
    assert.equal(withCode(svc, 'invalid-name')[0]?.text, '1web');
  });
  it('checks container names', () => {
    const found = withCode(
      deployment({ containers: ['        - name: Web', '          image: nginx:1.27'] }),
      'invalid-name',
    );
    assert.equal(found[0]?.text, 'Web');
  });
  it('requires metadata.name or generateName', () => {
    const text = yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata:', '  labels: {a: b}');
    const [missing] = withCode(text, 'missing-required');
    assert.equal(missing?.message, 'metadata.name: Required value');
    assert.equal(missing?.text, 'metadata');
    assert.deepEqual(
      withCode(yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {generateName: x-}'), 'missing-required'),
      [],
    );
  });
});

describe('rule: labels', () => {
  it('rejects a bad label key and a bad label value at each', () => {
    const found = withCode(
      deployment({ selector: '{app: web}', labels: '{app: web, "-bad": "x y"}' }),
      'invalid-label',
    );
    assert.deepEqual(
      found.map((d) => d.text),
      ['"-bad"', '"x y"'],
    );
  });
  it('rejects annotations over 256 KiB in total', () => {
    const big = 'x'.repeat(300 * 1024);
    const text = yaml(
      'apiVersion: v1',
      'kind: ConfigMap',
      'metadata:',
      '  name: c',
      '  annotations:',
      `    note: ${big}`,
    );
    assert.equal(withCode(text, 'annotations-too-large')[0]?.text, 'annotations');
  });
});

describe('rule: ports', () => {
  it('rejects ports out of range and bad port names', () => {
    const text = deployment({
      containers: [
        '        - name: web',
        '          image: nginx:1.27',
        '          ports:',
        '            - containerPort: 70000',
        '              name: this-name-is-far-too-long',
      ],
    });
    const found = withCode(text, 'invalid-port');
    assert.deepEqual(
      found.map((d) => d.text),
      ['70000', 'this-name-is-far-too-long'],
    );
  });
  it('rejects a nodePort outside 30000-32767 and a bad targetPort name', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: s}',
      'spec:',
      '  type: NodePort',
      '  ports: [{port: 80, targetPort: Http_Port, nodePort: 8080}]',
    );
    assert.deepEqual(
      withCode(text, 'invalid-port').map((d) => d.text),
      ['Http_Port', '8080'],
    );
  });
});

describe('rule: duplicates', () => {
  it('rejects duplicate container names (Kubernetes wording) and warns on a repeated env name', () => {
    const text = deployment({
      containers: [
        '        - name: web',
        '          image: nginx:1.27',
        '          env: [{name: A, value: "1"}, {name: A, value: "2"}]',
        '        - name: web',
        '          image: nginx:1.27',
      ],
    });
    const found = withCode(text, 'duplicate-name');
    assert.deepEqual(
      found.map((d) => [d.severity, d.line, d.message]),
      [
        ['error', 16, 'spec.template.spec.containers[1].name: Duplicate value: "web"'],
        ['warning', 15, 'duplicate environment variable `A` (first at env[0]); this one hides the first'],
      ],
    );
  });
  it('requires names on the ports of a multi-port Service, at the unnamed port', () => {
    const text = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: s}',
      'spec:',
      '  ports: [{port: 80, name: http}, {port: 443}]',
    );
    const [d] = withCode(text, 'missing-required');
    assert.equal(d?.text, '{port: 443}');
    assert.equal(d?.message, 'spec.ports[1].name: Required value');
  });
});

describe('rule: selector-match (shared api-validation)', () => {
  it('reports a selector that does not select the template, on the template labels, in Kubernetes wording', () => {
    const [d] = withCode(deployment({ selector: '{app: web}', labels: '{app: api}' }), 'selector-mismatch');
    assert.equal(d?.text, 'labels');
    assert.equal(
      d?.message,
      'spec.template.metadata.labels: Invalid value: {"app":"api"}: `selector` does not match template `labels`',
    );
  });
  it('evaluates matchExpressions', () => {
    const text = deployment({ selector: '{app: web}', labels: '{app: web}' }).replace(
      '    matchLabels: {app: web}',
      '    matchLabels: {app: web}\n    matchExpressions: [{key: tier, operator: Exists}]',
    );
    assert.match(withCode(text, 'selector-mismatch')[0]?.message ?? '', /`selector` does not match template `labels`/);
  });
});

describe('rule: api-versions', () => {
  it('names the replacement of a removed API version', () => {
    const text = deployment().replace('apps/v1', 'extensions/v1beta1');
    const [d] = withCode(text, 'removed-api');
    assert.equal(d?.text, 'extensions/v1beta1');
    assert.equal(d?.message, 'Deployment extensions/v1beta1 was removed in Kubernetes 1.16; use `apiVersion: apps/v1`');
  });
  it('catches a built-in kind under the wrong group', () => {
    const [d] = withCode(deployment().replace('apps/v1', 'app/v1'), 'unknown-api-version');
    assert.match(d?.message ?? '', /use `apiVersion: apps\/v1`/);
  });
});

describe('rule: image-tag', () => {
  it('warns on an image without a tag and on :latest, not on a digest', () => {
    const text = deployment({
      containers: [
        '        - name: a',
        '          image: nginx',
        '        - name: b',
        '          image: registry.local:5000/team/api:latest',
        '        - name: c',
        '          image: nginx@sha256:0123456789abcdef0123456789abcdef0123456789abcdef0123456789abcdef',
      ],
    });
    const found = withCode(text, 'image-tag');
    assert.deepEqual(
      found.map((d) => [d.severity, d.text]),
      [
        ['warning', 'nginx'],
        ['warning', 'registry.local:5000/team/api:latest'],
      ],
    );
  });
});

describe('rule: api-validation (the shared API server rules)', () => {
  it('reports a rule the schema allows, in Kubernetes wording, at the value', () => {
    const text = deployment({
      containers: ['        - name: web', '          image: nginx:1.27', '      restartPolicy: Never'],
    });
    const [d] = withCode(text, 'invalid-enum');
    assert.equal(d?.text, 'Never');
    assert.equal(
      d?.message,
      'spec.template.spec.restartPolicy: Unsupported value: "Never": supported values: "Always"',
    );
  });
  it('says once what the schema already says (a value outside its enum, a field it requires)', () => {
    const svc = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: s}',
      'spec: {type: Nodeport, ports: [{port: 80}]}',
    );
    assert.equal(withCode(svc, 'invalid-enum').length, 1);
    const pod = yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec: {restartPolicy: Always}');
    assert.equal(withCode(pod, 'missing-required').length, 1);
  });
  it('points at a config key and at a clusterIP written as `clusterIP`', () => {
    const cm = yaml('apiVersion: v1', 'kind: ConfigMap', 'metadata: {name: c}', 'data: {"a/b": x}');
    assert.equal(withCode(cm, 'invalid-name')[0]?.text, '"a/b"');
    const svc = yaml(
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: s}',
      'spec: {type: NodePort, clusterIP: None, ports: [{port: 80}]}',
    );
    assert.equal(withCode(svc, 'invalid-value')[0]?.text, 'None');
  });
});

describe('rule: api-validation, the kind judged', () => {
  it('checks the object by its last kind when the key is repeated, as it decodes', () => {
    const svc = (first: string, last: string): string =>
      yaml(
        'apiVersion: v1',
        `kind: ${first}`,
        `kind: ${last}`,
        'metadata: {name: web}',
        'spec: {ports: [{port: 99999}]}',
      );
    assert.equal(withCode(svc('Namespace', 'Service'), 'invalid-port')[0]?.text, '99999');
    assert.deepEqual(withCode(svc('Service', 'Namespace'), 'invalid-port'), []);
  });
  it('checks a kind without rules of its own by its metadata only', () => {
    const ns = yaml('apiVersion: v1', 'kind: Namespace', 'metadata: {name: Web_App, labels: {app: "a b"}}');
    assert.equal(withCode(ns, 'invalid-label')[0]?.text, '"a b"');
  });
});
