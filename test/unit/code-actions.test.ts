import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import type { CodeAction, TextEdit } from 'vscode-languageserver-types';
import { TextDocument } from 'vscode-languageserver-textdocument';
import { createLanguageService } from '../../server/src/language-service.js';

const service = createLanguageService();
const URI = 'file:///w/app.yaml';

/** The quick fixes offered for the diagnostics with a code, applied one at a time. */
function fixed(text: string, code: string): { action: CodeAction; result: string }[] {
  const diagnostics = service.diagnostics(text).filter((d) => d.code === code);
  assert.ok(diagnostics.length > 0, `expected a ${code} diagnostic`);
  return diagnostics.flatMap((d) =>
    service
      .codeActions(text, URI, d.range, [d])
      .map((action) => ({ action, result: apply(text, action.edit?.changes?.[URI] ?? []) })),
  );
}

function apply(text: string, edits: TextEdit[]): string {
  return TextDocument.applyEdits(TextDocument.create(URI, 'yaml', 1, text), edits);
}

function validYaml(text: string): void {
  for (const doc of parseAllDocuments(text)) assert.deepEqual(doc.errors, [], text);
}

describe('quick fixes', () => {
  it('renames an unknown field to the closest valid one', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  contaners:\n    - name: a\n      image: b:1\n';
    const [fix] = fixed(text, 'unknown-field');
    assert.equal(fix?.action.title, 'Change to `containers`');
    assert.equal(fix?.result, text.replace('contaners', 'containers'));
    assert.deepEqual(
      service.diagnostics(fix?.result ?? '').filter((d) => d.severity === 1),
      [],
    );
  });

  it('inserts a missing required field at the indentation of its siblings', () => {
    const text =
      'apiVersion: v1\nkind: Service\nmetadata: {name: s}\nspec:\n  ports:\n    - protocol: TCP\n      targetPort: 80\n';
    const [fix] = fixed(text, 'missing-required');
    assert.equal(fix?.action.title, 'Add required field `port`');
    assert.match(fix?.result ?? '', /\n {4}- port: 1\n {6}protocol: TCP\n/);
    validYaml(fix?.result ?? '');
  });

  it('replaces a removed apiVersion, and reshapes Ingress backends for networking.k8s.io/v1', () => {
    const text = [
      'apiVersion: extensions/v1beta1',
      'kind: Ingress',
      'metadata:',
      '  name: web',
      'spec:',
      '  rules:',
      '  - host: example.com',
      '    http:',
      '      paths:',
      '      - path: /',
      '        backend:',
      '          serviceName: web',
      '          servicePort: 80',
      '',
    ].join('\n');
    const [fix] = fixed(text, 'removed-api');
    assert.equal(fix?.action.title, 'Migrate to networking.k8s.io/v1 (reshape backends)');
    const result = fix?.result ?? '';
    validYaml(result);
    assert.match(result, /apiVersion: networking\.k8s\.io\/v1/);
    assert.match(result, /service:\n\s+name: web\n\s+port:\n\s+number: 80/);
    assert.match(result, /pathType: ImplementationSpecific/);
    assert.deepEqual(
      service.diagnostics(result).filter((d) => d.severity === 1),
      [],
    );

    const ds = 'apiVersion: extensions/v1beta1\nkind: DaemonSet\nmetadata: {name: d}\n';
    assert.equal(fixed(ds, 'removed-api')[0]?.result, ds.replace('extensions/v1beta1', 'apps/v1'));
  });

  it('makes template labels agree with the selector', () => {
    const text = [
      'apiVersion: apps/v1',
      'kind: Deployment',
      'metadata: {name: web}',
      'spec:',
      '  selector:',
      '    matchLabels: {app: web, tier: front}',
      '  template:',
      '    metadata:',
      '      labels: {app: api}',
      '    spec:',
      '      containers:',
      '      - name: web',
      '        image: nginx:1.27',
      '',
    ].join('\n');
    const [fix] = fixed(text, 'selector-mismatch');
    validYaml(fix?.result ?? '');
    assert.deepEqual(
      service.diagnostics(fix?.result ?? '').filter((d) => d.code === 'selector-mismatch'),
      [],
    );
    assert.match(fix?.result ?? '', /\n {6}- name: web|\n {6}- name: web/);
  });
});

describe('refactorings', () => {
  it('adds resource requests and limits to the container under the cursor', () => {
    const text = 'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n  - name: a\n    image: b:1\n';
    const line = 6;
    const actions = service.codeActions(text, URI, { start: { line, character: 6 }, end: { line, character: 6 } }, []);
    const add = actions.find((a) => a.title === 'Add resource requests and limits');
    assert.ok(add);
    const result = apply(text, add.edit?.changes?.[URI] ?? []);
    validYaml(result);
    assert.match(result, /\n {2}- name: a\n {4}image: b:1\n {4}resources:\n {6}requests:\n {8}cpu: 100m/);
  });
});

describe('pinning an image', () => {
  it('offers a quick fix that asks the editor for a tag and rewrites the image', () => {
    const text =
      'apiVersion: v1\nkind: Pod\nmetadata: {name: a}\nspec:\n  containers:\n    - name: a\n      image: nginx:latest\n';
    const [d] = service.diagnostics(text).filter((x) => x.code === 'image-tag');
    assert.ok(d);
    const [action] = service.codeActions(text, URI, d.range, [d]);
    assert.equal(action?.title, 'Pin `nginx` to a version…');
    assert.equal(action?.command?.command, 'kubeWorkbench.pinImageTag');
    assert.deepEqual(action?.command?.arguments, [URI, d.range, 'nginx:latest']);
  });
});

describe('quick fix for an autoscaler whose maximum is below its minimum', () => {
  it('raises maxReplicas to minReplicas, leaving a manifest without that error', () => {
    const text = [
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata: {name: web}',
      'spec:',
      '  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: web}',
      '  minReplicas: 3',
      '  maxReplicas: 2',
      '',
    ].join('\n');
    const fixes = fixed(text, 'invalid-value').filter((f) => f.action.title.startsWith('Set maxReplicas'));
    assert.equal(fixes.length, 1);
    assert.equal(fixes[0]?.action.title, 'Set maxReplicas to 3 (minReplicas)');
    assert.equal(fixes[0]?.result, text.replace('maxReplicas: 2', 'maxReplicas: 3'));
    assert.deepEqual(
      service.diagnostics(fixes[0]?.result ?? '').filter((d) => d.code === 'invalid-value'),
      [],
    );
  });
});
