import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { configMap, deployment, ingress, service } from './support/manifests.js';
import { TestWorkspace, yaml } from './support/workspace.js';

describe('workspace check: service-selector', () => {
  it('warns on `selector` when nothing in the workspace has the labels', () => {
    const ws = new TestWorkspace().write('svc.yaml', service({ selector: '{app: api}' }));
    ws.write('deploy.yaml', deployment());
    assert.deepEqual(ws.withCode('svc.yaml', 'unmatched-service-selector'), [
      {
        file: 'svc.yaml',
        line: 6,
        text: 'selector',
        code: 'unmatched-service-selector',
        severity: 'warning',
        message:
          'no Pod or workload pod template in namespace `default` in the workspace has the labels app=api: this Service selects nothing here',
      },
    ]);
  });
  it('is satisfied by a Deployment template in another file, and by a bare Pod', () => {
    const ws = new TestWorkspace().write('svc.yaml', service()).write('deploy.yaml', deployment());
    assert.deepEqual(ws.withCode('svc.yaml', 'unmatched-service-selector'), []);
    const pod = yaml(
      'apiVersion: v1',
      'kind: Pod',
      'metadata: {name: p, labels: {app: web}}',
      'spec: {containers: []}',
    );
    ws.delete('deploy.yaml').write('pod.yaml', pod);
    assert.deepEqual(ws.withCode('svc.yaml', 'unmatched-service-selector'), []);
  });
  it('looks only in the Service namespace', () => {
    const ws = new TestWorkspace()
      .write('svc.yaml', service({ namespace: 'shop' }))
      .write('deploy.yaml', deployment({ namespace: 'other' }));
    assert.equal(ws.withCode('svc.yaml', 'unmatched-service-selector').length, 1);
    ws.write('deploy.yaml', deployment({ namespace: 'shop' }));
    assert.equal(ws.withCode('svc.yaml', 'unmatched-service-selector').length, 0);
  });
  it('needs every selector label (a partial match is no match)', () => {
    const ws = new TestWorkspace()
      .write('svc.yaml', service({ selector: '{app: web, tier: front}' }))
      .write('deploy.yaml', deployment());
    assert.match(ws.withCode('svc.yaml', 'unmatched-service-selector')[0]?.message ?? '', /app=web, tier=front/);
  });
  it('can be switched off in settings', () => {
    const ws = new TestWorkspace({ disabledRules: ['service-selector'] }).write('svc.yaml', service());
    assert.deepEqual(ws.withCode('svc.yaml', 'unmatched-service-selector'), []);
  });
});

describe('workspace check: ingress-backend', () => {
  it('warns when the Service is not in the workspace (it may be in the cluster)', () => {
    const ws = new TestWorkspace().write('ing.yaml', ingress({ service: 'shop' }));
    const [d] = ws.withCode('ing.yaml', 'unknown-service');
    assert.deepEqual([d?.line, d?.text, d?.severity], [13, 'shop', 'warning']);
    assert.equal(
      d?.message,
      'Service `shop` is not defined in namespace `default` in the workspace; it may exist only in the cluster',
    );
  });
  it('is an error for a port number the Service in the workspace does not expose', () => {
    const ws = new TestWorkspace().write('ing.yaml', ingress({ port: '{number: 8080}' })).write('svc.yaml', service());
    assert.deepEqual(ws.withCode('ing.yaml', 'unknown-service-port'), [
      {
        file: 'ing.yaml',
        line: 14,
        text: '8080',
        code: 'unknown-service-port',
        severity: 'error',
        message: 'Service `web` (in `svc.yaml`, line 4) has no port 8080; it exposes 80 (http)',
      },
    ]);
  });
  it('checks a port by name', () => {
    const ws = new TestWorkspace().write('svc.yaml', service());
    ws.write('ing.yaml', ingress({ port: '{name: https}' }));
    assert.equal(ws.withCode('ing.yaml', 'unknown-service-port')[0]?.text, 'https');
    ws.write('ing.yaml', ingress({ port: '{name: http}' }));
    assert.deepEqual(ws.diagnostics('ing.yaml'), []);
  });
  it('resolves in the Ingress namespace and says where a same-named Service is', () => {
    const ws = new TestWorkspace()
      .write('ing.yaml', ingress({ namespace: 'shop' }))
      .write('svc.yaml', service({ namespace: 'blog' }));
    assert.match(ws.withCode('ing.yaml', 'unknown-service')[0]?.message ?? '', /there is one in namespace `blog`/);
  });
});

