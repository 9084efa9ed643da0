import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { TestWorkspace } from './support/workspace.js';

const APP = [
  'apiVersion: apps/v1',
  'kind: Deployment',
  'metadata: {name: shop}',
  'spec:',
  '  selector: {matchLabels: {app: shop}}',
  '  template:',
  '    metadata: {labels: {app: shop, tier: web}}',
  '    spec:',
  '      containers:',
  '        - name: shop',
  '          image: nginx:1.27',
  '          ports: [{name: http, containerPort: 80}, {name: metrics, containerPort: 9090}]',
  '---',
  'apiVersion: v1',
  'kind: Service',
  'metadata: {name: shop}',
  'spec:',
  '  selector: {app: shop}',
  '  ports: [{name: http, port: 80, targetPort: http}, {name: admin, port: 8080}]',
  '---',
  'apiVersion: v1',
  'kind: ConfigMap',
  'metadata: {name: shop-config}',
  'data: {LOG_LEVEL: info, COLOR: blue}',
  '',
].join('\n');

/** Completion labels at the `|` in a file added to a workspace that holds APP. */
function labelsAt(marked: string): string[] {
  const ws = new TestWorkspace().write('app.yaml', APP);
  const offset = marked.indexOf('|');
  const text = marked.slice(0, offset) + marked.slice(offset + 1);
  ws.write('new.yaml', text, true);
  return ws.service.complete(text, offset).map((i) => i.label);
}

describe('completion from the workspace', () => {
  it('offers Service names and that Service port names for an Ingress backend', () => {
    const ingress = (tail: string): string =>
      [
        'apiVersion: networking.k8s.io/v1',
        'kind: Ingress',
        'metadata: {name: shop}',
        'spec:',
        '  defaultBackend:',
        '    service:',
        tail,
      ].join('\n');
    assert.ok(labelsAt(ingress('      name: |')).includes('shop'));
    assert.deepEqual(labelsAt(ingress('      name: shop\n      port:\n        name: |')), ['http', 'admin']);
  });

  it('offers the container port names of the selected pods for a Service targetPort', () => {
    const text = [
      'apiVersion: v1',
      'kind: Service',
      'metadata: {name: other}',
      'spec:',
      '  selector: {app: shop}',
      '  ports:',
      '    - port: 9090',
      '      targetPort: |',
    ].join('\n');
    assert.deepEqual(labelsAt(text).sort(), ['http', 'metrics']);
  });

  it('offers ConfigMap names, then that ConfigMap keys, for configMapKeyRef', () => {
    const pod = (tail: string[]): string =>
      [
        'apiVersion: v1',
        'kind: Pod',
        'metadata: {name: p}',
        'spec:',
        '  containers:',
        '    - name: p',
        '      image: busybox:1.36',
        '      env:',
        '        - name: LEVEL',
        '          valueFrom:',
        '            configMapKeyRef:',
        ...tail,
      ].join('\n');
    assert.ok(labelsAt(pod(['              name: |'])).includes('shop-config'));
    assert.deepEqual(labelsAt(pod(['              name: shop-config', '              key: |'])).sort(), [
      'COLOR',
      'LOG_LEVEL',
    ]);
  });

  it('offers label keys and values already used, for a selector', () => {
    const keys = labelsAt(
      ['apiVersion: v1', 'kind: Service', 'metadata: {name: s2}', 'spec:', '  selector:', '    |'].join('\n'),
    );
    assert.ok(keys.includes('app') && keys.includes('tier'));
    assert.deepEqual(
      labelsAt(
        ['apiVersion: v1', 'kind: Service', 'metadata: {name: s2}', 'spec:', '  selector:', '    tier: |'].join('\n'),
      ),
      ['web'],
    );
  });
});
