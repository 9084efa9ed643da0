import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, deployment, ingress, service } from './support/manifests.js';
import { TestWorkspace, yaml } from './support/workspace.js';

const podWithRefs = yaml(
  'apiVersion: v1',
  'kind: Pod',
  'metadata: {name: worker, labels: {app: web}}',
  'spec:',
  '  containers:',
  '    - name: c',
  '      image: busybox:1.36',
  '      env:',
  '        - {name: LEVEL, valueFrom: {configMapKeyRef: {name: settings, key: LOG_LEVEL}}}',
  '        - {name: PASS, valueFrom: {secretKeyRef: {name: db, key: password}}}',
  '      envFrom: [{configMapRef: {name: settings}}]',
  '  volumes:',
  '    - {name: data, persistentVolumeClaim: {claimName: data}}',
);
const secret = yaml('apiVersion: v1', 'kind: Secret', 'metadata: {name: db}', 'stringData: {password: x}');
const pvc = yaml(
  'apiVersion: v1',
  'kind: PersistentVolumeClaim',
  'metadata: {name: data}',
  'spec: {accessModes: [ReadWriteOnce], resources: {requests: {storage: 1Gi}}}',
);

/** Deployment, Service and Ingress in separate files; a ConfigMap, Secret and PVC beside a Pod that uses them. */
function shop(): TestWorkspace {
  return new TestWorkspace()
    .write('app/deploy.yaml', deployment())
    .write('app/svc.yaml', service())
    .write('edge/ingress.yaml', ingress())
    .write('config/cm.yaml', configMap())
    .write('config/secret.yaml', secret)
    .write('config/pvc.yaml', pvc)
    .write('pod.yaml', podWithRefs);
}

describe('go to definition', () => {
  it('from a Service selector to the pod templates and Pods it selects (their labels)', () => {
    assert.deepEqual(shop().definition('app/svc.yaml', 'selector'), [
      { file: 'app/deploy.yaml', line: 9, text: '{app: web}' },
      { file: 'pod.yaml', line: 3, text: '{app: web}' },
    ]);
  });
  it('from an Ingress backend to the Service name and the Service port', () => {
    const ws = shop();
    assert.deepEqual(ws.definition('edge/ingress.yaml', 'web'), [{ file: 'app/svc.yaml', line: 4, text: 'web' }]);
    assert.deepEqual(ws.definition('edge/ingress.yaml', '80'), [{ file: 'app/svc.yaml', line: 9, text: '80' }]);
    ws.write('edge/ingress.yaml', ingress({ port: '{name: http}' }));
    assert.deepEqual(ws.definition('edge/ingress.yaml', 'http', 2), [{ file: 'app/svc.yaml', line: 8, text: 'http' }]);
  });
  it('from a Service targetPort name to the container port', () => {
    assert.deepEqual(shop().definition('app/svc.yaml', 'http', 2), [
      { file: 'app/deploy.yaml', line: 15, text: 'http' },
    ]);
  });
  it('from configMapKeyRef, secretKeyRef, envFrom and PVC volumes to the resource, and from a key to the key', () => {
    const ws = shop();
    assert.deepEqual(ws.definition('pod.yaml', 'settings'), [{ file: 'config/cm.yaml', line: 4, text: 'settings' }]);
    assert.deepEqual(ws.definition('pod.yaml', 'LOG_LEVEL'), [{ file: 'config/cm.yaml', line: 5, text: 'LOG_LEVEL' }]);
    assert.deepEqual(ws.definition('pod.yaml', 'db'), [{ file: 'config/secret.yaml', line: 3, text: 'db' }]);
    assert.deepEqual(ws.definition('pod.yaml', 'password'), [
      { file: 'config/secret.yaml', line: 4, text: 'password' },
    ]);
    assert.deepEqual(ws.definition('pod.yaml', 'settings', 2), [{ file: 'config/cm.yaml', line: 4, text: 'settings' }]);
    assert.deepEqual(ws.definition('pod.yaml', 'data}'), [{ file: 'config/pvc.yaml', line: 3, text: 'data' }]);
  });
  it('resolves in the referring namespace only', () => {
    const ws = new TestWorkspace()
      .write('ing.yaml', ingress({ namespace: 'shop' }))
      .write('svc-blog.yaml', service({ namespace: 'blog' }))
      .write('svc-shop.yaml', service({ namespace: 'shop' }));
    assert.deepEqual(ws.definition('ing.yaml', 'web'), [{ file: 'svc-shop.yaml', line: 4, text: 'web' }]);
  });
  it('finds nothing where nothing is referenced', () => {
    assert.deepEqual(shop().definition('app/deploy.yaml', 'nginx'), []);
  });
});

