import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { MergeSchema } from '../../../../server/kube-model/patch/patch-meta';
import { clone, isObject, type KubeObject } from '../../store/object';
import { recordChangedFields, recordManagedFields } from './managed-fields';

const NOW = Date.UTC(2026, 11, 4, 12, 0, 0);

function schemaOf(obj: KubeObject): MergeSchema {
  const apiVersion = typeof obj.apiVersion === 'string' ? obj.apiVersion : 'v1';
  const [group, version] = apiVersion.includes('/') ? apiVersion.split('/') : ['', apiVersion];
  return MergeSchema.forKind(undefined, { group: group!, version: version!, kind: String(obj.kind) });
}

/** The create's managedFields both ways: through the cache (twice: a miss, then a hit) and by the general diff. */
function bothWays(input: KubeObject, manager = 'replicaset-controller', subresource?: string) {
  const run = (record: typeof recordManagedFields) => {
    const obj = clone(input);
    record(obj, undefined, manager, 'Update', String(obj.apiVersion), NOW, schemaOf(obj), subresource);
    return obj;
  };
  const cached = [run(recordManagedFields), run(recordManagedFields)];
  const general = run(recordChangedFields);
  for (const c of cached) assert.deepEqual(c, general, `${String(input.kind)} ${input.metadata.name ?? ''}`);
  return general;
}

function corpusObjects(): KubeObject[] {
  const out: KubeObject[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) {
        try {
          for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) {
            const v: unknown = doc.toJS();
            if (isObject(v) && isObject(v.metadata)) out.push(v as KubeObject);
          }
        } catch {
          // not a manifest
        }
      }
    }
  };
  try {
    walk('/work/shared/corpus');
  } catch {
    // no corpus on this machine
  }
  return out;
}

function pod(name: string, uid: string, labels: Record<string, string>, image: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      generateName: 'web-7d4b9c-',
      namespace: 'default',
      uid,
      labels,
      ownerReferences: [
        { apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'web-7d4b9c', uid: 'rs-1', controller: true },
      ],
    },
    spec: {
      containers: [{ name: 'app', image, ports: [{ containerPort: 80, protocol: 'TCP' }] }],
      tolerations: [{ key: 'a', operator: 'Exists' }],
      restartPolicy: 'Always',
    },
  };
}

describe('managedFields of a create (cached per shape) against the general diff', () => {
  it('are the same for every object of the corpus, as a create and as a status create', () => {
    const objects = corpusObjects();
    for (const obj of objects) {
      bothWays(obj);
      bothWays(obj, 'kubectl-client-side-apply');
      bothWays(obj, 'kubelet', 'status');
    }
  });

  it('are the same for pods of one template (names and uids differ) and differ where their fields do', () => {
    const a = bothWays(pod('web-7d4b9c-aaaaa', 'u1', { app: 'web' }, 'nginx:1'));
    const b = bothWays(pod('web-7d4b9c-bbbbb', 'u2', { app: 'web' }, 'nginx:1'));
    assert.deepEqual(a.metadata.managedFields, b.metadata.managedFields);
    const c = bothWays(pod('web-7d4b9c-ccccc', 'u3', { app: 'web', tier: 'front' }, 'nginx:1'));
    assert.notDeepEqual(c.metadata.managedFields, a.metadata.managedFields);
    bothWays(pod('web-7d4b9c-ddddd', 'u4', { app: 'web' }, 'nginx:2'));
  });

  it('an object with nothing ownable gets no managedFields, and one sent by the client is diffed as before', () => {
    const bare: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'x', managedFields: [] } };
    assert.equal(bothWays(bare).metadata.managedFields, undefined);
    const sent = pod('p', 'u', { app: 'web' }, 'nginx:1');
    sent.metadata.managedFields = [
      {
        manager: 'other',
        operation: 'Update',
        apiVersion: 'v1',
        time: '2026-01-01T00:00:00Z',
        fieldsType: 'FieldsV1',
        fieldsV1: { 'f:metadata': { 'f:labels': { 'f:app': {} } } },
      },
    ];
    bothWays(sent);
  });
});
