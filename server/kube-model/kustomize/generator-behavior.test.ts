import assert from 'node:assert/strict';
import { describe, it } from 'node:test';
import { applyGeneratorBehavior, behaviorProblem } from './generator-behavior';
import type { GeneratedResource } from './generator';

const base = {
  apiVersion: 'v1',
  kind: 'ConfigMap',
  metadata: { name: 'settings', namespace: 'shop', labels: { from: 'base', keep: 'yes' } },
  data: { color: 'red', size: 'small' },
};
const generated = (behavior: GeneratedResource['behavior']): GeneratedResource => ({
  object: {
    apiVersion: 'v1',
    kind: 'ConfigMap',
    metadata: { name: 'settings', labels: { from: 'overlay' } },
    data: { color: 'blue', shape: 'round' },
  },
  behavior,
  needsHash: true,
});

// The merged objects are what `kubectl kustomize` printed for an overlay over a base's generator.
describe('generator behaviours', () => {
  it('merge: data and labels merged, the new values win, the old name and namespace stay', () => {
    assert.deepEqual(applyGeneratorBehavior(base, generated('merge')), {
      apiVersion: 'v1',
      kind: 'ConfigMap',
      metadata: { name: 'settings', namespace: 'shop', labels: { from: 'overlay', keep: 'yes' } },
      data: { color: 'blue', size: 'small', shape: 'round' },
    });
  });

  it('replace: the new data only, labels still merged', () => {
    assert.deepEqual(applyGeneratorBehavior(base, generated('replace')).data, { color: 'blue', shape: 'round' });
    assert.deepEqual((applyGeneratorBehavior(base, generated('replace')).metadata as Record<string, unknown>).labels, {
      from: 'overlay',
      keep: 'yes',
    });
  });

  it('says when a behaviour does not fit', () => {
    assert.match(behaviorProblem(generated('create'), true)!, /behavior must be merge or replace/);
    assert.match(behaviorProblem(generated('merge'), false)!, /there is none/);
    assert.equal(behaviorProblem(generated('replace'), true), undefined);
    assert.equal(behaviorProblem(generated('create'), false), undefined);
  });

  it('never mutates its inputs', () => {
    const before = JSON.stringify(base);
    const g = generated('merge');
    const gBefore = JSON.stringify(g);
    applyGeneratorBehavior(base, g);
    assert.equal(JSON.stringify(base), before);
    assert.equal(JSON.stringify(g), gBefore);
  });
});
