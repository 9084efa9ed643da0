/** Stabilization windows, scaling policies and min/max, as Kubernetes' HPA applies them. */
import { strict as assert } from 'node:assert';
import { describe, it } from 'node:test';
import { behaviorOf, ScalingHistory } from './hpa-behavior';

const T0 = Date.UTC(2025, 0, 1, 12);
const base = { key: 'default/web', min: 1, max: 20 };

describe('scaling behavior', () => {
  it('fills in Kubernetes defaults', () => {
    const b = behaviorOf({});
    assert.equal(b.scaleUp.stabilizationWindowSeconds, 0);
    assert.deepEqual(b.scaleUp.policies, [
      { type: 'Pods', value: 4, periodSeconds: 15 },
      { type: 'Percent', value: 100, periodSeconds: 15 },
    ]);
    assert.equal(b.scaleDown.stabilizationWindowSeconds, 300);
    assert.deepEqual(b.scaleDown.policies, [{ type: 'Percent', value: 100, periodSeconds: 15 }]);
  });

  it('limits a scale-up to the larger of 4 pods or 100 % per 15 s by default', () => {
    const h = new ScalingHistory();
    const r = h.normalize({ ...base, now: T0, current: 1, desired: 10, behavior: {} });
    assert.equal(r.replicas, 5);
    assert.deepEqual(r.scalingLimited, {
      status: 'True',
      reason: 'ScaleUpLimit',
      message: 'the desired replica count is increasing faster than the maximum scale rate',
    });
    h.recordScale(base.key, {}, 1, 5, T0);
    // Within the period the replicas added count against the limit: the period started at 1.
    assert.equal(h.normalize({ ...base, now: T0 + 5000, current: 5, desired: 10, behavior: {} }).replicas, 5);
    // After it, 5 + max(4, 5) = 10.
    assert.equal(h.normalize({ ...base, now: T0 + 16_000, current: 5, desired: 10, behavior: {} }).replicas, 10);
  });

  it('holds a scale-down for the stabilization window (300 s by default)', () => {
    const h = new ScalingHistory();
    assert.equal(h.normalize({ ...base, now: T0, current: 5, desired: 5, behavior: {} }).replicas, 5);
    const held = h.normalize({ ...base, now: T0 + 60_000, current: 5, desired: 2, behavior: {} });
    assert.equal(held.replicas, 5);
    assert.equal(held.ableToScale.reason, 'ScaleDownStabilized');
    const done = h.normalize({ ...base, now: T0 + 301_000, current: 5, desired: 2, behavior: {} });
    assert.equal(done.replicas, 2);
    assert.equal(done.ableToScale.reason, 'ReadyForNewScale');
  });

  it('stabilizes a scale-up with its own window (the lowest recent recommendation)', () => {
    const h = new ScalingHistory();
    const behavior = { scaleUp: { stabilizationWindowSeconds: 60 } };
    h.normalize({ ...base, now: T0, current: 2, desired: 2, behavior });
    const r = h.normalize({ ...base, now: T0 + 10_000, current: 2, desired: 6, behavior });
    assert.equal(r.replicas, 2);
    assert.equal(r.ableToScale.reason, 'ScaleUpStabilized');
    assert.equal(h.normalize({ ...base, now: T0 + 61_000, current: 2, desired: 6, behavior }).replicas, 6);
  });

  it('applies a Pods scale-down policy per period', () => {
    const h = new ScalingHistory();
    const behavior = {
      scaleDown: { stabilizationWindowSeconds: 0, policies: [{ type: 'Pods', value: 1, periodSeconds: 60 }] },
    };
    const first = h.normalize({ ...base, now: T0, current: 5, desired: 1, behavior });
    assert.equal(first.replicas, 4);
    assert.equal(first.scalingLimited.reason, 'ScaleDownLimit');
    h.recordScale(base.key, behavior, 5, 4, T0);
    assert.equal(h.normalize({ ...base, now: T0 + 30_000, current: 4, desired: 1, behavior }).replicas, 4);
    assert.equal(h.normalize({ ...base, now: T0 + 61_000, current: 4, desired: 1, behavior }).replicas, 3);
  });

  it('selectPolicy Min takes the policy allowing the smallest change; Disabled none', () => {
    const h = new ScalingHistory();
    const min = { scaleUp: { selectPolicy: 'Min' } };
    assert.equal(h.normalize({ ...base, now: T0, current: 2, desired: 10, behavior: min }).replicas, 4);
    const off = { scaleDown: { selectPolicy: 'Disabled', stabilizationWindowSeconds: 0 } };
    assert.equal(
      new ScalingHistory().normalize({ ...base, now: T0, current: 6, desired: 1, behavior: off }).replicas,
      6,
    );
  });

  it('keeps min and max replicas, saying so', () => {
    const h = new ScalingHistory();
    const behavior = { scaleDown: { stabilizationWindowSeconds: 0 } };
    const low = h.normalize({ ...base, min: 2, now: T0, current: 3, desired: 1, behavior });
    assert.equal(low.replicas, 2);
    assert.equal(low.scalingLimited.reason, 'TooFewReplicas');
    const high = new ScalingHistory().normalize({ ...base, max: 4, now: T0, current: 3, desired: 8, behavior });
    assert.equal(high.replicas, 4);
    assert.equal(high.scalingLimited.reason, 'TooManyReplicas');
  });

  it('without behavior: at most max(2 x current, 4), and the highest recommendation of 5 minutes', () => {
    const h = new ScalingHistory();
    const up = h.normalize({ ...base, now: T0, current: 3, desired: 20, behavior: undefined });
    assert.equal(up.replicas, 6);
    assert.equal(up.scalingLimited.reason, 'ScaleUpLimit');
    const down = h.normalize({ ...base, now: T0 + 60_000, current: 6, desired: 2, behavior: undefined });
    // The earlier recommendation (20) still holds, capped at the scale-up limit from 6.
    assert.equal(down.replicas, 12);
    assert.equal(down.ableToScale.reason, 'ScaleDownStabilized');
    assert.equal(h.normalize({ ...base, now: T0 + 400_000, current: 6, desired: 2, behavior: undefined }).replicas, 2);
  });
});
