/**
 * A Pod that exists takes only the changes Kubernetes allows (images, a lower
 * deadline, more tolerations): `kubectl apply` of a changed command is refused
 * with the fields that changed, and the pod is left as it was.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { clusterFixture } from './support/cluster-process';

const pod = (image: string, command: string) => `apiVersion: v1
kind: Pod
metadata: {name: fixed}
spec:
  containers:
    - name: web
      image: ${image}
      command: [sh, -c, '${command}']
`;

describe('updating a Pod through kubectl', () => {
  const c = clusterFixture('kw-pod-update-');

  it('refuses a changed command with the changed field, and keeps the stored pod', () => {
    c.apply(pod('busybox:1.36', 'sleep 1000'));
    const r = c.kubectl(['apply', '-f', '-'], pod('busybox:1.36', 'sleep 2000'));
    assert.notEqual(r.code, 0, r.out);
    assert.match(r.err, /Pod "fixed" is invalid: spec: Forbidden: pod updates may not change fields other than/);
    assert.match(r.err, /changed: spec\.containers\[0\]\.command\[2\]/);
    const command = c.ok(['get', 'pod', 'fixed', '-o', 'jsonpath={.spec.containers[0].command[2]}']);
    assert.equal(command.trim(), 'sleep 1000');
  });

  it('takes a new image from kubectl apply and kubectl set image', () => {
    c.apply(pod('busybox:1.37', 'sleep 1000'));
    c.ok(['set', 'image', 'pod/fixed', 'web=busybox:1.38']);
    const image = c.ok(['get', 'pod', 'fixed', '-o', 'jsonpath={.spec.containers[0].image}']);
    assert.equal(image.trim(), 'busybox:1.38');
  });

  it('refuses a second container and a patch that drops a toleration', () => {
    const two = c.kubectl([
      'patch',
      'pod',
      'fixed',
      '--type=json',
      '-p',
      '[{"op":"add","path":"/spec/containers/-","value":{"name":"b","image":"busybox:1.36"}}]',
    ]);
    assert.notEqual(two.code, 0);
    assert.match(two.err, /spec\.containers: Forbidden: pod updates may not add or remove containers/);
    const drop = c.kubectl([
      'patch',
      'pod',
      'fixed',
      '--type=json',
      '-p',
      '[{"op":"remove","path":"/spec/tolerations"}]',
    ]);
    assert.notEqual(drop.code, 0);
    assert.match(drop.err, /spec\.tolerations: Forbidden: existing tolerations may not be changed or removed/);
  });
});
