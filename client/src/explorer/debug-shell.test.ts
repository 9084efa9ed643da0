import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { errorText, validateObject } from '../../../server/kube-model/validation/index.js';
import { debugContainer, debugContainerName, notStarting } from './debug-shell.js';

describe('Debug Shell', () => {
  it('names each debug container anew, as a valid container name', () => {
    const a = debugContainerName();
    assert.match(a, /^debugger-[a-z0-9]{5}$/);
    assert.notEqual(a, debugContainerName());
  });

  it('adds a container the API server accepts: sh with stdin and a TTY, targeting the chosen container', () => {
    const pod = {
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: { name: 'web' },
      spec: {
        containers: [{ name: 'app', image: 'nginx:1.27', ports: [{ containerPort: 80 }] }],
        ephemeralContainers: [debugContainer('debugger-abcde', 'busybox:1.36', 'app')],
      },
    };
    assert.deepEqual(validateObject(pod, { operation: 'UPDATE' }).map(errorText), []);
    assert.deepEqual(pod.spec.ephemeralContainers[0], {
      name: 'debugger-abcde',
      image: 'busybox:1.36',
      command: ['sh'],
      stdin: true,
      tty: true,
      targetContainerName: 'app',
      terminationMessagePolicy: 'File',
    });
  });

  it('says why a debug container cannot start, and waits while it is being created', () => {
    assert.equal(notStarting(undefined), undefined);
    assert.equal(notStarting({ name: 'd', state: { waiting: { reason: 'ContainerCreating' } } }), undefined);
    assert.equal(
      notStarting({ name: 'd', state: { waiting: { reason: 'ErrImagePull', message: 'no such image' } } }),
      'ErrImagePull: no such image',
    );
  });
});
