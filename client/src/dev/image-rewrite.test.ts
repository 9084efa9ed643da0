import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import type { ManifestObject } from '../run/manifest-documents.js';
import { imageRepository, imagesUsed, rewriteImages } from './image-rewrite.js';

const deployment: ManifestObject = {
  apiVersion: 'apps/v1',
  kind: 'Deployment',
  metadata: { name: 'web' },
  spec: {
    template: {
      spec: {
        initContainers: [{ name: 'init', image: 'web:1.0' }],
        containers: [
          { name: 'app', image: 'docker.io/library/web' },
          { name: 'side', image: 'busybox' },
        ],
      },
    },
  },
};
const cronJob: ManifestObject = {
  apiVersion: 'batch/v1',
  kind: 'CronJob',
  metadata: { name: 'job' },
  spec: { jobTemplate: { spec: { template: { spec: { containers: [{ name: 'c', image: 'web@sha256:abc' }] } } } } },
};

describe('image rewrite', () => {
  it('puts the built reference into containers and init containers of every pod template, leaving the input alone', () => {
    const before = structuredClone([deployment, cronJob]);
    const { objects, rewrites } = rewriteImages([deployment, cronJob], { web: 'web:kw-1234' });
    assert.deepEqual([deployment, cronJob], before);
    assert.deepEqual(
      rewrites.map((r) => `${r.kind}/${r.name} ${r.container}: ${r.from} -> ${r.to}`),
      [
        'Deployment/web init: web:1.0 -> web:kw-1234',
        'Deployment/web app: docker.io/library/web -> web:kw-1234',
        'CronJob/job c: web@sha256:abc -> web:kw-1234',
      ],
    );
    const spec = (objects[0]!.spec as { template: { spec: { containers: { image: string }[] } } }).template.spec;
    assert.deepEqual(
      spec.containers.map((c) => c.image),
      ['web:kw-1234', 'busybox'],
    );
  });

  it('knows which built images a manifest uses, and the repository of references', () => {
    assert.deepEqual(imagesUsed([deployment], ['web', 'worker']), ['web']);
    assert.equal(imageRepository('localhost:5000/team/web:1'), 'localhost:5000/team/web');
    assert.equal(imageRepository('localhost:5000/web'), 'localhost:5000/web');
  });
});
