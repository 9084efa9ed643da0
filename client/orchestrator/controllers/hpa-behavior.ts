/**
 * How the HorizontalPodAutoscaler turns a metric's proposal into the replica
 * count it sets, as Kubernetes does:
 *
 * - with `spec.behavior` (defaults filled in: scale-up no stabilization, the
 *   larger of 4 pods or 100 % per 15 s; scale-down a 300 s window, 100 % per
 *   15 s): the recommendation is stabilized (the lowest of the scale-up window's
 *   recommendations when going up, the highest of the scale-down window's when
 *   going down), then limited by the policies (the replica count at the start
 *   of each policy's period, from the scale events of that period; `selectPolicy`
 *   Max, Min or Disabled) and by min/max replicas;
 * - without it: the highest recommendation of the last 5 minutes, then at most
 *   max(2 x current, 4) and min/max replicas.
 *
 * Each step says which condition it sets (AbleToScale, ScalingLimited) with
 * Kubernetes' reasons and messages.
 */
import { isObject, type JsonObject } from '../store/object';

export interface ScalingPolicy {
  type: 'Pods' | 'Percent';
  value: number;
  periodSeconds: number;
}

export interface ScalingRules {
  stabilizationWindowSeconds: number;
  selectPolicy: 'Max' | 'Min' | 'Disabled';
  policies: ScalingPolicy[];
}

export interface Behavior {
  scaleUp: ScalingRules;
  scaleDown: ScalingRules;
}

export const DEFAULT_DOWNSCALE_STABILIZATION_SECONDS = 300;

function int(value: unknown, fallback: number): number {
  return typeof value === 'number' && Number.isSafeInteger(value) ? value : fallback;
}

function rules(raw: unknown, defaults: ScalingRules): ScalingRules {
  if (!isObject(raw)) return defaults;
  const select = raw.selectPolicy;
  const policies = Array.isArray(raw.policies)
    ? raw.policies.filter(isObject).map((p: JsonObject): ScalingPolicy => ({
        type: p.type === 'Pods' ? 'Pods' : 'Percent',
        value: int(p.value, 0),
        periodSeconds: int(p.periodSeconds, 15),
      }))
    : [];
  return {
    stabilizationWindowSeconds: int(raw.stabilizationWindowSeconds, defaults.stabilizationWindowSeconds),
    selectPolicy: select === 'Min' || select === 'Disabled' ? select : 'Max',
    policies: policies.length > 0 ? policies : defaults.policies,
  };
}

/** `spec.behavior` with Kubernetes' defaults filled in. */
export function behaviorOf(raw: unknown): Behavior {
  const spec = isObject(raw) ? raw : {};
  return {
    scaleUp: rules(spec.scaleUp, {
      stabilizationWindowSeconds: 0,
      selectPolicy: 'Max',
      policies: [
        { type: 'Pods', value: 4, periodSeconds: 15 },
        { type: 'Percent', value: 100, periodSeconds: 15 },
      ],
    }),
    scaleDown: rules(spec.scaleDown, {
      stabilizationWindowSeconds: DEFAULT_DOWNSCALE_STABILIZATION_SECONDS,
      selectPolicy: 'Max',
      policies: [{ type: 'Percent', value: 100, periodSeconds: 15 }],
    }),
  };
}

export interface Condition {
  status: 'True' | 'False';
  reason: string;
  message: string;
}

interface Timestamped {
  value: number;
  at: number;
}

export interface NormalizeArgs {
  key: string;
  now: number;
  current: number;
  desired: number;
  min: number;
  max: number;
  /** `spec.behavior` as stored; undefined for the older rules. */
  behavior: unknown;
}

export interface Normalized {
  replicas: number;
  ableToScale: Condition;
  scalingLimited: Condition;
}

const READY: Condition = {
  status: 'True',
  reason: 'ReadyForNewScale',
  message: 'recommended size matches current size',
};
const DOWN_STABILIZED: Condition = {
  status: 'True',
  reason: 'ScaleDownStabilized',
  message: 'recent recommendations were higher than current one, applying the highest recent recommendation',
};
const UP_STABILIZED: Condition = {
  status: 'True',
  reason: 'ScaleUpStabilized',
  message: 'recent recommendations were lower than current one, applying the lowest recent recommendation',
};
const WITHIN_RANGE = { reason: 'DesiredWithinRange', message: 'the desired count is within the acceptable range' };
const TOO_MANY = {
  reason: 'TooManyReplicas',
  message: 'the desired replica count is more than the maximum replica count',
};
const TOO_FEW = {
  reason: 'TooFewReplicas',
  message: 'the desired replica count is less than the minimum replica count',
};
const UP_LIMIT = {
  reason: 'ScaleUpLimit',
  message: 'the desired replica count is increasing faster than the maximum scale rate',
};
const DOWN_LIMIT = {
  reason: 'ScaleDownLimit',
  message: 'the desired replica count is decreasing faster than the maximum scale rate',
};

function limited(
  replicas: number,
  wanted: number,
  why: { reason: string; message: string },
): Normalized['scalingLimited'] {
  return { status: replicas === wanted ? 'False' : 'True', ...why };
}

/** The recommendations and scale events of every HPA this controller drives (in memory, as in Kubernetes). */
export class ScalingHistory {
  private readonly recommendations = new Map<string, Timestamped[]>();
  private readonly upEvents = new Map<string, Timestamped[]>();
  private readonly downEvents = new Map<string, Timestamped[]>();

  constructor(private readonly downscaleWindowSeconds = DEFAULT_DOWNSCALE_STABILIZATION_SECONDS) {}

  forget(key: string): void {
    this.recommendations.delete(key);
    this.upEvents.delete(key);
    this.downEvents.delete(key);
  }

