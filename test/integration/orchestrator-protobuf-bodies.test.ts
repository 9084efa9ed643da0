/**
 * Protobuf request bodies (`application/vnd.kubernetes.protobuf`), which
 * kubectl's typed clients send: `kubectl create pdb|priorityclass|role|...`,
 * the DeleteOptions of `kubectl drain`, and a raw request for each newly
 * decoded group; hostile protobuf gets a 400 that names the byte, and the
 * server keeps serving.
 */
import assert from 'node:assert/strict';
import { Agent } from 'node:https';
import { describe, it } from 'node:test';
import { clusterFixture, waitUntil } from './support/cluster-process';
import { envelope, field, message, num, objectMeta, PROTOBUF } from './support/protobuf-body';
import { rawRequest, statusMessage } from './support/raw-api';

describe('protobuf request bodies', () => {
  const c = clusterFixture('kw-protobuf-');
  const { ok } = c;
  const post = (path: string, body: Buffer) => rawRequest(c.cluster, 'POST', path, { body, contentType: PROTOBUF });

  it('kubectl create pdb, priorityclass, role, clusterrole, rolebinding and quota (typed clients, protobuf)', () => {
    assert.match(ok(['create', 'pdb', 'web', '--selector=app=web', '--min-available=0']), /created/);
    assert.equal(ok(['get', 'pdb', 'web', '-o', 'jsonpath={.spec.minAvailable}']), '0');
    assert.match(ok(['create', 'pdb', 'api', '--selector=app=api', '--max-unavailable=50%']), /created/);
    assert.equal(ok(['get', 'pdb', 'api', '-o', 'jsonpath={.spec.maxUnavailable}']), '50%');
    assert.match(ok(['create', 'priorityclass', 'low', '--value=0', '--description=batch']), /created/);
    assert.equal(ok(['get', 'pc', 'low', '-o', 'jsonpath={.value} {.description}']), '0 batch');
    assert.match(ok(['create', 'role', 'reader', '--verb=get,list', '--resource=pods']), /created/);
    assert.equal(ok(['get', 'role', 'reader', '-o', 'jsonpath={.rules[0].verbs}']), '["get","list"]');
    assert.match(ok(['create', 'clusterrole', 'viewer', '--verb=get', '--resource=nodes']), /created/);
    assert.match(
      ok(['create', 'rolebinding', 'reader', '--role=reader', '--serviceaccount=default:default']),
      /created/,
    );
    assert.equal(ok(['get', 'rolebinding', 'reader', '-o', 'jsonpath={.roleRef.name}']), 'reader');
    assert.match(ok(['create', 'quota', 'small', '--hard=pods=4']), /created/);
    assert.equal(ok(['get', 'quota', 'small', '-o', 'jsonpath={.spec.hard.pods}']), '4');
  });

  it('decodes a raw request of each newly covered group', async () => {
    const hpa = envelope(
      'autoscaling/v2',
      'HorizontalPodAutoscaler',
      message(
        field(1, objectMeta('web')),
        field(
          2,
          message(
            field(1, message(field(1, 'Deployment'), field(2, 'web'), field(3, 'apps/v1'))),
            num(2, 1),
            num(3, 4),
          ),
        ),
      ),
    );
    let r = await post('/apis/autoscaling/v2/namespaces/default/horizontalpodautoscalers', hpa);
    assert.equal(r.status, 201, r.body);
    assert.equal(ok(['get', 'hpa', 'web', '-o', 'jsonpath={.spec.minReplicas}-{.spec.maxReplicas}']), '1-4');

    const sc = envelope(
      'storage.k8s.io/v1',
      'StorageClass',
      message(field(1, objectMeta('fast')), field(2, 'example.com/disk'), num(6, 0), field(7, 'WaitForFirstConsumer')),
    );
    r = await post('/apis/storage.k8s.io/v1/storageclasses', sc);
    assert.equal(r.status, 201, r.body);
    assert.equal(
      ok(['get', 'sc', 'fast', '-o', 'jsonpath={.allowVolumeExpansion} {.volumeBindingMode}']),
      'false WaitForFirstConsumer',
    );

    const policy = envelope(
      'networking.k8s.io/v1',
      'NetworkPolicy',
      message(field(1, objectMeta('deny')), field(2, message(field(1, message()), field(4, 'Ingress')))),
    );
    r = await post('/apis/networking.k8s.io/v1/namespaces/default/networkpolicies', policy);
    assert.equal(r.status, 201, r.body);

    // autoscaling/v1 Scale through a deployment's scale subresource.
    ok(['create', 'deployment', 'web', '--image=nginx:1.27', '--replicas=2']);
    const scale = envelope(
      'autoscaling/v1',
      'Scale',
      message(field(1, objectMeta('web', 'default')), field(2, num(1, 0))),
    );
    r = await rawRequest(c.cluster, 'PUT', '/apis/apps/v1/namespaces/default/deployments/web/scale', {
      body: scale,
      contentType: PROTOBUF,
    });
    assert.equal(r.status, 200, r.body);
    assert.equal(ok(['get', 'deploy', 'web', '-o', 'jsonpath={.spec.replicas}']), '0');
  });

  it('kubectl create job --from=cronjob keeps the template whole: inline volume sources, emptyDir: {}', () => {
    c.apply(`apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          volumes: [{name: scratch, emptyDir: {}}, {name: conf, configMap: {name: settings}}]
          containers:
            - name: run
              image: "busybox:1"
              volumeMounts: [{name: scratch, mountPath: /tmp}]
              readinessProbe: {httpGet: {path: /ready, port: 8080}}
              env: [{name: A, valueFrom: {configMapKeyRef: {name: settings, key: a}}}]
`);
    assert.match(ok(['create', 'job', 'nightly-now', '--from=cronjob/nightly']), /job\.batch\/nightly-now created/);
    assert.equal(
      ok(['get', 'job', 'nightly-now', '-o', 'jsonpath={.spec.template.spec.volumes}']),
      '[{"emptyDir":{},"name":"scratch"},{"configMap":{"defaultMode":420,"name":"settings"},"name":"conf"}]',
    );
    assert.equal(
      ok([
        'get',
        'job',
        'nightly-now',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].readinessProbe.httpGet.path}',
      ]),
      '/ready',
    );
    assert.equal(
      ok([
        'get',
        'job',
        'nightly-now',
        '-o',
        'jsonpath={.spec.template.spec.containers[0].env[0].valueFrom.configMapKeyRef.name}',
      ]),
      'settings',
    );
    // kubectl create ingress (protobuf): the rule's http is inline in the rule.
    assert.match(ok(['create', 'ingress', 'web', '--rule=shop.example/=web:80']), /created/);
    assert.equal(
      ok([
        'get',
        'ingress',
        'web',
        '-o',
        'jsonpath={.spec.rules[0].host} {.spec.rules[0].http.paths[0].backend.service.name}',
      ]),
      'shop.example web',
    );
  });

  it('deletes with protobuf DeleteOptions: a zero grace period removes the pod at once', async () => {
    ok(['run', 'doomed', '--image=nginx:1.27']);
    const options = envelope('v1', 'DeleteOptions', message(num(1, 0), field(4, 'Background')));
    const r = await rawRequest(c.cluster, 'DELETE', '/api/v1/namespaces/default/pods/doomed', {
      body: options,
      contentType: PROTOBUF,
    });
    assert.equal(r.status, 200, r.body);
    assert.match(c.kubectl(['get', 'pod', 'doomed']).err, /NotFound|not found/);
    ok(['run', 'forced', '--image=nginx:1.27']);
    const forced = c.kubectl(['delete', 'pod', 'forced', '--grace-period=0', '--force']);
    assert.equal(forced.code, 0, forced.err);
    assert.match(forced.out, /pod "forced" force deleted/);
    assert.match(c.kubectl(['get', 'pod', 'forced']).err, /NotFound|not found/);
  });

  it("kubectl drain --disable-eviction deletes the node's pods (protobuf DeleteOptions)", async () => {
    ok(['run', 'drained', '--image=nginx:1.27']);
    const node = await waitUntil('the pod to be scheduled', 20, () =>
      ok(['get', 'pod', 'drained', '-o', 'jsonpath={.spec.nodeName}']).trim(),
    );
    const r = c.kubectl([
      'drain',
      node,
      '--disable-eviction',
      '--force',
      '--ignore-daemonsets',
      '--delete-emptydir-data',
      '--grace-period=0',
      '--timeout=30s',
    ]);
    assert.equal(r.code, 0, r.err);
    assert.match(r.out, /pod\/drained deleted/);
    assert.match(r.out, new RegExp(`node/${node} drained`));
    assert.equal(ok(['get', 'node', node, '-o', 'jsonpath={.spec.unschedulable}']), 'true');
    ok(['uncordon', node]);
  });

  it('answers hostile protobuf with 400 naming the byte, and keeps serving', async () => {
    const cm = (raw: Buffer) => envelope('v1', 'ConfigMap', raw);
    const cases: [Buffer, RegExp][] = [
      [cm(Buffer.from([0x0a, 0x85])), /truncated varint at byte \d+/],
      [
        cm(Buffer.from([0x0a, 0xff, 0xff, 0xff, 0xff, 0x0f])),
        /length \d+ runs past the end of its message at byte \d+/,
      ],
      [cm(Buffer.concat([Buffer.from([0x48]), Buffer.alloc(11, 0xff)])), /varint longer than 10 bytes/],
      [cm(num(1, 3)), /field ConfigMap.metadata has wire type varint, expected length-delimited at byte \d+/],
      [cm(Buffer.from([0x4b])), /unsupported wire type group start/],
      [cm(field(1, field(1, Buffer.from([0xc3, 0x28])))), /ObjectMeta.name is not valid UTF-8/],
      [Buffer.from('k8s'), /missing the k8s envelope/],
    ];
    for (const [body, pattern] of cases) {
      const r = await post('/api/v1/namespaces/default/configmaps', body);
      assert.equal(r.status, 400, r.body);
      assert.match(statusMessage(r.body), pattern);
    }
    // Embedded JSON (a ControllerRevision's data) nested 100,000 deep.
    const deep = '['.repeat(100_000) + ']'.repeat(100_000);
    const revision = envelope(
      'apps/v1',
      'ControllerRevision',
      message(field(1, objectMeta('r1')), field(2, field(1, deep)), num(3, 1)),
    );
    const r = await post('/apis/apps/v1/namespaces/default/controllerrevisions', revision);
    assert.equal(r.status, 400, r.body);
    assert.match(statusMessage(r.body), /exceeded max depth/);
    // Mutated bodies (truncated, bytes changed, huge lengths inserted): never a 5xx.
    const seed = envelope(
      'policy/v1',
      'PodDisruptionBudget',
      message(
        field(1, objectMeta('m', 'default', { app: 'm' })),
        field(2, field(1, message(num(1, 1), field(3, '50%')))),
      ),
    );
    let state = 7;
    const rand = (n: number) => {
      state = (state * 1103515245 + 12345) % 2 ** 31;
      return state % n;
    };
    const statuses = new Set<number>();
    const agent = new Agent({ keepAlive: true, maxSockets: 1 });
    for (let i = 0; i < 150; i++) {
      let body = Buffer.from(seed);
      const at = rand(body.length);
      if (i % 3 === 0) body = body.subarray(0, at);
      else if (i % 3 === 1) body[at] = rand(256);
      else body = Buffer.concat([body.subarray(0, at), Buffer.from([0xff, 0xff, 0xff, 0xff, 0x7f]), body.subarray(at)]);
      const mutated = await rawRequest(c.cluster, 'POST', '/apis/policy/v1/namespaces/default/poddisruptionbudgets', {
        body,
        contentType: PROTOBUF,
        agent,
      });
      assert.ok(mutated.status < 500, `mutation ${i}: ${mutated.status} ${mutated.body}`);
      statuses.add(mutated.status);
    }
    agent.destroy();
    assert.ok(statuses.has(400));
    assert.match(ok(['get', 'ns', 'default']), /Active/);
    assert.match(c.kubectl(['get', 'cm']).out, /kube-root-ca\.crt|^$/);
  });
});