describe('workspace check: missing-references', () => {
  const pod = (...spec: string[]): string =>
    yaml('apiVersion: v1', 'kind: Pod', 'metadata: {name: p}', 'spec:', ...spec);
  const env = (ref: string): string =>
    pod(
      '  containers:',
      '    - name: c',
      '      image: busybox:1.36',
      '      env:',
      `        - {name: A, valueFrom: {${ref}}}`,
    );

  it('warns on a configMapKeyRef naming an absent ConfigMap, at the name', () => {
    const ws = new TestWorkspace().write('pod.yaml', env('configMapKeyRef: {name: settings, key: LOG_LEVEL}'));
    const [d] = ws.withCode('pod.yaml', 'missing-reference');
    assert.deepEqual([d?.line, d?.text, d?.severity], [9, 'settings', 'warning']);
    assert.match(d?.message ?? '', /^ConfigMap `settings` is not defined in namespace `default` in the workspace/);
  });
  it('warns on a key the ConfigMap does not have, listing its keys', () => {
    const ws = new TestWorkspace()
      .write('pod.yaml', env('configMapKeyRef: {name: settings, key: LOGLEVEL}'))
      .write('cm.yaml', configMap({ data: '{LOG_LEVEL: info, PORT: "80"}' }));
    assert.deepEqual(ws.withCode('pod.yaml', 'missing-key'), [
      {
        file: 'pod.yaml',
        line: 9,
        text: 'LOGLEVEL',
        code: 'missing-key',
        severity: 'warning',
        message: 'ConfigMap `settings` (in `cm.yaml`, line 4) has no key `LOGLEVEL`; its keys: LOG_LEVEL, PORT',
      },
    ]);
  });
  it('reads Secret keys from data and stringData', () => {
    const secret = yaml(
      'apiVersion: v1',
      'kind: Secret',
      'metadata: {name: db}',
      'data: {user: YQ==}',
      'stringData: {password: x}',
    );
    const ws = new TestWorkspace().write('secret.yaml', secret);
    ws.write('pod.yaml', env('secretKeyRef: {name: db, key: password}'));
    assert.deepEqual(ws.diagnostics('pod.yaml'), []);
    ws.write('pod.yaml', env('secretKeyRef: {name: db, key: token}'));
    assert.equal(ws.withCode('pod.yaml', 'missing-key')[0]?.text, 'token');
  });
  it('accepts optional references', () => {
    const ws = new TestWorkspace().write('pod.yaml', env('configMapKeyRef: {name: settings, key: A, optional: true}'));
    assert.deepEqual(ws.diagnostics('pod.yaml'), []);
  });
  it('checks envFrom, configMap/secret/PVC volumes and volume items, not image pull secrets', () => {
    const text = pod(
      '  imagePullSecrets: [{name: registry}]',
      '  containers:',
      '    - name: c',
      '      image: busybox:1.36',
      '      envFrom: [{configMapRef: {name: env-cm}}, {secretRef: {name: env-secret}}]',
      '  volumes:',
      '    - {name: a, configMap: {name: files, items: [{key: app.conf, path: app.conf}]}}',
      '    - {name: b, secret: {secretName: certs}}',
      '    - {name: c, persistentVolumeClaim: {claimName: data}}',
      '    - {name: d, projected: {sources: [{secret: {name: token}}]}}',
    );
    const ws = new TestWorkspace().write('pod.yaml', text);
    assert.deepEqual(
      ws.withCode('pod.yaml', 'missing-reference').map((d) => `${d.line}:${d.text}`),
      ['9:env-cm', '9:env-secret', '11:files', '12:certs', '13:data', '14:token'],
    );
    ws.write('cm.yaml', configMap({ name: 'files', data: '{other: x}' }));
    assert.deepEqual(
      ws.withCode('pod.yaml', 'missing-key').map((d) => `${d.line}:${d.text}`),
      ['11:app.conf'],
    );
  });
  it('checks serviceAccountName (not `default`, which every namespace has) against ServiceAccounts', () => {
    const withAccount = (name: string) =>
      pod(`  serviceAccountName: ${name}`, '  containers:', '    - {name: c, image: busybox:1.36}');
    const ws = new TestWorkspace().write('pod.yaml', withAccount('builder'));
    const [d] = ws.withCode('pod.yaml', 'missing-reference');
    assert.deepEqual([d?.line, d?.text], [5, 'builder']);
    assert.match(d?.message ?? '', /^ServiceAccount `builder` is not defined in namespace `default`/);
    ws.write('sa.yaml', yaml('apiVersion: v1', 'kind: ServiceAccount', 'metadata: {name: builder}'));
    assert.deepEqual(ws.diagnostics('pod.yaml'), []);
    ws.write('pod.yaml', withAccount('default'));
    ws.delete('sa.yaml');
    assert.deepEqual(ws.diagnostics('pod.yaml'), []);
  });
  it('resolves in the referring namespace', () => {
    const ws = new TestWorkspace()
      .write(
        'deploy.yaml',
        deployment({ namespace: 'shop', spec: ['          envFrom: [{configMapRef: {name: settings}}]'] }),
      )
      .write('cm.yaml', configMap({ namespace: 'blog' }));
    assert.match(
      ws.withCode('deploy.yaml', 'missing-reference')[0]?.message ?? '',
      /namespace `shop`.*there is one in namespace `blog`/,
    );
    ws.write('cm2.yaml', configMap({ namespace: 'shop' }));
    assert.deepEqual(ws.withCode('deploy.yaml', 'missing-reference'), []);
  });
  it('clears the warning when the missing ConfigMap is created, and brings it back when it is deleted', () => {
    const ws = new TestWorkspace().write('pod.yaml', env('configMapKeyRef: {name: settings, key: LOG_LEVEL}'));
    assert.equal(ws.withCode('pod.yaml', 'missing-reference').length, 1);
    ws.write('config/cm.yaml', configMap());
    assert.deepEqual(ws.diagnostics('pod.yaml'), []);
    ws.rename('config/cm.yaml', 'config/settings.yaml');
    assert.deepEqual(ws.diagnostics('pod.yaml'), []);
    ws.delete('config/settings.yaml');
    assert.equal(ws.withCode('pod.yaml', 'missing-reference').length, 1);
  });
});

