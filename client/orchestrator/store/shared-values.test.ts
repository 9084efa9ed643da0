import assert from 'node:assert/strict';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { clone, type KubeObject } from './object';
import { SharedValues } from './shared-values';

function pod(name: string, image: string): KubeObject {
  return {
    apiVersion: 'v1',
    kind: 'Pod',
    metadata: {
      name,
      namespace: 'default',
      managedFields: [
        {
          manager: 'replicaset-controller',
          operation: 'Update',
          fieldsType: 'FieldsV1',
          fieldsV1: { 'f:spec': { 'f:containers': { 'k:{"name":"app"}': { '.': {}, 'f:image': {} } } } },
        },
      ],
    },
    spec: { containers: [{ name: 'app', image }], tolerations: [{ key: 'a', operator: 'Exists' }], nodeName: name },
    status: {
      phase: 'Running',
      conditions: [{ type: 'Ready', status: 'True', lastProbeTime: null, lastTransitionTime: '2026-12-05T02:54:09Z' }],
      podIP: `10.0.0.${name.length}`,
    },
  };
}

/** Objects of the shared corpus of manifests, when present: real objects of every kind. */
function corpusObjects(): KubeObject[] {
  const dir = '/work/shared/corpus';
  const out: KubeObject[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name) && out.length < 2000) {
        try {
          for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) {
            const v: unknown = doc.toJS();
            if (typeof v === 'object' && v !== null && !Array.isArray(v) && 'metadata' in v) out.push(v as KubeObject);
          }
        } catch {
          // not an object of ours
        }
      }
    }
  };
  try {
    walk(dir);
  } catch {
    // no corpus on this machine
  }
  return out;
}

describe('SharedValues', () => {
  it('makes equal parts of different objects one frozen object, and leaves their JSON as it was', () => {
    const shared = new SharedValues();
    const a = pod('a', 'nginx');
    const b = pod('b', 'nginx');
    const c = pod('c', 'httpd');
    const before = [a, b, c].map((o) => JSON.stringify(o));
    for (const o of [a, b, c]) shared.shareParts(o);
    assert.deepEqual(
      [a, b, c].map((o) => JSON.stringify(o)),
      before,
    );
    const fields = (o: KubeObject) => (o.metadata.managedFields![0] as { fieldsV1: unknown }).fieldsV1;
    assert.equal(fields(a), fields(b));
    assert.equal(fields(a), fields(c));
    assert.ok(Object.isFrozen(fields(a)));
    assert.equal((a.spec as { containers: unknown }).containers, (b.spec as { containers: unknown }).containers);
    assert.notEqual((a.spec as { containers: unknown }).containers, (c.spec as { containers: unknown }).containers);
    assert.equal((a.spec as { tolerations: unknown }).tolerations, (c.spec as { tolerations: unknown }).tolerations);
    const conditions = (o: KubeObject) => (o.status as { conditions: unknown }).conditions;
    assert.equal(conditions(a), conditions(c));
    assert.ok(Object.isFrozen(conditions(a)));
    // The rest stays the object's own and mutable.
    assert.ok(!Object.isFrozen(a.spec));
    assert.ok(!Object.isFrozen(a.status));
  });

  it('never shares parts that differ only in key order (the text written to disk stays the same)', () => {
    const shared = new SharedValues();
    const a = pod('a', 'nginx');
    const b = pod('b', 'nginx');
    (b.spec as { tolerations: unknown }).tolerations = [{ operator: 'Exists', key: 'a' }];
    const text = JSON.stringify(b);
    shared.shareParts(a);
    shared.shareParts(b);
    assert.equal(JSON.stringify(b), text);
    assert.notEqual((a.spec as { tolerations: unknown }).tolerations, (b.spec as { tolerations: unknown }).tolerations);
  });

  it('gives the same JSON as no sharing for the corpus and hostile values', () => {
    const shared = new SharedValues();
    const hostile = JSON.parse(
      '{"apiVersion":"v1","kind":"Pod","metadata":{"name":"x","managedFields":[{"fieldsV1":{"__proto__":{"f:a":{}}}},7,null]},"spec":{"containers":{"__proto__":[1]},"tolerations":"no"}}',
    ) as KubeObject;
    const corpus = corpusObjects();
    const objects = [...corpus, ...corpus, hostile, pod('a', 'x'), pod('a', 'x')];
    for (const o of objects) {
      const copy = clone(o);
      const text = JSON.stringify(copy);
      shared.shareParts(copy);
      assert.equal(JSON.stringify(copy), text);
    }
  });

  it('leaves frozen parts (shared with a stored version) alone', () => {
    const shared = new SharedValues();
    const a = pod('a', 'nginx');
    Object.freeze(a.spec);
    shared.shareParts(a);
    assert.ok(!Object.isFrozen((a.spec as { containers: unknown }).containers));
  });
});
