/**
 * ReplicationControllers and PodTemplates through the real kubectl against
 * the fake-runtime cluster: an RC of 3 gets 3 Ready pods, `kubectl scale rc`
 * takes it to 1, `kubectl delete rc` cascades to its pods; the selector
 * defaults to the template's labels; kubectl shows the columns it shows
 * against Kubernetes; invalid RCs are refused with Kubernetes' causes.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterFixture, tableRows, waitUntil } from './support/cluster-process';

const RC = `apiVersion: v1
kind: ReplicationController
metadata: {name: web}
spec:
  replicas: 3
  template:
    metadata: {labels: {app: web, tier: fe}}
    spec: {containers: [{name: web, image: "nginx:1.27"}]}
`;

const TEMPLATE = `apiVersion: v1
kind: PodTemplate
metadata: {name: tpl}
template:
  metadata: {labels: {app: x, tier: be}}
  spec: {containers: [{name: c, image: "busybox:1"}, {name: d, image: "alpine:3"}]}
`;

describe('ReplicationControllers and PodTemplates', () => {
  const c = clusterFixture('kw-rc-');
  const { ok } = c;
  const webPods = () =>
    tableRows(ok(['get', 'pods', '-l', 'app=web', '--no-headers']).replace(/^No resources.*$/m, ''));

  it('runs an RC of 3: its pods appear, owned by it, and become Ready', async () => {
    assert.match(c.apply(RC), /replicationcontroller\/web created/);
    assert.equal(ok(['get', 'rc', 'web', '-o', 'jsonpath={.spec.selector}']), '{"app":"web","tier":"fe"}');
    ok(['wait', '--for=condition=Ready', 'pod', '-l', 'app=web', '--timeout=30s']);
    await waitUntil('3 ready pods', 30, () => webPods().length === 3 && webPods().every((r) => r[1] === '1/1'));
    const owners = ok(['get', 'pods', '-l', 'app=web', '-o', 'jsonpath={.items[*].metadata.ownerReferences[0].kind}']);
    assert.deepEqual(owners.split(' '), ['ReplicationController', 'ReplicationController', 'ReplicationController']);
    await waitUntil(
      'the RC to report 3 ready',
      30,
      () => ok(['get', 'rc', 'web', '-o', 'jsonpath={.status.readyReplicas}']) === '3',
    );
  });

  it('shows the columns kubectl shows against Kubernetes', () => {
    const [header, row] = tableRows(ok(['get', 'rc']));
    assert.deepEqual(header, ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE']);
    assert.deepEqual(row?.slice(0, 4), ['web', '3', '3', '3']);
    const [wideHeader, wide] = tableRows(ok(['get', 'rc', '-o', 'wide']));
    assert.deepEqual(wideHeader, ['NAME', 'DESIRED', 'CURRENT', 'READY', 'AGE', 'CONTAINERS', 'IMAGES', 'SELECTOR']);
    assert.deepEqual(wide?.slice(5), ['web', 'nginx:1.27', 'app=web,tier=fe']);
    assert.match(c.apply(TEMPLATE), /podtemplate\/tpl created/);
    const templates = ok(['get', 'podtemplates']).trim().split('\n');
    assert.match(templates[0] ?? '', /^NAME\s+CONTAINERS\s+IMAGES\s+POD LABELS$/);
    assert.match(templates[1] ?? '', /^tpl\s+c,d\s+busybox:1,alpine:3\s+app=x,tier=be$/);
    assert.match(ok(['get', 'all']), /^replicationcontroller\/web\s+3\s+3\s+3\s+/m);
  });

  it('kubectl scale rc takes it to 1', async () => {
    assert.match(ok(['scale', 'rc', 'web', '--replicas=1']), /replicationcontroller\/web scaled/);
    await waitUntil('1 pod left', 30, () => webPods().length === 1);
    await waitUntil(
      'status.replicas 1',
      30,
      () => ok(['get', 'rc', 'web', '-o', 'jsonpath={.status.replicas}']) === '1',
    );
    assert.equal(ok(['get', 'rc', 'web', '-o', 'jsonpath={.spec.replicas}']), '1');
    // The scale subresource names the RC's equality selector, as an HPA reads it.
    const scale = ok(['get', '--raw', '/api/v1/namespaces/default/replicationcontrollers/web/scale']);
    assert.deepEqual((JSON.parse(scale) as { status: unknown }).status, { replicas: 1, selector: 'app=web,tier=fe' });
  });

  it('kubectl delete rc cascades to its pods', async () => {
    assert.match(ok(['delete', 'rc', 'web']), /replicationcontroller "web" deleted/);
    await waitUntil('the pods to go', 30, () => webPods().length === 0);
  });

  it("refuses invalid RCs with Kubernetes' causes", () => {
    const r = c.kubectl(
      ['create', '-f', '-'],
      `apiVersion: v1
kind: ReplicationController
metadata: {name: bad}
spec:
  replicas: -1
  selector: {app: other}
  template:
    metadata: {labels: {app: web}}
    spec: {restartPolicy: OnFailure, containers: [{name: web, image: "nginx:1.27"}]}
`,
    );
    assert.notEqual(r.code, 0);
    assert.match(r.err, /spec\.replicas: Invalid value: -1: must be greater than or equal to 0/);
    assert.match(
      r.err,
      /spec\.template\.metadata\.labels: Invalid value: .*`selector` does not match template `labels`/,
    );
    assert.match(
      r.err,
      /spec\.template\.spec\.restartPolicy: Unsupported value: "OnFailure": supported values: "Always"/,
    );
    const empty = c.kubectl(
      ['create', '-f', '-'],
      'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: empty}\nspec: {}\n',
    );
    assert.match(empty.err, /spec\.selector: Required value/);
    assert.match(empty.err, /spec\.template: Required value/);
    const fraction = c.kubectl(
      ['create', '-f', '-'],
      'apiVersion: v1\nkind: ReplicationController\nmetadata: {name: half}\nspec: {replicas: 1.5, selector: {app: h}, template: {metadata: {labels: {app: h}}, spec: {containers: [{name: h, image: "nginx:1.27"}]}}}\n',
    );
    assert.notEqual(fraction.code, 0);
    assert.match(
      fraction.err,
      /ReplicationController in version "v1" cannot be handled as a ReplicationController: .*number 1\.5/,
    );
    for (const name of ['bad', 'empty', 'half']) assert.match(c.kubectl(['get', 'rc', name]).err, /NotFound|not found/);
  });
});
