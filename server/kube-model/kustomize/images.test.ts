import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { setImages, splitImage } from './images';
import { fromFile, type JsonObject } from './resource';

describe('images', () => {
  it('splits an image into name and tag/digest, a registry port not being a tag', () => {
    assert.deepEqual(splitImage('nginx'), ['nginx', '']);
    assert.deepEqual(splitImage('nginx:1.25'), ['nginx', ':1.25']);
    assert.deepEqual(splitImage('localhost:5000/app:v1'), ['localhost:5000/app', ':v1']);
    assert.deepEqual(splitImage('localhost:5000/app'), ['localhost:5000/app', '']);
    assert.deepEqual(splitImage('app@sha256:abc'), ['app', '@sha256:abc']);
    assert.deepEqual(splitImage('app:1@sha256:abc'), ['app', ':1@sha256:abc']);
  });

  it('retags containers and init containers wherever the pod spec sits, and only the named image', () => {
    const object: JsonObject = {
      kind: 'CronJob',
      spec: {
        jobTemplate: {
          spec: {
            template: {
              spec: {
                initContainers: [{ name: 'i', image: 'busybox' }],
                containers: [
                  { name: 'a', image: 'nginx:1.25' },
                  { name: 'b', image: 'nginx-exporter:1' },
                ],
              },
            },
          },
        },
      },
    };
    const resource = fromFile(object, '/f.yaml', null);
    const span = { file: '/k.yaml', start: 10, end: 20 };
    setImages(
      [resource],
      [
        { name: 'nginx', newName: 'ghcr.io/acme/nginx', newTag: '1.27', span },
        { name: 'busybox', digest: 'sha256:123', span },
      ],
    );
    const pod = (((resource.object['spec'] as JsonObject)['jobTemplate'] as JsonObject)['spec'] as JsonObject)[
      'template'
    ] as { spec: { containers: { image: string }[]; initContainers: { image: string }[] } };
    assert.deepEqual(
      pod.spec.containers.map((c) => c.image),
      ['ghcr.io/acme/nginx:1.27', 'nginx-exporter:1'],
    );
    assert.equal(pod.spec.initContainers[0]?.image, 'busybox@sha256:123');
  });
});
