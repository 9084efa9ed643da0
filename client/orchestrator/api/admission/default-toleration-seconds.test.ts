import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import type { KubeObject } from '../../store/object';
import type { ObjectStore } from '../../store/object-store';
import { Registry } from '../registry';
import type { AdmissionContext } from './admission';
import { defaultTolerationSecondsAdmission } from './default-toleration-seconds';

const registry = new Registry();
const context = (kind: string, operation: 'CREATE' | 'UPDATE' = 'CREATE'): AdmissionContext => ({
  operation,
  def: registry.byGroupKind('', kind)!,
  store: {} as ObjectStore,
  fieldValidation: 'Strict',
  warnings: [],
});
const pod = (spec: Record<string, unknown>): KubeObject => ({
  apiVersion: 'v1',
  kind: 'Pod',
  metadata: { name: 'p', namespace: 'default' },
  spec: { containers: [{ name: 'c', image: 'i' }], ...spec },
});
const tolerations = (p: KubeObject) => (p.spec as { tolerations?: unknown }).tolerations;

describe('DefaultTolerationSeconds admission', () => {
  it('adds the not-ready and unreachable NoExecute tolerations for the configured seconds', () => {
    const p = pod({});
    defaultTolerationSecondsAdmission(7).default(p, context('Pod'));
    assert.deepEqual(tolerations(p), [
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 7 },
      { key: 'node.kubernetes.io/unreachable', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 7 },
    ]);
  });

  it("keeps a pod's own toleration and its tolerationSeconds, and adds only what is missing", () => {
    const own = {
      key: 'node.kubernetes.io/unreachable',
      operator: 'Exists',
      effect: 'NoExecute',
      tolerationSeconds: 2,
    };
    const p = pod({ tolerations: [own] });
    defaultTolerationSecondsAdmission().default(p, context('Pod'));
    assert.deepEqual(tolerations(p), [
      own,
      { key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoExecute', tolerationSeconds: 300 },
    ]);
    const all = pod({ tolerations: [{ operator: 'Exists' }] });
    defaultTolerationSecondsAdmission().default(all, context('Pod'));
    assert.deepEqual(tolerations(all), [{ operator: 'Exists' }], 'tolerating everything needs nothing more');
    const noSchedule = pod({
      tolerations: [{ key: 'node.kubernetes.io/not-ready', operator: 'Exists', effect: 'NoSchedule' }],
    });
    defaultTolerationSecondsAdmission().default(noSchedule, context('Pod'));
    assert.equal((tolerations(noSchedule) as unknown[]).length, 3, 'a NoSchedule toleration does not count');
  });

  it('leaves updates, other kinds and a tolerations field that is no list alone (validation reports it)', () => {
    const updated = pod({});
    defaultTolerationSecondsAdmission().default(updated, context('Pod', 'UPDATE'));
    assert.equal(tolerations(updated), undefined);
    const hostile: unknown = JSON.parse('{"__proto__": "x"}');
    const bad = pod({ tolerations: hostile });
    defaultTolerationSecondsAdmission().default(bad, context('Pod'));
    assert.equal(tolerations(bad), hostile);
    const cm: KubeObject = { apiVersion: 'v1', kind: 'ConfigMap', metadata: { name: 'c' } };
    defaultTolerationSecondsAdmission().default(cm, context('ConfigMap'));
    assert.equal(cm.spec, undefined);
  });
});