describe('workspace check: target-port-name', () => {
  it('warns on a targetPort name no selected container declares', () => {
    const ws = new TestWorkspace()
      .write('svc.yaml', service({ ports: ['    - {name: http, port: 80, targetPort: web-http}'] }))
      .write('deploy.yaml', deployment());
    assert.deepEqual(ws.withCode('svc.yaml', 'unknown-target-port'), [
      {
        file: 'svc.yaml',
        line: 8,
        text: 'web-http',
        code: 'unknown-target-port',
        severity: 'warning',
        message: 'no container selected by this Service declares a port named `web-http`; they declare http',
      },
    ]);
  });
  it('accepts a name declared by a container, and numbers', () => {
    const ws = new TestWorkspace().write('svc.yaml', service()).write('deploy.yaml', deployment());
    assert.deepEqual(ws.diagnostics('svc.yaml'), []);
    ws.write('svc.yaml', service({ ports: ['    - {port: 80, targetPort: 9999}'] }));
    assert.deepEqual(ws.diagnostics('svc.yaml'), []);
  });
});

describe('workspace check: duplicate-resources', () => {
  it('reports the second one at its name, saying where the first is', () => {
    const ws = new TestWorkspace().write('a.yaml', configMap()).write('b.yaml', configMap());
    assert.deepEqual(ws.diagnostics('a.yaml'), []);
    assert.deepEqual(ws.diagnostics('b.yaml'), [
      {
        file: 'b.yaml',
        line: 4,
        text: 'settings',
        code: 'duplicate-resource',
        severity: 'error',
        message:
          'duplicate ConfigMap `settings` in namespace `default`: already defined in `a.yaml`, line 4; applying both keeps only the last',
      },
    ]);
  });
  it('within one file, and not across namespaces or kinds', () => {
    const ws = new TestWorkspace().write('all.yaml', `${configMap()}---\n${configMap()}`);
    assert.deepEqual(
      ws.diagnostics('all.yaml').map((d) => [d.line, d.message.split(':')[1]]),
      [[10, ' already defined in this file, line 4; applying both keeps only the last']],
    );
    ws.write(
      'all.yaml',
      `${configMap()}---\n${configMap({ namespace: 'other' })}---\n${service({ name: 'settings' })}`,
    );
    assert.deepEqual(ws.withCode('all.yaml', 'duplicate-resource'), []);
  });
  it('treats an unset namespace as `default`, and cluster-scoped kinds by name alone', () => {
    const ws = new TestWorkspace().write('a.yaml', configMap()).write('b.yaml', configMap({ namespace: 'default' }));
    assert.equal(ws.withCode('b.yaml', 'duplicate-resource').length, 1);
    const ns = yaml('apiVersion: v1', 'kind: Namespace', 'metadata: {name: shop, namespace: x}');
    ws.write('ns1.yaml', ns).write('ns2.yaml', ns);
    assert.equal(
      ws.withCode('ns2.yaml', 'duplicate-resource')[0]?.message.startsWith('duplicate Namespace `shop`:'),
      true,
    );
  });
});

