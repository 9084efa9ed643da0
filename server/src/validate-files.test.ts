import assert from 'node:assert/strict';
import { mkdirSync, mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, describe, it } from 'node:test';
import { createLanguageService } from './language-service.js';
import { checkFiles } from './validate-files.js';

const dir = mkdtempSync(join(tmpdir(), 'kw-check-files-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const write = (file: string, text: string): string => {
  const path = join(dir, file);
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, text);
  return path;
};
const check = (...files: string[]): string[] => {
  const out: string[] = [];
  const unreadable = checkFiles(createLanguageService(), files, (file, d) =>
    out.push(`${file.slice(dir.length + 1)}:${d.range.start.line + 1} ${String(d.code)}`),
  );
  assert.deepEqual(unreadable, []);
  return out;
};

const CONFIG_MAP = 'apiVersion: v1\nkind: ConfigMap\nmetadata: {name: a}\n';

describe('checkFiles (validate’s reading path)', () => {
  it('checks a file a kustomization uses as a patch as a patch, and the kustomization against its schema', () => {
    const files = [
      write('kz/kustomization.yaml', 'resources: []\nnamePrefx: a-\npatches:\n  - path: patch.yaml\n'),
      write('kz/patch.yaml', 'apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web}\nspec:\n  replicas: two\n'),
    ];
    assert.deepEqual(check(...files), ['kz/kustomization.yaml:2 unknown-field', 'kz/patch.yaml:5 wrong-type']);
  });

  it('leaves the image-tag warning off images a skaffold.yaml among the files builds', () => {
    const pod = (image: string): string =>
      `apiVersion: v1\nkind: Pod\nmetadata: {name: p}\nspec:\n  containers: [{name: c, image: ${image}}]\n`;
    const files = [
      write('sk/skaffold.yaml', 'apiVersion: skaffold/v4beta11\nkind: Config\nbuild: {artifacts: [{image: web}]}\n'),
      write('sk/web.yaml', pod('web')),
      write('sk/other.yaml', pod('nginx')),
    ];
    assert.deepEqual(check(...files), ['sk/other.yaml:5 image-tag']);
  });

  it('reports an object without apiVersion in a folder of manifests, but not other tools’ files there', () => {
    const files = [
      write('app/config.yaml', CONFIG_MAP),
      write('app/service.yaml', '# web\nkind: Service\nmetadata: {name: web}\nspec: {ports: [{port: 80}]}\n'),
      write('app/kustomization.yaml', 'kind: Kustomization\nresources: [config.yaml]\n'),
      write('app/values.yaml', 'kind: Deployment\nreplicas: 2\n'),
      write('alone/service.yaml', 'kind: Service\nmetadata: {name: web}\n'),
    ];
    assert.deepEqual(check(...files), ['app/service.yaml:2 api-version-not-set']);
  });

  it('learns a CRD from any document of any file before checking the custom resources', () => {
    const crd = [
      'apiVersion: apiextensions.k8s.io/v1',
      'kind: CustomResourceDefinition',
      'metadata: {name: widgets.example.com}',
      'spec:',
      '  group: example.com',
      '  scope: Namespaced',
      '  names: {kind: Widget, plural: widgets}',
      '  versions:',
      '    - name: v1',
      '      served: true',
      '      storage: true',
      '      schema: {openAPIV3Schema: {type: object, properties: {spec: {type: object, properties: {size: {type: integer}}}}}}',
      '',
    ].join('\n');
    const widget = 'apiVersion: example.com/v1\nkind: Widget\nmetadata: {name: w}\nspec: {size: big}\n';
    const files = [write('crs/widget.yaml', widget), write('crs/defs.yaml', `${CONFIG_MAP}---\n${crd}`)];
    assert.deepEqual(check(...files), ['crs/widget.yaml:4 wrong-type']);
  });

  it('skips a file with template actions, even when they span documents', () => {
    const file = write('chart/templates/x.yaml', `${CONFIG_MAP}---\nmetadata:\n  name: {{\n---\n .Name }}\n`);
    assert.deepEqual(check(file), []);
  });
});
