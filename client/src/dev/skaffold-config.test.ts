import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { mergeImagesSetting } from './images-setting.js';
import { readSkaffoldConfig } from './skaffold-config.js';

const FILE = '/ws/skaffold.yaml';

describe('skaffold.yaml', () => {
  it('reads artifacts, docker options, sync rules and rawYaml manifests', () => {
    const config = readSkaffoldConfig(
      [
        'apiVersion: skaffold/v4beta11',
        'kind: Config',
        'build:',
        '  artifacts:',
        '    - image: web',
        '      context: app',
        '      docker:',
        '        dockerfile: docker/Dockerfile',
        '        target: dev',
        '        buildArgs: { MODE: debug, N: 3 }',
        '      sync:',
        '        manual:',
        "          - { src: 'src/**/*.py', dest: /app, strip: src/ }",
        '        infer: ["**/*.html"]',
        'manifests:',
        '  rawYaml: [k8s/*.yaml]',
      ].join('\n'),
      FILE,
    );
    assert.deepEqual(config.errors, []);
    assert.deepEqual(config.warnings, []);
    assert.deepEqual(config.artifacts, [
      {
        image: 'web',
        context: '/ws/app',
        dockerfile: 'docker/Dockerfile',
        target: 'dev',
        buildArgs: { MODE: 'debug', N: '3' },
        sync: { manual: [{ src: 'src/**/*.py', dest: '/app', strip: 'src/' }], infer: ['**/*.html'] },
        source: { file: FILE, line: 5 },
      },
    ]);
    assert.deepEqual(config.manifests, ['/ws/k8s/*.yaml']);
  });

  it('reads the v2 deploy.kubectl.manifests and warns, with positions, on what it ignores', () => {
    const config = readSkaffoldConfig(
      [
        'apiVersion: skaffold/v2beta29',
        'kind: Config',
        'build:',
        '  tagPolicy: { sha256: {} }',
        '  artifacts:',
        '    - image: api',
        '      jib: {}',
        'deploy:',
        '  kubectl: { manifests: [k8s/app.yaml] }',
        '  helm: {}',
        'profiles: []',
        'portForward: []',
      ].join('\n'),
      FILE,
    );
    assert.deepEqual(config.errors, []);
    assert.deepEqual(config.artifacts, []);
    assert.deepEqual(config.manifests, ['/ws/k8s/app.yaml']);
    assert.deepEqual(
      config.warnings.map((w) => `${w.line}: ${w.message.split(' ').slice(0, 3).join(' ')}`),
      [
        "11: 'profiles' is ignored",
        "12: 'portForward' is ignored",
        '4: build.tagPolicy is ignored',
        '7: the jib builder',
        '10: deploy.helm is ignored',
      ],
    );
  });

  it('refuses hostile input with a position instead of throwing', () => {
    for (const text of [
      'apiVersion: skaffold/v1\nkind: Config',
      'apiVersion: skaffold/v4beta1\nkind: Config\nbuild:\n  artifacts:\n    - image: "Bad Name"',
      'apiVersion: skaffold/v4beta1\nkind: Config\nbuild:\n  artifacts:\n    - image: web\n      docker:\n        buildArgs: { __proto__: x }',
      'apiVersion: skaffold/v4beta1\nkind: Config\nkind: Config',
      '[unclosed',
      `apiVersion: skaffold/v4beta1\nkind: Config\nbuild: ${'['.repeat(50_000)}${']'.repeat(50_000)}`,
      'apiVersion: skaffold/v4beta1\nkind: Config\na: &a [{ image: web }]\nbuild: { artifacts: *a }',
    ]) {
      const config = readSkaffoldConfig(text, FILE);
      assert.ok(config.errors.length > 0, text);
      assert.ok(
        config.errors.every((e) => e.line >= 1),
        text,
      );
    }
    assert.equal(Object.getPrototypeOf({}), Object.prototype);
    // A self-referencing alias is never expanded: its key is only warned about.
    const loop = readSkaffoldConfig('a: &a [*a]\napiVersion: skaffold/v4beta1\nkind: Config', FILE);
    assert.deepEqual([loop.errors.length, loop.warnings[0]?.line], [0, 1]);
  });

  it('adds the kubeWorkbench.images setting under the skaffold artifacts', () => {
    const base = readSkaffoldConfig(
      'apiVersion: skaffold/v4beta1\nkind: Config\nbuild: { artifacts: [{ image: web }] }',
      FILE,
    );
    const merged = mergeImagesSetting(
      base,
      { web: 'other', worker: { context: 'worker', dockerfile: 'W.Dockerfile' }, 'BAD:1': 'x' },
      '/ws',
    );
    assert.deepEqual(
      merged.artifacts.map((a) => [a.image, a.context, a.dockerfile]),
      [
        ['web', '/ws', 'Dockerfile'],
        ['worker', '/ws/worker', 'W.Dockerfile'],
      ],
    );
    assert.equal(merged.warnings.length, 1);
  });
});