describe('workspace index', () => {
  it('skips templated files', () => {
    const ws = new TestWorkspace()
      .write('a.yaml', configMap())
      .write('chart.yaml', configMap().replace('settings', '{{ .Values.name }}'));
    ws.write('b.yaml', `${configMap()}# {{ x }}\n`);
    assert.deepEqual(ws.diagnostics('chart.yaml'), []);
    assert.deepEqual(ws.diagnostics('a.yaml'), []);
  });
  it('tells when what other documents see changed, and not for an edit that moves nothing they see', () => {
    const ws = new TestWorkspace();
    const changed: string[] = [];
    ws.service.workspace.onDidChange((uri) => changed.push(uri));
    ws.write('cm.yaml', configMap(), true);
    ws.write('cm.yaml', `${configMap()}# a comment\n`, true);
    ws.write('cm.yaml', configMap({ data: '{OTHER: x}' }), true);
    ws.delete('cm.yaml');
    assert.deepEqual(changed, [ws.uri('cm.yaml'), ws.uri('cm.yaml'), ws.uri('cm.yaml')]);
  });
  it('places reused documents right: the same text in two files, and a document moved by an edit above it', () => {
    const ws = new TestWorkspace().write('a.yaml', configMap(), true).write('b.yaml', configMap(), true);
    assert.deepEqual(
      ws.diagnostics('b.yaml').map((d) => [d.file, d.line, d.text]),
      [['b.yaml', 4, 'settings']],
    );
    ws.write('b.yaml', `${configMap({ name: 'other' })}---\n${configMap()}`, true);
    assert.deepEqual(
      ws.diagnostics('b.yaml').map((d) => [d.file, d.line, d.text]),
      [['b.yaml', 10, 'settings']],
    );
    ws.write('b.yaml', `${configMap({ name: 'other', data: '\n  A: b\n  C: d' })}---\n${configMap()}`, true);
    assert.deepEqual(
      ws.diagnostics('b.yaml').map((d) => [d.file, d.line, d.text]),
      [['b.yaml', 12, 'settings']],
    );
  });
  it('keeps cross-resource diagnostics back while the start-up scan runs', () => {
    const ws = new TestWorkspace().write('svc.yaml', service());
    ws.service.workspace.scanning = true;
    assert.deepEqual(ws.diagnostics('svc.yaml'), []);
    ws.service.workspace.scanning = false;
    assert.equal(ws.diagnostics('svc.yaml').length, 1);
  });
});

