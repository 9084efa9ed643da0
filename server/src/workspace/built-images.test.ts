import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { createLanguageService } from '../language-service.js';
import { skaffoldImages } from './built-images.js';

const SKAFFOLD = `apiVersion: skaffold/v4beta11
kind: Config
build:
  artifacts:
    - image: web
      context: app
    - image: "docker.io/team/api:dev"
`;
const deployment = (images: string[]): string => `apiVersion: apps/v1
kind: Deployment
metadata: {name: web}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
${images.map((image, i) => `        - {name: c${i}, image: ${image}}`).join('\n')}
`;
const tagWarnings = (service: ReturnType<typeof createLanguageService>, text: string): string[] =>
  service
    .diagnostics(text)
    .filter((d) => d.code === 'image-tag')
    .map((d) => d.message.slice(0, d.message.indexOf('`', 7) + 1));

describe('images the workspace builds', () => {
  it('reads the artifact images of every skaffold document, tags and registries of Docker Hub dropped', () => {
    assert.deepEqual(skaffoldImages(SKAFFOLD), ['web', 'team/api']);
    assert.deepEqual(skaffoldImages(`${SKAFFOLD}---\nbuild: {artifacts: [{image: worker}]}\n`), [
      'web',
      'team/api',
      'worker',
    ]);
  });

  it('survives hostile skaffold files: broken YAML, aliases, non-string images, __proto__', () => {
    assert.deepEqual(skaffoldImages('build: {artifacts: [\n'), []);
    assert.deepEqual(skaffoldImages('a: &a [1]\nbuild: {artifacts: *a}\n'), []);
    assert.deepEqual(skaffoldImages('build: {artifacts: [{image: 12}, {image: [x]}, {image: ""}, 7]}\n'), []);
    assert.deepEqual(skaffoldImages('__proto__: {x: 1}\nbuild: {artifacts: [{image: __proto__}]}\n'), ['__proto__']);
  });

  it('keeps the image-tag warning off images a skaffold.yaml builds, and on the others', () => {
    const service = createLanguageService();
    const text = deployment(['web', 'team/api:latest', 'nginx']);
    assert.deepEqual(tagWarnings(service, text).length, 3);
    service.workspace.update('file:///w/skaffold.yaml', SKAFFOLD);
    assert.deepEqual(tagWarnings(service, text), ['image `nginx`']);
    service.workspace.update('file:///w/skaffold.yaml', undefined);
    assert.equal(tagWarnings(service, text).length, 3);
  });

  it('takes the kubeWorkbench.images setting too', () => {
    const service = createLanguageService();
    service.configure({ builtImages: ['nginx'] });
    assert.deepEqual(tagWarnings(service, deployment(['"nginx"', 'redis'])), ['image `redis`']);
  });

  it("does not index a skaffold.yaml's Config as a cluster resource", () => {
    const service = createLanguageService();
    service.workspace.update('file:///w/skaffold.yaml', SKAFFOLD);
    assert.deepEqual(service.workspace.codeLenses('file:///w/skaffold.yaml'), []);
    assert.equal(service.workspace.index.manifestsBeside('file:///w/other.yaml'), false);
  });
});
