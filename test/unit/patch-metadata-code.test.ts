// The patch metadata table (server/kube-model/patch/patch-metadata.ts) and
// its generator, scripts/generate-patch-metadata.mjs, which reads the merge
// markers of Kubernetes' generated.proto files. The repository does not hold
// those files: the generator is checked on .proto files of our own
// (test/fixtures/patch-metadata), the checked-in table is checked to be exactly
// the generator's print of itself, and, when Kubernetes' modules are on this
// machine (KUBE_WORKBENCH_PATCH_MODULES lists `API_DIR:APIMACHINERY_DIR` pairs,
// separated by commas, one per minor version), exactly what they give.
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { PATCH_METADATA } from '../../server/kube-model/patch/patch-metadata';
import { RESOURCES } from '../../client/orchestrator/api/registry';
import { openApiTypeName } from '../../server/kube-model/patch/patch-meta';

const ROOT = join(__dirname, '..', '..');
const FIXTURES = join(ROOT, 'test', 'fixtures', 'patch-metadata');
const OUTPUT = join(ROOT, 'server', 'kube-model', 'patch', 'patch-metadata.ts');
const generator = () => import('../../scripts/generate-patch-metadata.mjs');
const fixture = (name: string) => ({ where: name, text: readFileSync(join(FIXTURES, name), 'utf8') });

describe('patch metadata generator', () => {
  it('keeps the markers, and the field types that lead to them, by OpenAPI name', async () => {
    const { tableFromProtos } = await generator();
    const table = tableFromProtos([fixture('gadgets.proto'), fixture('meta.proto')]);
    assert.deepEqual(table, {
      'io.k8s.api.gadgets.v1.Gadget': {
        fields: {
          metadata: { type: 'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta' },
          spec: { type: 'io.k8s.api.gadgets.v1.GadgetSpec' },
        },
      },
      'io.k8s.api.gadgets.v1.GadgetSpec': {
        fields: {
          parts: {
            type: 'io.k8s.api.gadgets.v1.Part',
            patchStrategy: 'merge',
            patchMergeKey: 'name',
            listType: 'map',
            listMapKeys: ['name', 'kind'],
          },
          selector: { mapType: 'atomic' },
          strategy: { patchStrategy: 'retainKeys' },
          tags: { listType: 'atomic' },
        },
      },
      'io.k8s.api.gadgets.v1.Part': { mapType: 'atomic', fields: {} },
      'io.k8s.apimachinery.pkg.apis.meta.v1.ObjectMeta': {
        fields: { finalizers: { patchStrategy: 'merge', listType: 'set' } },
      },
    });
  });

  it('refuses what it does not understand instead of skipping it', async () => {
    const { tableFromProtos } = await generator();
    const source = (text: string) => [{ where: 'bad.proto', text: `syntax = "proto2";\npackage bad;\n${text}` }];
    assert.throws(() => tableFromProtos(source('message A {\n  oneof x { }\n}')), /bad\.proto:4: not a field/);
    assert.throws(
      () => tableFromProtos(source('message A {\n  // +listType=map\n  // +listType=set\n  repeated A a = 1;\n}')),
      /\+listType given twice/,
    );
    assert.throws(() => tableFromProtos(source('enum E {\n}')), /unexpected statement/);
    assert.throws(() => tableFromProtos([{ where: 'bad.proto', text: 'message A {\n}' }]), /no package/);
  });
});

describe('the checked-in patch metadata table', () => {
  it('is exactly what the generator prints for its table and the module versions in its header', async () => {
    const { formatModule, headerFor, versionsOf } = await generator();
    const text = readFileSync(OUTPUT, 'utf8');
    assert.equal(await formatModule(PATCH_METADATA, headerFor(versionsOf(text))), text);
  });

  it('has every served kind of every version, and the merge keys kubectl relies on', () => {
    for (const [minor, types] of Object.entries(PATCH_METADATA)) {
      for (const def of RESOURCES) {
        if (def.verbs !== undefined && !def.verbs.includes('patch')) continue; // the metrics APIs: read only
        const name = openApiTypeName(def.group, def.version, def.kind);
        assert.ok(types[name], `${minor}: ${name}`);
      }
      const podSpec = types['io.k8s.api.core.v1.PodSpec']!.fields;
      assert.equal(podSpec.containers?.patchMergeKey, 'name');
      assert.equal(podSpec.volumes?.patchStrategy, 'merge,retainKeys');
      assert.deepEqual(types['io.k8s.api.core.v1.Container']!.fields.ports?.listMapKeys, ['containerPort', 'protocol']);
      assert.equal(types['io.k8s.api.apps.v1.DeploymentSpec']!.fields.strategy?.patchStrategy, 'retainKeys');
      assert.equal(types['io.k8s.apimachinery.pkg.apis.meta.v1.LabelSelector']!.mapType, 'atomic');
    }
  });

  const modules = process.env.KUBE_WORKBENCH_PATCH_MODULES;
  it(
    'is what the Kubernetes generated.proto files give',
    { skip: modules ? false : 'set KUBE_WORKBENCH_PATCH_MODULES=API_DIR:APIMACHINERY_DIR[,...]' },
    async () => {
      const { generatePatchMetadata, minorOf, versionsOf } = await generator();
      const text = readFileSync(OUTPUT, 'utf8');
      const folders: Record<string, { api: string; apimachinery: string }> = {};
      for (const pair of (modules ?? '').split(',')) {
        const [api = '', apimachinery = ''] = pair.split(':');
        folders[minorOf(/@(v[\w.+-]+)$/.exec(api)?.[1] ?? '')] = { api, apimachinery };
      }
      assert.equal(await generatePatchMetadata(folders, versionsOf(text)), text);
    },
  );
});
