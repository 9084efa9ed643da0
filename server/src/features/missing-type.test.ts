import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { isOtherToolFile } from '../document/other-tool-files.js';
import { createLanguageService } from '../language-service.js';

const service = createLanguageService();
const shown = (text: string, manifestsAround = false): string[] =>
  service
    .diagnostics(text, { manifestsAround })
    .map((d) => `${d.range.start.line}:${String(d.code)}:${d.message}`)
    .sort();

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

describe('objects without apiVersion or kind, among manifests', () => {
  it('says "apiVersion not set" on the kind line of a document beside a manifest', () => {
    const text = `${CONFIG_MAP}---\n# the service\nkind: Service\nmetadata: {name: b}\nspec: {ports: [{port: 80}]}\n`;
    assert.deepEqual(shown(text), ['5:api-version-not-set:apiVersion not set']);
  });

  it('says "kind not set" on the apiVersion line', () => {
    const text = `${CONFIG_MAP}---\nmetadata: {name: b}\napiVersion: v1\ndata: {}\n`;
    assert.deepEqual(shown(text), ['5:kind-not-set:kind not set']);
  });

  it('says both of a whole object (metadata and spec) without either, at its first line', () => {
    const text = `${CONFIG_MAP}---\nmetadata: {name: b}\nspec: {replicas: 1}\n`;
    assert.deepEqual(shown(text), ['4:api-version-not-set:apiVersion not set', '4:kind-not-set:kind not set']);
  });

  it('says so of a kind that is not a string', () => {
    const text = `${CONFIG_MAP}---\napiVersion: v1\nkind: [Service]\n`;
    assert.deepEqual(shown(text), ["5:kind-not-set:kind isn't string type"]);
  });

  it('reports a lone document only when its folder holds manifests', () => {
    const text = 'kind: Service\nmetadata: {name: b}\n';
    assert.deepEqual(shown(text), []);
    assert.deepEqual(shown(text, true), ['0:api-version-not-set:apiVersion not set']);
  });

  it('stays silent on YAML of other tools, even beside manifests', () => {
    const workflow = 'name: ci\non: [push]\njobs:\n  test:\n    runs-on: ubuntu-latest\n    steps: [{run: make}]\n';
    const compose = "version: '3'\nservices:\n  web: {image: nginx, ports: ['80:80']}\n";
    const values = 'replicaCount: 1\nimage: {repository: nginx}\nservice: {type: ClusterIP, port: 80}\n';
    const kustomization = 'kind: Kustomization\nresources: [deploy.yaml]\n';
    for (const text of [workflow, compose, values, kustomization]) {
      assert.deepEqual(shown(text, true), [], text);
      assert.deepEqual(shown(`${CONFIG_MAP}---\n${text}`), [], text);
    }
    assert.deepEqual(shown('replicaCount: 1\n---\nkind: Service\n'), [], 'no manifest in the file');
  });

  it('does not count Helm charts, kustomize, Compose and CI files as manifests of a folder', () => {
    for (const name of [
      'app/kustomization.yaml',
      'chart/Chart.yaml',
      'chart/values.yaml',
      'chart/values-prod.yml',
      'docker-compose.yml',
      'compose.dev.yaml',
      'file:///ws/.github/workflows/ci.yml',
    ])
      assert.ok(isOtherToolFile(name), name);
    for (const name of ['app/deploy.yaml', 'file:///ws/k8s/service.yml', 'values/deploy.yaml'])
      assert.ok(!isOtherToolFile(name), name);
  });
});