describe('find references', () => {
  it('on a Deployment name or its template labels: the Services that select it', () => {
    const ws = shop();
    const selecting = [{ file: 'app/svc.yaml', line: 6, text: 'selector' }];
    assert.deepEqual(ws.references('app/deploy.yaml', 'web'), selecting);
    assert.deepEqual(ws.references('app/deploy.yaml', '{app: web}', false, 2), selecting);
    assert.deepEqual(ws.references('app/deploy.yaml', 'web', true), [
      { file: 'app/deploy.yaml', line: 4, text: 'web' },
      ...selecting,
    ]);
  });
  it('on a ConfigMap name: every pod reference to it, across files; on a key: where it is read', () => {
    const ws = shop().write('other.yaml', podWithRefs.replace('worker', 'other'));
    assert.deepEqual(ws.references('config/cm.yaml', 'settings'), [
      { file: 'other.yaml', line: 9, text: 'settings' },
      { file: 'other.yaml', line: 11, text: 'settings' },
      { file: 'pod.yaml', line: 9, text: 'settings' },
      { file: 'pod.yaml', line: 11, text: 'settings' },
    ]);
    assert.deepEqual(ws.references('config/cm.yaml', 'LOG_LEVEL'), [
      { file: 'other.yaml', line: 9, text: 'LOG_LEVEL' },
      { file: 'pod.yaml', line: 9, text: 'LOG_LEVEL' },
    ]);
  });
  it('on a reference: every reference to the same resource, and its declaration when asked', () => {
    const ws = shop();
    assert.deepEqual(ws.references('pod.yaml', 'settings', true), [
      { file: 'config/cm.yaml', line: 4, text: 'settings' },
      { file: 'pod.yaml', line: 9, text: 'settings' },
      { file: 'pod.yaml', line: 11, text: 'settings' },
    ]);
  });
  it('on a Service name: the Ingress backends naming it', () => {
    assert.deepEqual(shop().references('app/svc.yaml', 'web'), [{ file: 'edge/ingress.yaml', line: 13, text: 'web' }]);
  });
  it('follows renames and deletes of the referring files', () => {
    const ws = shop().rename('pod.yaml', 'pods/worker.yaml');
    assert.deepEqual(
      ws.references('config/secret.yaml', 'db').map((l) => `${l.file}:${l.line}`),
      ['pods/worker.yaml:10'],
    );
    ws.delete('pods/worker.yaml');
    assert.deepEqual(ws.references('config/secret.yaml', 'db'), []);
  });
});

describe('reference lenses', () => {
  it('count the resources referencing each document, with a command that peeks at them', () => {
    const ws = shop().write(
      'config/all.yaml',
      `${configMap({ name: 'unused' })}---\n${configMap({ name: 'settings', namespace: 'blog' })}`,
    );
    const lenses = ws.service.workspace.codeLenses(ws.uri('config/cm.yaml'));
    assert.deepEqual(
      lenses.map((l) => [l.range.start.line, l.command?.title, l.command?.command]),
      [[0, '1 reference', 'kubeWorkbench.showReferences']],
    );
    const [uri, position, locations] = (lenses[0]?.command?.arguments ?? []) as [string, unknown, { uri: string }[]];
    assert.equal(uri, ws.uri('config/cm.yaml'));
    assert.deepEqual(position, { line: 0, character: 0 });
    assert.deepEqual(
      locations.map((l) => l.uri),
      [ws.uri('pod.yaml'), ws.uri('pod.yaml')],
    );
    assert.deepEqual(
      ws.service.workspace.codeLenses(ws.uri('config/all.yaml')).map((l) => [l.range.start.line, l.command?.title]),
      [
        [0, '0 references'],
        [6, '0 references'],
      ],
    );
  });
  it('count a Deployment selected by two Services and an Ingress naming a Service', () => {
    const ws = shop().write('app/svc2.yaml', service({ name: 'web-internal' }));
    assert.equal(ws.service.workspace.codeLenses(ws.uri('app/deploy.yaml'))[0]?.command?.title, '2 references');
    assert.equal(ws.service.workspace.codeLenses(ws.uri('app/svc.yaml'))[0]?.command?.title, '1 reference');
  });
});