describe('which folders hold manifests (for "apiVersion not set")', () => {
  it('counts other files of the folder with manifests, but not kustomize, Helm, Compose or CI files', () => {
    const ws = new TestWorkspace()
      .write('base/kustomization.yaml', 'apiVersion: kustomize.config.k8s.io/v1beta1\nkind: Kustomization\n')
      .write('base/service.yaml', 'kind: Service\n')
      .write('app/config.yaml', 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n');
    assert.equal(ws.service.workspace.index.manifestsBeside(ws.uri('base/service.yaml')), false);
    assert.equal(ws.service.workspace.index.manifestsBeside(ws.uri('app/service.yaml')), true);
    assert.equal(ws.service.workspace.index.manifestsBeside(ws.uri('app/config.yaml')), false);
  });
});

describe('workspace check: autoscaler-target', () => {
  const hpa = (target: string, metrics: string) =>
    yaml(
      'apiVersion: autoscaling/v2',
      'kind: HorizontalPodAutoscaler',
      'metadata: {name: web}',
      'spec:',
      `  scaleTargetRef: {apiVersion: apps/v1, kind: Deployment, name: ${target}}`,
      '  minReplicas: 1',
      '  maxReplicas: 4',
      '  metrics:',
      metrics,
    );
  const cpu = [
    '  - type: Resource',
    '    resource:',
    '      name: cpu',
    '      target: {type: Utilization, averageUtilization: 50}',
  ].join('\n');
  const web = (resources: string) =>
    yaml(
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
      '        image: web:1.0',
      `        resources: ${resources}`,
      '      - name: log',
      '        image: log:1.0',
      '        resources: {limits: {cpu: 100m}}',
    );

  it('warns on scaleTargetRef.name when the workload is not in the workspace', () => {
    const ws = new TestWorkspace().write('hpa.yaml', hpa('wbe', cpu)).write('deploy.yaml', web('{}'));
    const [d] = ws.withCode('hpa.yaml', 'unknown-scale-target');
    assert.deepEqual([d?.line, d?.text, d?.severity], [5, 'wbe', 'warning']);
    assert.match(d?.message ?? '', /Deployment `wbe` is not defined in namespace `default` in the workspace/);
  });

  it('warns on the metric when a container of the target requests no CPU, naming it (a limit counts as a request)', () => {
    const ws = new TestWorkspace().write('hpa.yaml', hpa('web', cpu)).write('deploy.yaml', web('{}'));
    const [d] = ws.withCode('hpa.yaml', 'autoscaler-missing-request');
    assert.deepEqual([d?.line, d?.text], [11, 'cpu']);
    assert.match(d?.message ?? '', /`web` of Deployment `web` \(in `deploy.yaml`, line 3\) has none/);
    assert.match(d?.message ?? '', /FailedGetResourceMetric/);
    ws.write('deploy.yaml', web('{requests: {cpu: 200m}}'));
    assert.deepEqual(ws.withCode('hpa.yaml', 'autoscaler-missing-request'), []);
    assert.deepEqual(ws.withCode('hpa.yaml', 'unknown-scale-target'), []);
  });

  it('checks only the named container of a ContainerResource metric, and not AverageValue targets', () => {
    const containerCpu = [
      '  - type: ContainerResource',
      '    containerResource:',
      '      name: memory',
      '      container: log',
      '      target: {type: Utilization, averageUtilization: 70}',
      '  - type: Resource',
      '    resource: {name: memory, target: {type: AverageValue, averageValue: 100Mi}}',
    ].join('\n');
    const ws = new TestWorkspace()
      .write('hpa.yaml', hpa('web', containerCpu))
      .write('deploy.yaml', web('{requests: {memory: 64Mi}}'));
    const found = ws.withCode('hpa.yaml', 'autoscaler-missing-request');
    assert.equal(found.length, 1);
    assert.match(found[0]?.message ?? '', /`log` of Deployment `web`/);
  });
});
