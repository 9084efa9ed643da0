/**
 * The editor (the language server's diagnostics) and the embedded cluster's
 * admission (what `kubectl apply` meets) read the same schemas through the same
 * loader, for the Kubernetes version each is set to, and share name formats,
 * quantities and selectors: a manifest one rejects, the other rejects too.
 */
import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { parse } from 'yaml';
import { loadSchemas } from '../../server/kube-model/schema-loader.js';
import { createLanguageService } from '../../server/src/language-service.js';
import { chain } from '../../client/orchestrator/api/admission/admission.js';
import { defaultsAdmission } from '../../client/orchestrator/api/admission/defaults.js';
import { validationAdmission } from '../../client/orchestrator/api/admission/validation.js';
import type { ApiContext } from '../../client/orchestrator/api/api-context.js';
import { Registry } from '../../client/orchestrator/api/registry.js';
import { admitAndWrite } from '../../client/orchestrator/api/write-handlers.js';
import { FakeClock } from '../../client/orchestrator/clock.js';
import { clusterSchemas } from '../../client/orchestrator/cli/start-cluster.js';
import type { KubeObject } from '../../client/orchestrator/store/object.js';
import { ObjectStore } from '../../client/orchestrator/store/object-store.js';

const registry = new Registry();

/** The editor's errors for a manifest, as `code: message`. */
function editorErrors(text: string, kubernetesVersion: string): string[] {
  return createLanguageService({ kubernetesVersion })
    .diagnostics(text)
    .filter((d) => d.severity === 1)
    .map((d) => `${String(d.code)}: ${d.message}`);
}

/** What the cluster's admission says to a create with strict field validation: undefined when it is stored. */
async function admissionError(text: string, kubernetesVersion: string): Promise<string | undefined> {
  const clock = new FakeClock();
  const store = await ObjectStore.open({ clock });
  await store.create('/namespaces', { apiVersion: 'v1', kind: 'Namespace', metadata: { name: 'default' } });
  const ctx: ApiContext = {
    store,
    clock,
    registry,
    admission: chain(defaultsAdmission, validationAdmission),
    schemas: loadSchemas(kubernetesVersion),
  };
  const raw = parse(text) as KubeObject;
  const [group, version] = raw.apiVersion.includes('/') ? raw.apiVersion.split('/') : ['', raw.apiVersion];
  const def = registry.byGroupKind(group ?? '', raw.kind);
  assert.ok(def && def.version === version, `${raw.apiVersion} ${raw.kind} is served`);
  try {
    // As the create handler does: the namespace comes from the request's path.
    const object = structuredClone(raw);
    object.metadata.namespace = 'default';
    await admitAndWrite(ctx, def, object, {
      raw,
      manager: 'kubectl',
      fieldValidation: 'Strict',
      warnings: [],
    });
    return undefined;
  } catch (error) {
    return (error as Error).message;
  } finally {
    await store.close();
  }
}

const lines = (...l: string[]) => `${l.join('\n')}\n`;

const podWithSchedulingGroup = lines(
  'apiVersion: v1',
  'kind: Pod',
  'metadata:',
  '  name: grouped',
  'spec:',
  '  schedulingGroup:',
  '    podGroupName: training',
  '  containers:',
  '    - name: main',
  '      image: busybox:1.36',
);

describe('the editor and admission agree', () => {
  it('on a field only the newer Kubernetes knows: unknown to both at 1.34, accepted by both at 1.36', async () => {
    assert.match(
      editorErrors(podWithSchedulingGroup, '1.34').join('\n'),
      /unknown field `schedulingGroup` in Pod.spec/,
    );
    assert.match((await admissionError(podWithSchedulingGroup, '1.34')) ?? '', /unknown field "spec.schedulingGroup"/);
    assert.deepEqual(editorErrors(podWithSchedulingGroup, '1.36'), []);
    assert.equal(await admissionError(podWithSchedulingGroup, '1.36'), undefined);
  });

  it('on a misspelled field of the 1.36 schemas', async () => {
    const text = podWithSchedulingGroup.replace('podGroupName', 'podGroupNam');
    assert.match(editorErrors(text, '1.36').join('\n'), /unknown field `podGroupNam`/);
    assert.match((await admissionError(text, '1.36')) ?? '', /unknown field "spec.schedulingGroup.podGroupNam"/);
  });

  it('on names, label values, quantities and selectors', async () => {
    const deployment = (name: string, labelValue: string, cpu: string, selectorValue: string) =>
      lines(
        'apiVersion: apps/v1',
        'kind: Deployment',
        'metadata:',
        `  name: ${name}`,
        `  labels: {app: "${labelValue}"}`,
        'spec:',
        '  selector:',
        `    matchLabels: {app: ${selectorValue}}`,
        '  template:',
        '    metadata:',
        '      labels: {app: web}',
        '    spec:',
        '      containers:',
        '        - name: web',
        '          image: nginx:1.27',
        `          resources: {limits: {cpu: "${cpu}"}}`,
      );
    for (const version of ['1.34', '1.36']) {
      const good = deployment('web', 'web', '500m', 'web');
      assert.deepEqual(editorErrors(good, version), [], version);
      assert.equal(await admissionError(good, version), undefined, version);
      for (const bad of [
        deployment('Web_App', 'web', '500m', 'web'),
        deployment('web', '-web-', '500m', 'web'),
        deployment('web', 'web', 'half', 'web'),
        deployment('web', 'web', '500m', 'api'),
      ]) {
        assert.notDeepEqual(editorErrors(bad, version), [], `editor ${version}:\n${bad}`);
        assert.ok((await admissionError(bad, version)) !== undefined, `admission ${version}:\n${bad}`);
      }
    }
  });

  it('the cluster serves the version it is started with, and refuses one there are no schemas for', () => {
    assert.equal(clusterSchemas('1.36')?.version, '1.36');
    assert.equal(clusterSchemas(undefined)?.version, loadSchemas().version);
    assert.throws(
      () => clusterSchemas('1.12'),
      /unknown Kubernetes version '1.12'; choose 1.30, 1.32, 1.33, 1.34, 1.36/,
    );
    // A minor between bundled ones says why it is missing and which are nearest.
    assert.throws(
      () => clusterSchemas('1.35'),
      /Kubernetes 1.35 is not bundled: no npm package carries its API models.*nearest bundled versions are 1.34 and 1.36/,
    );
  });
});