  normalize(a: NormalizeArgs): Normalized {
    return a.behavior === undefined ? this.normalizeLegacy(a) : this.normalizeWithBehavior(a, behaviorOf(a.behavior));
  }

  /** Remembers a rescale, for the policies' periods. */
  recordScale(key: string, behavior: unknown, from: number, to: number, now: number): void {
    if (behavior === undefined || from === to) return;
    const b = behaviorOf(behavior);
    const events = to > from ? this.upEvents : this.downEvents;
    const rulesFor = to > from ? b.scaleUp : b.scaleDown;
    const longest = Math.max(0, ...rulesFor.policies.map((p) => p.periodSeconds)) * 1000;
    const kept = (events.get(key) ?? []).filter((e) => e.at > now - longest);
    kept.push({ value: Math.abs(to - from), at: now });
    events.set(key, kept);
  }

  private remember(key: string, desired: number, now: number, obsoleteBefore: number): void {
    const list = this.recommendations.get(key) ?? [];
    const old = list.findIndex((r) => r.at < obsoleteBefore);
    if (old !== -1) list[old] = { value: desired, at: now };
    else list.push({ value: desired, at: now });
    this.recommendations.set(key, list);
  }

  private normalizeLegacy(a: NormalizeArgs): Normalized {
    const cutoff = a.now - this.downscaleWindowSeconds * 1000;
    let stabilized = a.desired;
    for (const r of this.recommendations.get(a.key) ?? [])
      if (r.at >= cutoff && r.value > stabilized) stabilized = r.value;
    this.remember(a.key, a.desired, a.now, cutoff);
    const ableToScale = stabilized !== a.desired ? DOWN_STABILIZED : READY;
    const scaleUpLimit = Math.max(2 * a.current, 4);
    const upper = a.max > scaleUpLimit ? { n: scaleUpLimit, why: UP_LIMIT } : { n: a.max, why: TOO_MANY };
    if (stabilized < a.min)
      return { replicas: a.min, ableToScale, scalingLimited: limited(a.min, stabilized, TOO_FEW) };
    if (stabilized > upper.n)
      return { replicas: upper.n, ableToScale, scalingLimited: limited(upper.n, stabilized, upper.why) };
    return { replicas: stabilized, ableToScale, scalingLimited: { status: 'False', ...WITHIN_RANGE } };
  }

  private normalizeWithBehavior(a: NormalizeArgs, b: Behavior): Normalized {
    const up = a.desired >= a.current;
    const windowSeconds = up ? b.scaleUp.stabilizationWindowSeconds : b.scaleDown.stabilizationWindowSeconds;
    const longest = Math.max(b.scaleUp.stabilizationWindowSeconds, b.scaleDown.stabilizationWindowSeconds);
    const cutoff = a.now - windowSeconds * 1000;
    let stabilized = a.desired;
    for (const r of this.recommendations.get(a.key) ?? []) {
      if (r.at > cutoff) stabilized = up ? Math.min(stabilized, r.value) : Math.max(stabilized, r.value);
    }
    this.remember(a.key, a.desired, a.now, a.now - longest * 1000);
    const ableToScale = stabilized !== a.desired ? (up ? UP_STABILIZED : DOWN_STABILIZED) : READY;
    const { replicas, why } = this.limitByRate(a, b, stabilized);
    return { replicas, ableToScale, scalingLimited: limited(replicas, stabilized, why) };
  }

  private limitByRate(
    a: NormalizeArgs,
    b: Behavior,
    desired: number,
  ): { replicas: number; why: { reason: string; message: string } } {
    if (desired > a.current) {
      const limit = Math.max(a.current, this.scaleUpLimit(a, b.scaleUp));
      const upper = a.max > limit ? { n: limit, why: UP_LIMIT } : { n: a.max, why: TOO_MANY };
      if (desired > upper.n) return { replicas: upper.n, why: upper.why };
    } else if (desired < a.current) {
      const limit = Math.min(a.current, this.scaleDownLimit(a, b.scaleDown));
      const lower = a.min < limit ? { n: limit, why: DOWN_LIMIT } : { n: a.min, why: TOO_FEW };
      if (desired < lower.n) return { replicas: lower.n, why: lower.why };
    }
    return { replicas: desired, why: WITHIN_RANGE };
  }

  private changeIn(events: Map<string, Timestamped[]>, key: string, periodSeconds: number, now: number): number {
    const cutoff = now - periodSeconds * 1000;
    return (events.get(key) ?? []).filter((e) => e.at > cutoff).reduce((sum, e) => sum + e.value, 0);
  }

  private periodStart(a: NormalizeArgs, p: ScalingPolicy): number {
    return (
      a.current -
      this.changeIn(this.upEvents, a.key, p.periodSeconds, a.now) +
      this.changeIn(this.downEvents, a.key, p.periodSeconds, a.now)
    );
  }

  private scaleUpLimit(a: NormalizeArgs, r: ScalingRules): number {
    if (r.selectPolicy === 'Disabled') return a.current;
    const proposals = r.policies.map((p) => {
      const start = this.periodStart(a, p);
      return p.type === 'Pods' ? start + p.value : Math.ceil(start * (1 + p.value / 100));
    });
    return r.selectPolicy === 'Min' ? Math.min(...proposals) : Math.max(...proposals);
  }

  private scaleDownLimit(a: NormalizeArgs, r: ScalingRules): number {
    if (r.selectPolicy === 'Disabled') return a.current;
    const proposals = r.policies.map((p) => {
      const start = this.periodStart(a, p);
      return p.type === 'Pods' ? start - p.value : Math.trunc(start * (1 - p.value / 100));
    });
    // Max picks the policy that allows the biggest change: the lowest count.
    return r.selectPolicy === 'Min' ? Math.max(...proposals) : Math.min(...proposals);
  }
}
