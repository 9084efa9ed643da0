import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { errors, object } from './test-manifests';

const pvc = (spec: Record<string, unknown>) =>
  object('v1', 'PersistentVolumeClaim', {
    spec: { accessModes: ['ReadWriteOnce'], resources: { requests: { storage: '1Gi' } }, ...spec },
  });
const hpa = (spec: Record<string, unknown>) =>
  object('autoscaling/v2', 'HorizontalPodAutoscaler', {
    spec: { scaleTargetRef: { apiVersion: 'apps/v1', kind: 'Deployment', name: 'web' }, maxReplicas: 3, ...spec },
  });
const pdb = (spec: Record<string, unknown>) => object('policy/v1', 'PodDisruptionBudget', { spec });
const cpu = (target: Record<string, unknown>) => [{ type: 'Resource', resource: { name: 'cpu', target } }];

describe('PersistentVolumeClaim rules', () => {
  it('accepts a plain claim', () => assert.deepEqual(errors(pvc({})), []));
  it('access modes', () => {
    assert.deepEqual(errors(pvc({ accessModes: [] })), [
      'spec.accessModes: Required value: at least 1 access mode is required',
    ]);
    assert.deepEqual(errors(pvc({ accessModes: ['ReadWriteOncePod', 'Shared'] })), [
      'spec.accessModes[1]: Unsupported value: "Shared": supported values: "ReadOnlyMany", "ReadWriteMany", "ReadWriteOnce", "ReadWriteOncePod"',
      'spec.accessModes: Forbidden: may not use ReadWriteOncePod with other access modes',
    ]);
  });
  it('storage request and volume mode', () => {
    assert.deepEqual(errors(pvc({ resources: {} })), ['spec.resources[storage]: Required value']);
    assert.deepEqual(errors(pvc({ resources: { requests: { storage: '0' } }, volumeMode: 'Raw' })), [
      'spec.resources[storage]: Invalid value: "0": must be greater than zero',
      'spec.volumeMode: Unsupported value: "Raw": supported values: "Block", "Filesystem"',
    ]);
  });
  it('on update only the storage request may change', () => {
    const update = { operation: 'UPDATE' as const, old: pvc({}) };
    assert.deepEqual(errors(pvc({ resources: { requests: { storage: '2Gi' } } }), update), []);
    assert.deepEqual(errors(pvc({ storageClassName: 'fast' }), update), [
      'spec: Forbidden: spec is immutable after creation except resources.requests and volumeAttributesClassName for bound claims',
    ]);
  });
});

describe('HorizontalPodAutoscaler rules (autoscaling/v2)', () => {
  it('accepts a plain autoscaler', () =>
    assert.deepEqual(errors(hpa({ metrics: cpu({ type: 'Utilization', averageUtilization: 50 }) })), []));
  it('target, min and max replicas', () => {
    assert.deepEqual(errors(hpa({ scaleTargetRef: { kind: 'Deployment' }, minReplicas: 5 })), [
      'spec.scaleTargetRef.name: Required value',
      'spec.maxReplicas: Invalid value: 3: must be greater than or equal to `minReplicas`',
    ]);
    assert.deepEqual(errors(hpa({ minReplicas: 0, maxReplicas: 0 })), [
      'spec.minReplicas: Invalid value: 0: must be greater than or equal to 1',
      'spec.maxReplicas: Invalid value: 0: must be greater than 0',
    ]);
  });
  it("each metric's shape", () => {
    assert.deepEqual(errors(hpa({ metrics: [{ type: 'Resource', pods: {} }] })), [
      'spec.metrics[0].pods: Forbidden: must populate the given metric source only',
      'spec.metrics[0].resource: Required value: must populate information for the given metric source',
    ]);
    assert.deepEqual(errors(hpa({ metrics: [{ type: 'Custom' }] })), [
      'spec.metrics[0].type: Unsupported value: "Custom": supported values: "ContainerResource", "External", "Object", "Pods", "Resource"',
    ]);
    assert.deepEqual(errors(hpa({ metrics: cpu({ type: 'Utilization' }) })), [
      'spec.metrics[0].resource.target.averageUtilization: Required value: must set either a target raw value or a target utilization',
    ]);
    assert.deepEqual(errors(hpa({ metrics: cpu({ type: 'Ratio', averageUtilization: 0 }) })), [
      'spec.metrics[0].resource.target.type: Unsupported value: "Ratio": supported values: "AverageValue", "Utilization", "Value"',
      'spec.metrics[0].resource.target.averageUtilization: Invalid value: 0: must be greater than 0',
    ]);
  });
});

describe('PodDisruptionBudget rules', () => {
  it('accepts a plain budget', () =>
    assert.deepEqual(errors(pdb({ minAvailable: '50%', selector: { matchLabels: { app: 'web' } } })), []));
  it('minAvailable or maxUnavailable, not both; each a count or a percent', () => {
    assert.deepEqual(errors(pdb({ minAvailable: 1, maxUnavailable: '120%' })), [
      'spec: Invalid value: {"minAvailable":1,"maxUnavailable":"120%"}: minAvailable and maxUnavailable cannot be both set',
      'spec.maxUnavailable: Invalid value: "120%": must not be greater than 100%',
    ]);
    assert.deepEqual(errors(pdb({ minAvailable: -1, unhealthyPodEvictionPolicy: 'Never' })), [
      'spec.minAvailable: Invalid value: -1: must be greater than or equal to 0',
      'spec.unhealthyPodEvictionPolicy: Unsupported value: "Never": supported values: "AlwaysAllow", "IfHealthyBudget"',
    ]);
  });
});
