import { strict as assert } from 'node:assert';
import { readdirSync, readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { describe, it } from 'node:test';
import { parseAllDocuments } from 'yaml';
import { apiVersionOf } from '../../../../server/kube-model/kinds';
import { clone, deepFreeze, isObject, type JsonObject } from '../../store/object';
import { RESOURCES, type ResourceDef } from '../registry';
import {
  defaultSchemasIfPresent,
  mayHoldIntegers,
  undecodableIntegers,
  walkSchema,
  type SchemaFindings,
} from './schema-fields';

/** The answer without any cache: a walk of a fresh, unfrozen copy. */
function uncached(def: ResourceDef, object: unknown) {
  const schemas = defaultSchemasIfPresent()!;
  const found: SchemaFindings = { unknown: [], badQuantities: [], badIntegers: [] };
  walkSchema(schemas, clone(object), schemas.schemaFor(apiVersionOf(def), def.kind), '', found, 0, {
    struct: def.kind,
    field: '',
  });
  return found.badIntegers;
}

function defOf(obj: JsonObject): ResourceDef | undefined {
  return RESOURCES.find((d) => d.kind === obj.kind && apiVersionOf(d) === obj.apiVersion);
}

/** Objects of the shared corpus of manifests (when present) whose kind the cluster serves. */
function corpusObjects(): JsonObject[] {
  const out: JsonObject[] = [];
  const walk = (d: string): void => {
    for (const name of readdirSync(d)) {
      const p = join(d, name);
      if (statSync(p).isDirectory()) walk(p);
      else if (/\.ya?ml$/.test(name)) {
        try {
          for (const doc of parseAllDocuments(readFileSync(p, 'utf8'))) {
            const v: unknown = doc.toJS();
            if (isObject(v) && defOf(v)) out.push(v);
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

/** Every path to a scalar of `value`. */
function leaves(value: unknown, path: (string | number)[] = [], out: (string | number)[][] = []) {
  if (Array.isArray(value)) value.forEach((v, i) => leaves(v, [...path, i], out));
  else if (isObject(value)) for (const [k, v] of Object.entries(value)) leaves(v, [...path, k], out);
  else out.push(path);
  return out;
}

/** A frozen copy of `base` with the scalar at `path` replaced: every part off the path is `base`'s own (shared). */
function withLeaf(base: unknown, path: (string | number)[], leaf: unknown): unknown {
  if (path.length === 0) return leaf;
  const [head, ...rest] = path;
  const copy: unknown = Array.isArray(base) ? [...(base as unknown[])] : { ...(base as JsonObject) };
  (copy as Record<string | number, unknown>)[head!] = withLeaf(
    (base as Record<string | number, unknown>)[head!],
    rest,
    leaf,
  );
  return Object.freeze(copy);
}

describe('undecodableIntegers (cached per frozen part) against an uncached walk', () => {
  const bad: unknown[] = [1.5, 2 ** 40, 1e300, 'seven', -0.5, { deep: 1 }];

  it('gives the same paths and messages over the corpus and every scalar made a bad integer, parts shared', () => {
    const objects = corpusObjects();
    let compared = 0;
    let findings = 0;
    for (const raw of objects) {
      const def = defOf(raw)!;
      const base = deepFreeze(clone(raw));
      assert.deepEqual(undecodableIntegers(def, base), uncached(def, base));
      leaves(base).forEach((path, i) => {
        const next = withLeaf(base, path, bad[i % bad.length]);
        const expected = uncached(def, next);
        assert.deepEqual(undecodableIntegers(def, next), expected, `${String(raw.kind)} ${path.join('.')}`);
        // Asked again, and with the bad value gone again (the other parts still shared and cached).
        assert.deepEqual(undecodableIntegers(def, next), expected);
        const back = withLeaf(next, path, 3);
        assert.deepEqual(undecodableIntegers(def, back), uncached(def, back));
        compared += 3;
        findings += expected.length;
      });
    }
    if (objects.length > 0) {
      assert.ok(compared > 1000, `${compared} objects compared`);
      assert.ok(findings > 100, `${findings} bad integers found`);
    }
  });

  it('a part first seen past the walk depth limit is still checked where it sits higher up', () => {
    // The cluster does not serve CRDs, but the schemas know them: only group, version and kind are read.
    const def = {
      ...RESOURCES[0]!,
      group: 'apiextensions.k8s.io',
      version: 'v1',
      kind: 'CustomResourceDefinition',
    };
    // JSONSchemaProps nest without end: properties.a.properties.a... (two levels of walk each, and a $ref).
    const nest = (levels: number, inner: JsonObject): JsonObject =>
      levels === 0 ? inner : { type: 'object', properties: { a: nest(levels - 1, inner) } };
    const part = deepFreeze(nest(10, { type: 'string', maxLength: 1.5 }));
    const crd = (levels: number) =>
      deepFreeze({
        apiVersion: 'apiextensions.k8s.io/v1',
        kind: 'CustomResourceDefinition',
        metadata: { name: 'things.example.com' },
        spec: {
          group: 'example.com',
          names: { plural: 'things', kind: 'Thing' },
          scope: 'Namespaced',
          versions: [{ name: 'v1', served: true, storage: true, schema: { openAPIV3Schema: nest(levels, part) } }],
        },
      });
    const deep = crd(12);
    const shallow = crd(2);
    assert.deepEqual(uncached(def, deep), []);
    assert.deepEqual(undecodableIntegers(def, deep), []);
    const expected = uncached(def, shallow);
    assert.equal(expected.length, 1);
    assert.deepEqual(undecodableIntegers(def, shallow), expected);
  });

  it('skips only parts whose schema holds no integer: a running pod status, every scalar made a bad integer', () => {
    const schemas = defaultSchemasIfPresent();
    if (!schemas) return;
    const podDef = RESOURCES.find((d) => d.kind === 'Pod')!;
    const pod = schemas.resolver.resolve(schemas.schemaFor('v1', 'Pod')!);
    const part = (s: typeof pod, ...keys: string[]) =>
      keys.reduce((at, k) => schemas.resolver.resolve(at.properties![k]!), s);
    // Labels, managedFields and owner references hold no integer; container statuses do (restartCount).
    assert.equal(mayHoldIntegers(schemas, part(pod, 'metadata')), true);
    assert.equal(mayHoldIntegers(schemas, part(pod, 'metadata', 'labels')), false);
    assert.equal(mayHoldIntegers(schemas, part(pod, 'metadata', 'managedFields')), false);
    assert.equal(mayHoldIntegers(schemas, part(pod, 'metadata', 'ownerReferences')), false);
    assert.equal(mayHoldIntegers(schemas, part(pod, 'status', 'containerStatuses')), true);
    const base = deepFreeze({
      apiVersion: 'v1',
      kind: 'Pod',
      metadata: {
        name: 'p',
        namespace: 'default',
        generation: 1,
        labels: { app: 'a' },
        managedFields: [{ manager: 'm', operation: 'Update', fieldsType: 'FieldsV1', fieldsV1: { 'f:spec': {} } }],
        ownerReferences: [{ apiVersion: 'apps/v1', kind: 'ReplicaSet', name: 'rs', uid: 'u', controller: true }],
      },
      spec: {
        nodeName: 'n',
        terminationGracePeriodSeconds: 30,
        containers: [{ name: 'app', image: 'nginx', ports: [{ containerPort: 80 }] }],
      },
      status: {
        phase: 'Running',
        conditions: [{ type: 'Ready', status: 'True', lastTransitionTime: '2026-12-04T00:00:00Z' }],
        containerStatuses: [
          { name: 'app', ready: true, restartCount: 0, image: 'nginx', imageID: '', state: { running: {} } },
        ],
      },
    });
    let findings = 0;
    leaves(base).forEach((path, i) => {
      const next = withLeaf(base, path, bad[i % bad.length]);
      const expected = uncached(podDef, next);
      assert.deepEqual(undecodableIntegers(podDef, next), expected, path.join('.'));
      findings += expected.length;
    });
    assert.ok(findings >= 4, `${findings} bad integers found`);
  });
});
